/// Values for the Markdown reports: the quarterly report, team and owner scorecards and
/// the balanced scorecard.
extension SiteModel {
    public func reportPath(_ p: Period) -> String { "reports/\(periodSlugs[p.name]).md" }
    public func teamScorecardPath(_ p: Period, _ team: String) -> String { "reports/\(periodSlugs[p.name])/teams/\(teamSlugs[team]).md" }
    public func ownerScorecardPath(_ p: Period, _ person: String) -> String { "reports/\(periodSlugs[p.name])/owners/\(personSlugs[person]).md" }
    public func balancedScorecardPath(_ p: Period) -> String { "reports/\(periodSlugs[p.name])/balanced-scorecard.md" }

    public func quarterlyReport(_ period: Period) -> TemplateObject {
        var d = common(root: "../", title: "\(organisation) — \(period.name) report")
        d["period"] = period.name
        d["period_start"] = "\(period.start)"
        d["period_end"] = "\(period.end)"
        d["ended"] = asOf > period.end
        d["summary"] = summary(periods: [period])
        let goalIDs = Set(plan.objectives.filter { $0.period?.value == period }.flatMap { o in graph.ancestors(of: o.id.value).filter { graph.goal($0) != nil } })
        d["goals"] = plan.goals.filter { goalIDs.contains($0.id.value) }.map { goal($0.id.value, withChildren: false) }
        d["teams"] = scorecardGroups(period)
        let diagram = mermaid(period)
        d["mermaid"] = diagram.text
        if diagram.shown < diagram.total {
            d["mermaid_partial"] = true
            d["mermaid_shown"] = diagram.shown
            d["mermaid_total"] = diagram.total
        }
        // Ids first, values built while the lists render (they can be long).
        // Objectives by position in the plan: a copy of each would be kept per entry.
        var atRisk: [String] = [], wins: [(String, Int)] = [], stale: [(String, Int)] = []
        // Fields read in place: a copy of every objective and key result (and of every
        // check-in reached, for the stale test) retained all their text.
        for index in plan.objectives.indices where plan.objectives[index].period?.value == period {
            let id = plan.objectives[index].id.value
            if let p = rollUp[id], p.status == .atRisk || p.status == .behind || p.status == .missed { atRisk.append(id) }
            for kr in plan.objectives[index].keyResults {
                guard let p = rollUp[kr], let k = graph.keyResultIndex(kr), plan.keyResults[k].objective == id else { continue }
                if p.raw >= 1 { wins.append((kr, index)) }
                if p.raw < 1, isStale(plan.keyResults[k], latest: rollUp.latestCheckin(kr)) { stale.append((kr, index)) }
            }
        }
        let keyResultItem = { (entry: (String, Int)) -> TemplateObject in
            let o = self.plan.objectives[entry.1]
            var item = TemplateObject(extending: self.keyResult(entry.0))
            item["objective_id"] = o.id.value
            item["objective_title"] = self.text(o.title.value)
            return item
        }
        let atRiskValues = TemplateValue.lazyObjects(atRisk) { id -> TemplateObject in
            var item = self.objective(id, withChildren: false)
            item["kind_label"] = "objective"
            return item
        }
        d["at_risk"] = atRiskValues
        d["has_at_risk"] = !atRisk.isEmpty
        d["wins"] = TemplateValue.lazyObjects(wins, keyResultItem)
        d["has_wins"] = !wins.isEmpty
        d["stale"] = TemplateValue.lazyObjects(stale, keyResultItem)
        d["has_stale"] = !stale.isEmpty
        d["cadence_days"] = plan.config.cadenceDays
        d["team_scorecards"] = plan.teams.filter { !graph.objectives(ofTeam: $0.id.value, in: period).isEmpty }
            .map { ["name": text($0.name), "path": "\(periodSlugs[period.name])/teams/\(teamSlugs[$0.id.value]).md"] }
        d["balanced_path"] = "\(periodSlugs[period.name])/balanced-scorecard.md"
        return d
    }

    public func teamScorecard(_ period: Period, team teamID: String) -> TemplateObject {
        var d = common(root: "../../../", title: "Scorecard")
        d["period"] = period.name
        d["team"] = team(teamID)
        let ids = graph.objectives(ofTeam: teamID, in: period)
        d["objectives"] = ids.map { objective($0, withChildren: false) }
        return d
    }

