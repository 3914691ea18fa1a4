/// Too many objectives for one owner in one period means none gets focus.
enum OwnerLoadCheck: PlanCheck {
    static let rules: [Rule] = [.okrOwnerLoad]

    static func run(_ c: CheckContext) {
        let limit = Int(c.config.option(.okrOwnerLoad, "max", default: 3))
        // Positions, not copies of the objectives; keyed without building a string each.
        struct Key: Hashable { var owner: String, period: String }
        let plan = c.plan
        var groups: [Key: [Int]] = [:]
        for i in plan.objectives.indices {
            guard let owner = plan.objectives[i].owner?.value, let period = plan.objectives[i].period?.value.name else { continue }
            groups[Key(owner: owner, period: period), default: []].append(i)
        }
        // Only the owners over the limit are sorted (into a fixed order for the notes).
        for (key, positions) in groups.filter({ $0.value.count > limit }).sorted(by: { ($0.key.owner, $0.key.period) < ($1.key.owner, $1.key.period) }) {
            let list = positions.map { plan.objectives[$0] }
            let owner = key.owner, period = key.period
            c.emit(.okrOwnerLoad, "\(owner) owns \(list.count) objectives in \(period); the limit is \(limit)", at: list[limit].range,
                   notes: list.prefix(limit).map { DiagnosticNote("objective '\($0.id.value)'", at: $0.range) },
                   help: "hand some to other owners, or raise rules.okr-owner-load.max in strata.yaml")
        }
    }
}
