/// Every objective should hang under a goal, an objective or a key result.
enum OrphanCheck: PlanCheck {
    static let rules: [Rule] = [.orphanObjective]

    static func run(_ c: CheckContext) {
        for o in c.plan.objectives where o.parent == nil {
            c.emit(.orphanObjective, "objective '\(o.id.value)' aligns to nothing", at: o.range,
                   help: "add 'parent:' with the goal, objective or key result it contributes to")
        }
    }
}