    public func ownerScorecard(_ period: Period, person personID: String) -> TemplateObject {
        var d = common(root: "../../../", title: "Scorecard")
        d["period"] = period.name
        d["person"] = person(personID)
        let owned = graph.owned(byPerson: personID, in: period)
        d["objectives"] = owned.objectives.map { objective($0, withChildren: false) }
        let own = Set(owned.objectives)
        d["other_key_results"] = owned.keyResults.filter { graph.objectiveID(ofKeyResult: $0).map { !own.contains($0) } ?? false }.map { id -> TemplateObject in
            var k = TemplateObject(extending: keyResult(id))
            k["objective_id"] = graph.objectiveID(ofKeyResult: id) ?? ""
            return k
        }
        return d
    }

    public func balancedScorecard(_ period: Period) -> TemplateObject {
        var d = common(root: "../../", title: "Balanced scorecard")
        d["period"] = period.name
        d["perspectives"] = perspectiveGroups(period)
        return d
    }

    /// Owners of anything in a period, sorted by id.
    public func owners(in period: Period) -> [String] {
        // The people found (by position in the plan's list), a range of objectives per core.
        let objectives = plan.objectives
        let found = Parallel.map(objectives.count, inRangesOf: 2_048) { range -> [Int] in
            var people: [Int] = []
            for i in range where objectives[i].period?.value == period {
                if let p = objectives[i].owner?.value, let n = graph.people[p] { people.append(n) }
                for kr in objectives[i].keyResults {
                    if let k = graph.keyResultIndex(kr), let p = plan.keyResults[k].owner?.value, let n = graph.people[p] { people.append(n) }
                }
            }
            return people
        }
        var owns = [Bool](repeating: false, count: plan.people.count)
        for part in found { for n in part { owns[n] = true } }
        return owns.indices.filter { owns[$0] }.map { plan.people[$0].id.value }.sorted()
    }

    /// What the quarterly report's Mermaid block may hold and still be drawn where it is
    /// read: Mermaid, as GitHub runs it, refuses a diagram of more than 50,000 characters
    /// (`maxTextSize`) or 500 links (`maxEdges`). These stay below both.
    static let mermaidMaxCharacters = 45_000
    static let mermaidMaxEdges = 450

    /// A Mermaid flowchart of a period's cascade and how much of it fits.
    struct MermaidDiagram {
        var text: String
        /// Objectives drawn, and the period's objectives in all.
        var shown: Int
        var total: Int
    }

