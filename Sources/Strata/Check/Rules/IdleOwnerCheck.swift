/// People and teams that take part in OKRs in some period but own nothing in another,
/// and teams that never own an objective.
enum IdleOwnerCheck: PlanCheck {
    static let rules: [Rule] = [.ownerIdle]

    static func run(_ c: CheckContext) {
        let periods = c.graph.periods
        guard !periods.isEmpty else { return }
        var personPeriods: [String: Set<Period>] = [:]
        var teamPeriods: [String: Set<Period>] = [:]
        for o in c.plan.objectives {
            guard let p = o.period?.value else { continue }
            if let owner = o.owner?.value { personPeriods[owner, default: []].insert(p) }
            if let team = o.team?.value { teamPeriods[team, default: []].insert(p) }
            for kr in o.keyResults {
                if let k = c.graph.keyResultIndex(kr), let owner = c.plan.keyResults[k].owner?.value { personPeriods[owner, default: []].insert(p) }
            }
        }
        for person in c.plan.people {
            guard let active = personPeriods[person.id.value] else { continue }
            for p in periods where !active.contains(p) {
                c.emit(.ownerIdle, "\(person.name) (\(person.id.value)) owns no objective or key result in \(p.name)", at: person.id.range)
            }
        }
        for team in c.plan.teams {
            guard let active = teamPeriods[team.id.value] else {
                c.emit(.ownerIdle, "team '\(team.id.value)' has no objectives in any period", at: team.id.range)
                continue
            }
            for p in periods where !active.contains(p) {
                c.emit(.ownerIdle, "team '\(team.id.value)' has no objectives in \(p.name)", at: team.id.range)
            }
        }
    }
}
