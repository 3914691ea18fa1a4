/// A child objective must fit in its parent's period, and end before the goal it serves is due.
enum CascadePeriodCheck: PlanCheck {
    static let rules: [Rule] = [.cascadePeriod, .cascadeDue]

    static func run(_ c: CheckContext) {
        let plan = c.plan
        // Fields read in place: a copy of each objective (and its parent) retained all its text.
        // The parent as the graph resolved it, by position (by id for an objective whose id
        // another kind of node took first).
        for i in plan.objectives.indices {
            guard let period = plan.objectives[i].period else { continue }
            let resolved = c.graph.objectiveOfID[i].map { c.graph.parentOfObjective[$0] }
                ?? c.graph.parent[plan.objectives[i].id.value].flatMap { c.graph.nodes[$0] }
            guard let parent = resolved else { continue }
            let parentIndex: Int?
            switch parent.kind {
            case .objective: parentIndex = parent.index
            case .keyResult: parentIndex = c.graph.objectiveOfKeyResult[parent.index]
            default: parentIndex = nil
            }
            if let pi = parentIndex, let pp = plan.objectives[pi].period, !pp.value.contains(period.value) {
                let o = plan.objectives[i], p = plan.objectives[pi]
                c.emit(.cascadePeriod, "objective '\(o.id.value)' runs in \(period.value.name) (\(period.value.start) – \(period.value.end)), outside its parent's period \(pp.value.name) (\(pp.value.start) – \(pp.value.end))", at: period.range,
                       notes: [DiagnosticNote("'\(p.id.value)' runs in \(pp.value.name)", at: pp.range)],
                       help: "move it to a period inside \(pp.value.name), or re-parent it")
            }
            if parent.kind == .goal, let due = plan.goals[parent.index].due, period.value.end > due.value {
                let o = plan.objectives[i], goal = plan.goals[parent.index]
                c.emit(.cascadeDue, "objective '\(o.id.value)' ends \(period.value.end) after goal '\(goal.id.value)' is due (\(due.value))", at: period.range,
                       notes: [DiagnosticNote("the goal is due here", at: due.range)])
            }
        }
    }
}
