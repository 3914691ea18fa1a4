/// The strategy map: one band per perspective (financial on top, as in Kaplan and Norton's
/// maps), a box per strategic goal with its progress and status, and the objectives hung
/// under each goal below it. Text is escaped; long titles are wrapped and cut, with the full
/// title in a `<title>` element.
struct StrategyMap {
    let model: SiteModel

    static let bandLabelWidth = 150.0, goalWidth = 250.0, gap = 20.0, lineHeight = 15.0

    func svg() -> String {
        let plan = model.plan
        var bands: [(Perspective, [Goal])] = plan.config.perspectives.map { p in (p, plan.goals.filter { $0.perspective?.value == p.id }) }
        let unassigned = plan.goals.filter { g in !plan.config.perspectives.contains { $0.id == g.perspective?.value } }
        if !unassigned.isEmpty { bands.append((Perspective(id: "other", title: "Other"), unassigned)) }
        let columns = max(1, bands.map(\.1.count).max() ?? 1)
        let width = Self.bandLabelWidth + Double(columns) * (Self.goalWidth + Self.gap) + Self.gap
        var body = ""
        var y = Self.gap
        for (index, (perspective, goals)) in bands.enumerated() {
            var bandHeight = 60.0
            var boxes = ""
            for (i, g) in goals.enumerated() {
                let x = Self.bandLabelWidth + Self.gap + Double(i) * (Self.goalWidth + Self.gap)
                let (box, h) = goalBox(g, x: x, y: y + 10)
                boxes += box
                bandHeight = max(bandHeight, h + 20)
            }
            body += "<g class=\"band band-\(index % 2)\"><rect class=\"band-bg\" x=\"0\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(bandHeight))\"/>"
            body += "<text class=\"band-label\" x=\"12\" y=\"\(f(y + 24))\">\(HTMLText.escape(model.text(perspective.title)))</text>"
            if goals.isEmpty { body += "<text class=\"band-empty\" x=\"\(f(Self.bandLabelWidth + Self.gap))\" y=\"\(f(y + 34))\">No goals</text>" }
            body += boxes + "</g>"
            y += bandHeight + 6
        }
        let height = y + Self.gap
        return "<svg class=\"strategy-map\" role=\"img\" aria-labelledby=\"strategy-map-title\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"strategy-map-title\">Strategy map of \(HTMLText.escape(model.organisation)): goals by perspective and the objectives under them</title>" + body + "</svg>"
    }

    func goalBox(_ g: Goal, x: Double, y: Double) -> (String, Double) {
        let p = model.rollUp[g.id.value]
        let titleLines = wrap(model.text(g.title.value), width: 34, maxLines: 3)
        var s = "<g class=\"goal status-\(p?.status.slug ?? "not-started")\"><title>\(HTMLText.escape(model.text(g.title.value)))</title>"
        var h = 16.0 + Double(titleLines.count) * Self.lineHeight + 30
        let children = model.graph.children[g.id.value] ?? []
        h += Double(children.count) * (Self.lineHeight * 2 + 6)
        s += "<rect class=\"goal-box\" x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(Self.goalWidth))\" height=\"\(f(h))\" rx=\"6\"/>"
        var ty = y + 18
        for line in titleLines {
            s += "<text class=\"goal-title\" x=\"\(f(x + 10))\" y=\"\(f(ty))\">\(HTMLText.escape(line))</text>"
            ty += Self.lineHeight
        }
        let progress = p.map { Percent.text($0.raw) } ?? "0%"
        let status = p?.status.rawValue ?? "not started"
        s += "<text class=\"goal-meta\" x=\"\(f(x + 10))\" y=\"\(f(ty + 2))\">\(HTMLText.escape(g.id.value)) · \(progress) · \(status)</text>"
        let barWidth = Self.goalWidth - 20
        let filled = barWidth * min(1, max(0, p?.raw ?? 0))
        s += "<rect class=\"bar-bg\" x=\"\(f(x + 10))\" y=\"\(f(ty + 8))\" width=\"\(f(barWidth))\" height=\"6\" rx=\"3\"/>"
        s += "<rect class=\"bar-fill\" x=\"\(f(x + 10))\" y=\"\(f(ty + 8))\" width=\"\(f(filled))\" height=\"6\" rx=\"3\"/>"
        ty += 30
        for c in children {
            guard let o = model.graph.objective(c) else { continue }
            let op = model.rollUp[c]
            let line = wrap(model.text(o.title.value), width: 36, maxLines: 1).first ?? ""
            s += "<g class=\"objective status-\(op?.status.slug ?? "not-started")\"><title>\(HTMLText.escape(model.text(o.title.value)))</title>"
            s += "<rect class=\"objective-box\" x=\"\(f(x + 8))\" y=\"\(f(ty - 12))\" width=\"\(f(Self.goalWidth - 16))\" height=\"\(f(Self.lineHeight * 2 + 2))\" rx=\"4\"/>"
            s += "<text class=\"objective-title\" x=\"\(f(x + 14))\" y=\"\(f(ty + 1))\">\(HTMLText.escape(line))</text>"
            s += "<text class=\"objective-meta\" x=\"\(f(x + 14))\" y=\"\(f(ty + Self.lineHeight))\">\(HTMLText.escape(o.period?.value.name ?? "")) · \(op.map { Percent.text($0.raw) } ?? "0%") · \(op?.status.rawValue ?? "")</text></g>"
            ty += Self.lineHeight * 2 + 6
        }
        return (s + "</g>", h)
    }

    /// Greedy word wrap by characters; the last line ends with "…" when text was cut.
    func wrap(_ text: String, width: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty { current = String(word.prefix(width)) }
            else if current.count + 1 + word.count <= width { current += " " + word }
            else {
                lines.append(current)
                current = String(word.prefix(width))
                if lines.count == maxLines { break }
            }
        }
        if lines.count < maxLines, !current.isEmpty { lines.append(current); current = "" }
        if !current.isEmpty || lines.joined(separator: " ").count < text.count, var last = lines.last, lines.count == maxLines {
            if last.count > width - 1 { last = String(last.prefix(width - 1)) }
            lines[lines.count - 1] = last + "…"
        }
        return lines
    }

    func f(_ v: Double) -> String { Sparkline.fmt(v) }
}