    /// A Mermaid flowchart of the period's cascade, goals at the top. Node names are
    /// generated (`n1`, `n2`…); labels are entity-encoded so plan text cannot inject syntax.
    /// A cascade too large to draw (see `mermaidMaxCharacters`) is drawn from the top, level
    /// by level (an objective's level is one more than its parent objective's in the
    /// period), in plan order within a level, as far as the limits allow; what is drawn is
    /// written as it would be for the whole cascade.
    func mermaid(_ period: Period, maxCharacters: Int = mermaidMaxCharacters, maxEdges: Int = mermaidMaxEdges) -> MermaidDiagram {
        let objectives = plan.objectives.indices.filter { plan.objectives[$0].period?.value == period }
        var inPeriod: [String: Int] = [:]
        for (n, i) in objectives.enumerated() { inPeriod[plan.objectives[i].id.value] = n }
        // What each objective links up to (a parent key result stands for its objective),
        // and that node's position when it is an objective of this period.
        let target: [String?] = objectives.map { i in
            graph.parent[plan.objectives[i].id.value].map { graph.objectiveID(ofKeyResult: $0) ?? $0 }
        }
        let parentInPeriod: [Int?] = target.map { $0.flatMap { inPeriod[$0] } }
        // Levels by walking up with a memo; a cycle (reported by the check) counts as a top.
        var level = [Int](repeating: -1, count: objectives.count)
        for n in objectives.indices where level[n] < 0 {
            var chain: [Int] = [], onChain: Set<Int> = []
            var at: Int? = n
            while let a = at, level[a] < 0, onChain.insert(a).inserted { chain.append(a); at = parentInPeriod[a] }
            var l = at.map { level[$0] >= 0 ? level[$0] : -1 } ?? -1
            for a in chain.reversed() { l += 1; level[a] = l }
        }
        // Labels and links of the objectives that fit, top level first.
        var labels: [Int: String] = [:]
        var goalLabels: [String: String] = [:]
        var characters = 400, edges = 0  // 400: the header and the class lines' fixed part
        for n in objectives.indices.sorted(by: { (level[$0], $0) < (level[$1], $1) }) {
            let o = plan.objectives[objectives[n]]
            let label = Self.mermaidLabel("\(o.id.value): \(o.title.value)", rollUp[o.id.value])
            let goals = graph.ancestors(of: o.id.value).filter { graph.goal($0) != nil && goalLabels[$0] == nil }
                .map { g in (g, Self.mermaidLabel("\(g): \(graph.title(of: g))", rollUp[g])) }
            var cost = label.utf8.count + 20, links = 0  // the node line and its name in a class line
            for (_, goalLabel) in goals { cost += goalLabel.utf8.count + 20 }
            if let t = target[n], parentInPeriod[n] != nil || graph.goal(t) != nil {
                cost += 24
                links = 1
            }
            guard characters + cost <= maxCharacters, edges + links <= maxEdges else { break }
            characters += cost
            edges += links
            labels[n] = label
            for (g, goalLabel) in goals { goalLabels[g] = goalLabel }
        }

        var lines = ["flowchart TD"]
        var names: [String: String] = [:]
        func name(_ id: String) -> String {
            if let n = names[id] { return n }
            let n = "n\(names.count + 1)"
            names[id] = n
            return n
        }
        var linkLines: [String] = []
        var classes: [String: [String]] = [:]
        for g in plan.goals {
            guard let label = goalLabels[g.id.value] else { continue }
            lines.append("  \(name(g.id.value))[\"\(label)\"]")
            classes[rollUp[g.id.value]?.status.slug ?? "not-started", default: []].append(name(g.id.value))
        }
        for n in objectives.indices {
            guard let label = labels[n] else { continue }
            let id = plan.objectives[objectives[n]].id.value
            lines.append("  \(name(id))(\"\(label)\")")
            classes[rollUp[id]?.status.slug ?? "not-started", default: []].append(name(id))
            if let t = target[n], goalLabels[t] != nil || parentInPeriod[n].map({ labels[$0] != nil }) ?? false {
                linkLines.append("  \(name(t)) --> \(name(id))")
            }
        }
        lines += linkLines
        let styles: [(String, String)] = [("on-track", "fill:#e6f4ea,stroke:#1e7b34"), ("behind", "fill:#fff4e0,stroke:#a15c00"),
                                          ("at-risk", "fill:#fde7e7,stroke:#b3261e"), ("done", "fill:#e3eefc,stroke:#1a56b0"),
                                          ("missed", "fill:#f1e4e4,stroke:#7a1f1f"), ("not-started", "fill:#f1f1f1,stroke:#666")]
        for (slug, style) in styles {
            guard let members = classes[slug], !members.isEmpty else { continue }
            let cls = slug.replacingOccurrences(of: "-", with: "")
            lines.append("  classDef \(cls) \(style)")
            lines.append("  class \(members.joined(separator: ",")) \(cls)")
        }
        return MermaidDiagram(text: lines.joined(separator: "\n"), shown: labels.count, total: objectives.count)
    }

    /// Keeps letters, digits, spaces and harmless punctuation; everything else becomes a
    /// Mermaid entity code (`#35;`), so quotes, brackets, pipes and newlines cannot escape.
    static func mermaidLabel(_ raw: String, _ p: ProgressFigures?) -> String {
        var label = CleanText.clean(raw)
        if label.count > 70 { label = String(label.prefix(69)) + "…" }
        var out = ""
        for u in label.unicodeScalars {
            if u.properties.isAlphabetic || ("0"..."9").contains(u) || " .,:-–—…%".unicodeScalars.contains(u) {
                out.unicodeScalars.append(u)
            } else {
                out += "#\(u.value);"
            }
        }
        if let p { out += "<br/>\(Percent.text(p.raw)) · \(p.status.rawValue)" }
        return out
    }
}
