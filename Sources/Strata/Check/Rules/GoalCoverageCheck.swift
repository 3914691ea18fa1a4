/// A strategic goal with nothing under it is a wish, not a plan.
enum GoalCoverageCheck: PlanCheck {
    static let rules: [Rule] = [.goalUnsupported]

    static func run(_ c: CheckContext) {
        for g in c.plan.goals where (c.graph.children[g.id.value] ?? []).isEmpty {
            c.emit(.goalUnsupported, "goal '\(g.id.value)' has no objective under it", at: g.id.range,
                   help: "give an objective 'parent: \(g.id.value)'")
        }
    }
}
