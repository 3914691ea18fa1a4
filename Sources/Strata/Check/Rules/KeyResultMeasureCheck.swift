/// A key result whose start equals its target cannot show progress.
enum KeyResultMeasureCheck: PlanCheck {
    static let rules: [Rule] = [.krStartEqualsTarget]

    static func run(_ c: CheckContext) {
        // By position, the measure read in place: a copy of each key result (a dozen
        // strings retained and released) cost more than the comparison.
        let plan = c.plan
        for k in plan.keyResults.indices {
            if case .change(let s, let t) = plan.keyResults[k].measure, s.value.value == t.value.value {
                c.emit(.krStartEqualsTarget, "key result '\(plan.keyResults[k].id.value)' starts at its target (\(t.value.text))", at: t.range,
                       notes: [DiagnosticNote("start is \(s.value.text)", at: s.range)],
                       help: "if the aim is to hold the value, write 'stay_above' or 'stay_below' instead")
            }
        }
    }
}
