/// A child objective must fit in its parent's period, and end before the goal it serves is due.
enum CascadePeriodCheck: PlanCheck {
    static let rules: [Rule] = [.cascadePeriod, .cascadeDue]

    static func run(_ c: CheckContext) {
        for o in c.plan.objectives {
            guard let parentID = c.graph.parent[o.id.value], let period = o.period else { continue }
            let parentObjective = c.graph.objective(parentID) ?? c.graph.keyResult(parentID).flatMap { c.graph.objective($0.objective) }
            if let p = parentObjective, let pp = p.period, !pp.value.contains(period.value) {
                c.emit(.cascadePeriod, "objective '\(o.id.value)' runs in \(period.value.name) (\(period.value.start) – \(period.value.end)), outside its parent's period \(pp.value.name) (\(pp.value.start) – \(pp.value.end))", at: period.range,
                       notes: [DiagnosticNote("'\(p.id.value)' runs in \(pp.value.name)", at: pp.range)],
                       help: "move it to a period inside \(pp.value.name), or re-parent it")
            }
            if let goal = c.graph.goal(parentID), let due = goal.due, period.value.end > due.value {
                c.emit(.cascadeDue, "objective '\(o.id.value)' ends \(period.value.end) after goal '\(goal.id.value)' is due (\(due.value))", at: period.range,
                       notes: [DiagnosticNote("the goal is due here", at: due.range)])
            }
        }
    }
}
