/// People and teams that take part in OKRs in some period but own nothing in another,
/// and teams that never own an objective.
enum IdleOwnerCheck: PlanCheck {
    static let rules: [Rule] = [.ownerIdle]

    static func run(_ c: CheckContext) {
        let periods = c.graph.periods
        guard !periods.isEmpty else { return }
        var personPeriods: [String: Set<Period>] = [:]
        var teamPeriods: [String: Set<Period>] = [:]
        let plan = c.plan
        // Fields read in place (a copy of each objective retained all its text); a key
        // result owned by its objective's owner (the usual case) adds nothing new.
        for i in plan.objectives.indices {
            guard let p = plan.objectives[i].period?.value else { continue }
            let objectiveOwner = plan.objectives[i].owner?.value
            if let owner = objectiveOwner { personPeriods[owner, default: []].insert(p) }
            if let team = plan.objectives[i].team?.value { teamPeriods[team, default: []].insert(p) }
            for kr in plan.objectives[i].keyResults {
                if let k = c.graph.keyResultIndex(kr), let owner = plan.keyResults[k].owner?.value, owner != objectiveOwner {
                    personPeriods[owner, default: []].insert(p)
                }
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
