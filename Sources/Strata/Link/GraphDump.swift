/// A plain-text dump of the cascade graph: every goal with the objectives and key results
/// under it (indented), `supports` links, initiatives, SWOT links, and unaligned objectives.
/// Stable order (plan order); used by `strata graph` and golden tests.
public enum GraphDump {
    public static func render(_ g: CascadeGraph, rollUp: RollUp? = nil) -> String {
        var out = ""
        func figures(_ id: String) -> String {
            guard let p = rollUp?[id] else { return "" }
            return "  [\(Percent.text(p.raw)), \(p.status.rawValue)]"
        }
        var printed: Set<String> = []
        func objective(_ id: String, depth: Int) {
            guard let o = g.objective(id) else { return }
            let pad = String(repeating: "  ", count: depth)
            if !printed.insert(id).inserted {
                out += "\(pad)objective \(id) (see above; cycle or repeated link)\n"
                return
            }
            var line = "\(pad)objective \(id) “\(o.title.value)”"
            if let p = o.period { line += " \(p.value.name)" }
            if let owner = o.owner { line += " owner=\(owner.value)" }
            if let team = o.team { line += " team=\(team.value)" }
            line += o.committed ? " committed" : " aspirational"
            out += line + figures(id) + "\n"
            for s in o.supports { out += "\(pad)  supports \(s.value)\n" }
            for kr in o.keyResults {
                guard let k = g.keyResult(kr), k.objective == id else { continue }
                out += "\(pad)  key result \(kr) “\(k.title.value)” \(k.measure.kindName) weight=\(Quantity.format(k.effectiveWeight))" + figures(kr) + "\n"
                for ini in g.initiativesFor[kr] ?? [] { out += "\(pad)    initiative \(ini)\n" }
                for child in g.children[kr] ?? [] { objective(child, depth: depth + 2) }
            }
            for child in g.children[id] ?? [] { objective(child, depth: depth + 1) }
        }
        if let m = g.plan.mission?.mission { out += "mission “\(m.value)”\n" }
        for goal in g.plan.goals {
            out += "goal \(goal.id.value) “\(goal.title.value)”" + (goal.perspective.map { " perspective=\($0.value)" } ?? "") + figures(goal.id.value) + "\n"
            for s in goal.addresses { out += "  addresses \(s.value)\n" }
            for child in g.children[goal.id.value] ?? [] { objective(child, depth: 1) }
        }
        let rest = g.plan.objectives.filter { !printed.contains($0.id.value) }
        if !rest.isEmpty {
            out += "unaligned or in a cycle\n"
            for o in rest where !printed.contains(o.id.value) { objective(o.id.value, depth: 1) }
        }
        let unaddressed = g.plan.swot.filter { g.addressedBy[$0.id.value] == nil }.map(\.id.value)
        if !unaddressed.isEmpty { out += "SWOT items no goal addresses: \(unaddressed.joined(separator: ", "))\n" }
        return out
    }
}
