/// SMART lint on strategic goals: measurable, time-bound, owned.
enum SMARTGoalCheck: PlanCheck {
    static let rules: [Rule] = [.goalMeasurable, .goalTimeBound, .goalOwned]

    static func run(_ c: CheckContext) {
        for g in c.plan.goals {
            if g.metric?.target == nil && (g.metricRange == nil || g.metric != nil) {
                c.emit(.goalMeasurable, "goal '\(g.id.value)' has no metric with a target", at: g.metricRange ?? g.id.range,
                       help: "add 'metric: { start: …, target: … }' so progress can be measured")
            }
            if g.due == nil && g.dueKey == nil {
                c.emit(.goalTimeBound, "goal '\(g.id.value)' has no due date", at: g.id.range, help: "add 'due: YYYY-MM-DD'")
            }
            if g.owner == nil {
                c.emit(.goalOwned, "goal '\(g.id.value)' has no owner", at: g.id.range, help: "add 'owner: <person id>'")
            }
        }
    }
}
