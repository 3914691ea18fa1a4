/// Weaknesses and threats should be addressed by some strategic goal.
enum SWOTCoverageCheck: PlanCheck {
    static let rules: [Rule] = [.swotUnaddressed]

    static func run(_ c: CheckContext) {
        guard !c.plan.goals.isEmpty else { return }
        for item in c.plan.swot where item.quadrant == .weaknesses || item.quadrant == .threats {
            guard c.graph.addressedBy[item.id.value] == nil else { continue }
            c.emit(.swotUnaddressed, "\(item.quadrant == .weaknesses ? "weakness" : "threat") \(item.id.value) is addressed by no goal", at: item.id.range,
                   help: "add '\(item.id.value)' to a goal's 'addresses' list")
        }
    }
}
