/// The kinds of nodes in the cascade graph.
public enum NodeKind: String, Sendable, CaseIterable {
    case goal, objective
    case keyResult = "key-result"
    case initiative, kpi, swot, team, person

    public var label: String {
        switch self {
        case .goal: return "goal"
        case .objective: return "objective"
        case .keyResult: return "key result"
        case .initiative: return "initiative"
        case .kpi: return "KPI"
        case .swot: return "SWOT item"
        case .team: return "team"
        case .person: return "person"
        }
    }
}

/// A node: its kind and its index in the plan's array of that kind.
public struct NodeRef: Hashable, Sendable {
    public var kind: NodeKind
    public var index: Int
}

/// The linked plan: every id resolved, parent/child edges, check-ins by subject, and the
/// queries the renderers need. Built by `Linker`; immutable afterwards, but for letting go
/// of the plan's source files (`Compilation.releaseSourceTexts`), which happens before the
/// graph is shared between threads. So its properties are not checked for overlapping
/// access at run time (`@exclusivity(unchecked)`): every page reads them many times, and
/// the checks, with those on the roll-up's and the node cache's tables, cost 2.6 % of a
/// build's instructions.
public final class CascadeGraph: @unchecked Sendable {
    @exclusivity(unchecked) public private(set) var plan: Plan
    /// Goals, objectives, key results, initiatives and KPIs share one id space.
    @exclusivity(unchecked) public internal(set) var nodes: [String: NodeRef] = [:]
    @exclusivity(unchecked) public internal(set) var swot: [String: Int] = [:]
    @exclusivity(unchecked) public internal(set) var teams: [String: Int] = [:]
    @exclusivity(unchecked) public internal(set) var people: [String: Int] = [:]
    /// Objective id → resolved parent id (goal, objective or key result).
    @exclusivity(unchecked) public internal(set) var parent: [String: String] = [:]
    /// Parent id → child objective ids, in plan order.
    @exclusivity(unchecked) public internal(set) var children: [String: [String]] = [:]
    /// By position in `plan.objectives`: the position of the objective its id names in
    /// `nodes` (itself, or the first definition of a duplicate id; nil when the id names
    /// a goal).
    @exclusivity(unchecked) public internal(set) var objectiveOfID: [Int?] = []
    /// By the position an objective's id names (`objectiveOfID`): its resolved parent, as
    /// `parent` holds its id.
    @exclusivity(unchecked) public internal(set) var parentOfObjective: [NodeRef?] = []
    /// By position in `plan.keyResults`: the position of the key result its id names in
    /// `nodes` (itself, or the first definition of a duplicate id; nil when the id names
    /// another kind of node). Worked out while the ids are registered, so checks that walk
    /// every key result do not look each id up again.
    @exclusivity(unchecked) public internal(set) var keyResultOfID: [Int?] = []
    /// By position in `plan.keyResults`: the index in `plan.objectives` of the objective its
    /// `objective` id names in `nodes`, or nil.
    @exclusivity(unchecked) public internal(set) var objectiveOfKeyResult: [Int?] = []
    /// By objective (position in `plan.objectives`): the positions in `plan.keyResults` of
    /// the key results it lists, in order; nil when the plan's lists are not laid out so.
    @exclusivity(unchecked) public internal(set) var keyResultPositions: [Range<Int>]?
    /// Key-result or KPI id → check-in indices, sorted by date then file order.
    @exclusivity(unchecked) public internal(set) var checkins = CheckinGroups()
    /// Key-result id → initiative ids supporting it.
    @exclusivity(unchecked) public internal(set) var initiativesFor: [String: [String]] = [:]
    /// SWOT id → goal ids addressing it.
    @exclusivity(unchecked) public internal(set) var addressedBy: [String: [String]] = [:]
    /// Team id → child team ids.
    @exclusivity(unchecked) public internal(set) var subteams: [String: [String]] = [:]
    /// Objective ids in a parent cycle (excluded from roll-up recursion).
    @exclusivity(unchecked) public internal(set) var inCycle: Set<String> = []
    /// Owner id → indices of objectives / key results they own (plan order).
    @exclusivity(unchecked) public internal(set) var objectivesByOwner: [String: [Int]] = [:]
    @exclusivity(unchecked) public internal(set) var keyResultsByOwner: [String: [Int]] = [:]
    /// Team id → indices of its objectives (plan order).
    @exclusivity(unchecked) public internal(set) var objectivesByTeam: [String: [Int]] = [:]
    /// The periods objectives use, sorted.
    @exclusivity(unchecked) public internal(set) var periods: [Period] = []
    /// Parent cycles, each as the path of objective ids.
    @exclusivity(unchecked) public internal(set) var cycles: [[String]] = []

    init(plan: Plan) {
        self.plan = plan
    }

    /// The index in `plan.objectives` of an objective id (reads in place, without copying it).
    func objectiveIndex(_ id: String) -> Int? { nodes[id].flatMap { $0.kind == .objective ? $0.index : nil } }
    func keyResultIndex(_ id: String) -> Int? { nodes[id].flatMap { $0.kind == .keyResult ? $0.index : nil } }

    // Single fields read in place: `objective(_:)` and `keyResult(_:)` copy the whole value
    // (every string and list in it retained and released), which pages and roll-up would
    // otherwise do hundreds of thousands of times to read one field.

    /// The period of an objective.
    func period(ofObjective id: String) -> Period? { objectiveIndex(id).flatMap { plan.objectives[$0].period?.value } }
    /// The key results an objective lists (some may belong to other objectives).
    func keyResultIDs(ofObjective id: String) -> [String]? { objectiveIndex(id).map { plan.objectives[$0].keyResults } }
    /// The objective a key result belongs to.
    func objectiveID(ofKeyResult id: String) -> String? { keyResultIndex(id).map { plan.keyResults[$0].objective } }

