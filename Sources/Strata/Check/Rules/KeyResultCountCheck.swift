/// An objective should have 2–5 key results.
enum KeyResultCountCheck: PlanCheck {
    static let rules: [Rule] = [.krCount]

    static func run(_ c: CheckContext) {
        for o in c.plan.objectives {
            let n = o.keyResults.count
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
