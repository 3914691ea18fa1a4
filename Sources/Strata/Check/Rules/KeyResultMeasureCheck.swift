/// A key result whose start equals its target cannot show progress.
enum KeyResultMeasureCheck: PlanCheck {
    static let rules: [Rule] = [.krStartEqualsTarget]

    static func run(_ c: CheckContext) {
        for kr in c.plan.keyResults {
            if case .change(let s, let t) = kr.measure, s.value.value == t.value.value {
                c.emit(.krStartEqualsTarget, "key result '\(kr.id.value)' starts at its target (\(t.value.text))", at: t.range,
                       notes: [DiagnosticNote("start is \(s.value.text)", at: s.range)],
                       help: "if the aim is to hold the value, write 'stay_above' or 'stay_below' instead")
            }
        }
    }
}
