/// Renders `strata explain ID`: the formula, every input with its file:line, and the
/// children that contributed, so nobody has to guess why something is 62%.
public struct ExplainRenderer {
    public let rollUp: RollUp

    public init(rollUp: RollUp) {
        self.rollUp = rollUp
    }

    var graph: CascadeGraph { rollUp.graph }

    func location(_ r: SourceRange?) -> String {
        guard let r else { return "" }
        return "\(r.file):\(r.start.line):\(r.start.column)"
    }

    func definition(_ id: String) -> SourceRange? {
        guard let ref = graph.nodes[id] else { return nil }
        switch ref.kind {
        case .goal: return graph.plan.goals[ref.index].id.range
        case .objective: return graph.plan.objectives[ref.index].range
        case .keyResult: return graph.plan.keyResults[ref.index].range
        case .kpi: return graph.plan.kpis[ref.index].id.range
        case .initiative: return graph.plan.initiatives[ref.index].id.range
        default: return nil
        }
    }

    /// The explanation, or nil when the id names no goal, objective, key result or KPI.
    public func render(_ id: String) -> String? {
        if let k = graph.kpi(id), let reading = rollUp.kpis[id] { return renderKPI(k, reading) }
        guard let p = rollUp.explained(id), let ref = graph.nodes[id] else { return nil }
        var out = "\(id) — \(ref.kind.label) “\(graph.title(of: id))” (\(location(definition(id))))\n"
        out += "as of \(rollUp.asOf)"
        var period: Period?
        if ref.kind == .objective { period = graph.period(ofObjective: id) }
        if ref.kind == .keyResult { period = graph.objectiveID(ofKeyResult: id).flatMap { graph.period(ofObjective: $0) } }
        if let pe = period { out += " · period \(pe.name) (\(pe.start) – \(pe.end))" }
        out += "\n\n"
        var rows: [(String, String)] = []
        rows.append(("progress", Percent.text(p.raw) + (p.raw != p.rolled ? " (counts as \(Percent.text(p.rolled)) in roll-up)" : "")))
        rows.append(("formula", p.formula))
        if let e = p.expected {
            var pace = Percent.text(e)
            if let pe = period {
                let elapsed = max(0, min(pe.length, rollUp.asOf - pe.start + 1))
                pace += " (\(elapsed) of \(pe.length) days of \(pe.name) elapsed)"
            }
            rows.append(("expected", pace))
        }
        rows.append(("status", "\(p.status.rawValue) — \(p.statusReason)"))
        if let c = p.confidence { rows.append(("confidence", Percent.text(c) + " (shown beside progress, not mixed into it)")) }
        if let g = p.grade {
            var text = Quantity.format(g)
            if let o = graph.objective(id) { text += o.committed ? " (committed: expected 1.0)" : " (aspirational: about 0.7 is a good result)" }
            rows.append(("grade", text))
        }
        if let cur = p.current { rows.append(("current", cur)) }
        out += table(rows)
        if !p.inputs.isEmpty {
            out += "\ninputs\n"
            out += table(p.inputs.map { ("  " + $0.label, $0.value + (location($0.source).isEmpty ? "" : "   " + location($0.source))) })
        }
        if !p.contributions.isEmpty {
            out += "\ncontributions\n"
            out += table(p.contributions.map { c in
                let share = " (decides \(Percent.text(c.share)) of the result)"
                return ("  \(c.kind.label) \(c.id)", "\(Percent.text(c.progress)) × weight \(Quantity.format(c.weight))\(share)   \(location(definition(c.id)))")
            })
        }
        if ref.kind == .keyResult, let list = graph.checkins[id], !list.isEmpty {
            out += "\ncheck-ins\n"
            out += table(list.map { i in
                let c = graph.plan.checkins[i]
                let ignored = c.date.value > rollUp.asOf ? " (after the as-of date: ignored)" : ""
                let conf = c.confidence.map { ", confidence \(Percent.text($0.value))" } ?? ""
                return ("  \(c.date.value)", "\(c.value.value)\(conf)\(ignored)   \(location(c.range))")
            })
        }
        let chain = graph.ancestors(of: id)
        if !chain.isEmpty {
            out += "\nline of sight\n  " + ([id] + chain).joined(separator: " → ") + "\n"
        }
        if let initiatives = graph.initiativesFor[id], !initiatives.isEmpty {
            out += "\nsupported by initiatives (never counted in progress): " + initiatives.joined(separator: ", ") + "\n"
        }
        return out
    }

    func renderKPI(_ k: KPI, _ r: KPIReading) -> String {
        var out = "\(k.id.value) — KPI “\(k.title.value)” (\(location(k.id.range)))\nas of \(rollUp.asOf)\n\n"
        var rows: [(String, String)] = [("health", r.health.rawValue)]
        if let v = r.value, let d = r.date { rows.append(("latest", "\(v.text) on \(d)")) }
        if let t = k.target { rows.append(("target", "\(t.value.text) (\(k.direction == .higher ? "at or above" : "at or below") is healthy)   \(location(t.range))")) }
        if let a = k.alert { rows.append(("alert", "\(a.value.text)   \(location(a.range))")) }
        out += table(rows)
        return out
    }

    func table(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 }.joined(separator: "\n") + "\n"
    }
}