    /// The key results an objective lists that belong to it (`objectiveID(ofKeyResult:)`
    /// is the objective). Where the plan's lists are laid out as `keyResultPositions`
    /// says and each of them is the key result its id names, read from those positions
    /// instead of looking each id up: pages ask for every objective they show.
    func ownKeyResultIDs(ofObjective id: String) -> [String] {
        guard let o = objectiveIndex(id) else { return [] }
        if let positions = keyResultPositions, o < positions.count, positions[o].allSatisfy({ keyResultOfID[$0] == $0 }) {
            return positions[o].filter { plan.keyResults[$0].objective == id }.map { plan.keyResults[$0].id.value }
        }
        return plan.objectives[o].keyResults.filter { objectiveID(ofKeyResult: $0) == id }
    }

    /// Drops the source files from the plan; call it before sharing the graph between threads.
    func releaseSourceFiles() { plan.files = [] }

    /// Takes the plan's key results and objectives as the compilation joined them (the
    /// same elements in the same order: `Compilation.releaseSourceTexts`).
    func share(keyResults: PiecewiseList<KeyResult>, objectives: PiecewiseList<Objective>) {
        precondition(keyResults.count == plan.keyResults.count && objectives.count == plan.objectives.count)
        plan.keyResults = keyResults
        plan.objectives = objectives
    }

    public func goal(_ id: String) -> Goal? { nodes[id].flatMap { $0.kind == .goal ? plan.goals[$0.index] : nil } }
    public func objective(_ id: String) -> Objective? { nodes[id].flatMap { $0.kind == .objective ? plan.objectives[$0.index] : nil } }
    public func keyResult(_ id: String) -> KeyResult? { nodes[id].flatMap { $0.kind == .keyResult ? plan.keyResults[$0.index] : nil } }
    public func kpi(_ id: String) -> KPI? { nodes[id].flatMap { $0.kind == .kpi ? plan.kpis[$0.index] : nil } }
    public func initiative(_ id: String) -> Initiative? { nodes[id].flatMap { $0.kind == .initiative ? plan.initiatives[$0.index] : nil } }
    public func person(_ id: String) -> Person? { people[id].map { plan.people[$0] } }
    public func team(_ id: String) -> Team? { teams[id].map { plan.teams[$0] } }

    /// Title of any plan node, for messages and reports.
    public func title(of id: String) -> String {
        guard let ref = nodes[id] else { return id }
        switch ref.kind {
        case .goal: return plan.goals[ref.index].title.value
        case .objective: return plan.objectives[ref.index].title.value
        case .keyResult: return plan.keyResults[ref.index].title.value
        case .initiative: return plan.initiatives[ref.index].title.value
        case .kpi: return plan.kpis[ref.index].title.value
        default: return id
        }
    }

    /// The roll-up parent of an objective or key result (a key result's parent is its objective).
    public func upward(_ id: String) -> String? {
        guard let ref = nodes[id] else { return nil }
        switch ref.kind {
        case .objective: return parent[id]
        case .keyResult: return plan.keyResults[ref.index].objective
        default: return nil
        }
    }

    /// The chain from a node up to its strategic goal: the line of sight. Stops at cycles.
    public func ancestors(of id: String) -> [String] {
        var chain: [String] = []
        var seen: Set<String> = [id]
        var current = id
        while let up = upward(current), seen.insert(up).inserted {
            chain.append(up)
            current = up
        }
        return chain
    }

    /// Every objective below a node (through objectives and key results), depth first in plan order.
    public func descendants(of id: String) -> [String] {
        var out: [String] = []
        var seen: Set<String> = [id]
        var stack = [id]
        while let top = stack.popLast() {
            var next: [String] = children[top] ?? []
            if let o = objectiveIndex(top) { for kr in plan.objectives[o].keyResults { next += children[kr] ?? [] } }
            for c in next.reversed() where seen.insert(c).inserted { stack.append(c) }
            if top != id { out.append(top) }
        }
        return out
    }

    /// Objectives and key results a person owns, optionally in one period.
    public func owned(byPerson person: String, in period: Period? = nil) -> (objectives: [String], keyResults: [String]) {
        // By position, reading single fields in place (no objective or key result copied).
        let objectives = (objectivesByOwner[person] ?? [])
            .filter { period == nil || plan.objectives[$0].period?.value == period }.map { plan.objectives[$0].id.value }
        let krs = (keyResultsByOwner[person] ?? [])
            .filter { period == nil || self.period(ofObjective: plan.keyResults[$0].objective) == period }.map { plan.keyResults[$0].id.value }
        return (objectives, krs)
    }

    /// Objectives of a team (and, when `includeSubteams`, of the teams under it).
    public func objectives(ofTeam team: String, includeSubteams: Bool = false, in period: Period? = nil) -> [String] {
        var teamsIncluded: Set<String> = [team]
        if includeSubteams {
            var stack = [team]
            while let t = stack.popLast() { for s in subteams[t] ?? [] where teamsIncluded.insert(s).inserted { stack.append(s) } }
        }
        let indices = teamsIncluded.count == 1 ? (objectivesByTeam[team] ?? []) : teamsIncluded.flatMap { objectivesByTeam[$0] ?? [] }.sorted()
        return indices.filter { period == nil || plan.objectives[$0].period?.value == period }.map { plan.objectives[$0].id.value }
    }
}
