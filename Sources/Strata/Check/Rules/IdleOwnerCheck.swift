/// People and teams that take part in OKRs in some period but own nothing in another,
/// and teams that never own an objective.
enum IdleOwnerCheck: PlanCheck {
    static let rules: [Rule] = [.ownerIdle]

    static func run(_ c: CheckContext) {
        let periods = c.graph.periods
        guard !periods.isEmpty else { return }
        var people = PeriodsByOwner(periodCount: periods.count), teams = PeriodsByOwner(periodCount: periods.count)
        let plan = c.plan
        let positions = c.graph.keyResultPositions
        // Fields read in place (a copy of each objective retained all its text); a key
        // result owned by its objective's owner (the usual case) adds nothing new.
        var last: (period: Period, index: Int)?
        for i in plan.objectives.indices {
            guard let p = plan.objectives[i].period?.value else { continue }
            // Objectives of one file share a period: it is looked for when it changes.
            if last?.period != p { last = periods.firstIndex(of: p).map { (p, $0) } }
            guard let period = last?.index else { continue }
            let objectiveOwner = plan.objectives[i].owner?.value
            if let owner = objectiveOwner { people.insert(period, for: owner) }
            if let team = plan.objectives[i].team?.value { teams.insert(period, for: team) }
            // The key results the objective lists, each as the graph keeps its id: found by
            // position where the graph has them so, else by id.
            let ids = plan.objectives[i].keyResults
            for j in ids.indices {
                let kept = if let positions { c.graph.keyResultOfID[positions[i].lowerBound + j] } else { c.graph.keyResultIndex(ids[j]) }
                guard let k = kept, let owner = plan.keyResults[k].owner?.value, owner != objectiveOwner else { continue }
                people.insert(period, for: owner)
            }
        }
        for person in c.plan.people {
            guard let slot = people.slot(of: person.id.value) else { continue }
            for (index, p) in periods.enumerated() where !people.contains(index, slot: slot) {
                c.emit(.ownerIdle, "\(person.name) (\(person.id.value)) owns no objective or key result in \(p.name)", at: person.id.range)
            }
        }
        for team in c.plan.teams {
            guard let slot = teams.slot(of: team.id.value) else {
                c.emit(.ownerIdle, "team '\(team.id.value)' has no objectives in any period", at: team.id.range)
                continue
            }
            for (index, p) in periods.enumerated() where !teams.contains(index, slot: slot) {
                c.emit(.ownerIdle, "team '\(team.id.value)' has no objectives in \(p.name)", at: team.id.range)
            }
        }
    }

    /// The periods (by their place in the graph's sorted list) each owner has something
    /// in: one bit per period, every owner's bits in one flat list, so an owner costs a
    /// slot, not a set of its own.
    struct PeriodsByOwner {
        let words: Int
        var slots: [String: Int] = [:]
        var bits: [UInt64] = []

        init(periodCount: Int) { words = (periodCount + 63) / 64 }

        mutating func insert(_ period: Int, for owner: String) {
            let slot: Int
            if let s = slots[owner] {
                slot = s
            } else {
                slot = slots.count
                slots[owner] = slot
                bits.append(contentsOf: repeatElement(0, count: words))
            }
            bits[slot * words + period / 64] |= 1 << UInt64(period % 64)
        }

        /// The owner's slot; nil when it has nothing in any period.
        func slot(of owner: String) -> Int? { slots[owner] }

        func contains(_ period: Int, slot: Int) -> Bool {
            bits[slot * words + period / 64] & (1 << UInt64(period % 64)) != 0
        }
    }
}
