/// Too many objectives for one owner in one period means none gets focus.
enum OwnerLoadCheck: PlanCheck {
    static let rules: [Rule] = [.okrOwnerLoad]

    static func run(_ c: CheckContext) {
        let limit = Int(c.config.option(.okrOwnerLoad, "max", default: 3))
        var groups: [String: [Objective]] = [:]
        for o in c.plan.objectives {
            guard let owner = o.owner?.value, let period = o.period?.value.name else { continue }
            groups[owner + "\u{0}" + period, default: []].append(o)
        }
        for key in groups.keys.sorted() {
            let list = groups[key]!
            guard list.count > limit else { continue }
            let owner = list[0].owner!.value, period = list[0].period!.value.name
            c.emit(.okrOwnerLoad, "\(owner) owns \(list.count) objectives in \(period); the limit is \(limit)", at: list[limit].range,
                   notes: list.prefix(limit).map { DiagnosticNote("objective '\($0.id.value)'", at: $0.range) },
                   help: "hand some to other owners, or raise rules.okr-owner-load.max in strata.yaml")
        }
    }
}
