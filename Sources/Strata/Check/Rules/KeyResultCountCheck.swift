/// An objective should have 2–5 key results.
enum KeyResultCountCheck: PlanCheck {
    static let rules: [Rule] = [.krCount]

    static func run(_ c: CheckContext) {
        let plan = c.plan
        // By position: only an objective with too few or too many is copied.
        for i in plan.objectives.indices {
            let n = plan.objectives[i].keyResults.count
            guard n < 2 || n > 5 else { continue }
            let o = plan.objectives[i]
            if n < 2 {
                c.emit(.krCount, "objective '\(o.id.value)' has \(n) key result\(n == 1 ? "" : "s"); objectives need 2–5", at: o.range,
                       help: n == 0 ? "add key results that say how you will know the objective is met" : "add another key result, or make this objective a key result of its parent")
            } else if n > 5 {
                c.emit(.krCount, "objective '\(o.id.value)' has \(n) key results; more than 5 dilutes focus", at: o.range,
                       help: "keep the 3–5 that matter most; move the rest to initiatives or KPIs")
            }
        }
    }
}
