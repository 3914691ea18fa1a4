/// Resolves every id in a decoded plan and builds the `CascadeGraph`, reporting
/// duplicate ids, look-alike ids and references to nothing (with "did you mean").
public enum Linker {
    public static func link(_ plan: Plan, into diagnostics: DiagnosticCollector) -> CascadeGraph {
        let g = CascadeGraph(plan: plan)
        // Two independent registrations, in parallel: the node ids (goals, objectives, key
        // results, initiatives, KPIs) and the SWOT, team and person ids. Each table is built
        // locally and stored once; diagnostics keep the order of a serial pass.
        // The node table is the larger task, so the work that needs no id table (indexes
        // of owners, teams, periods and each objective's key results; look-alike ids) is
        // done beside it too.
        _ = Parallel.map(2, reportingInto: diagnostics) { task, local in
            if task == 0 {
                registerNodes(g, plan, local)
            } else {
                registerOthers(g, plan, local)
                indexOwnersAndTeams(g, plan)
                indexKeyResultsByObjective(g, plan)
                reportLookalikes(plan, local)
            }
        }

        // After registration the id tables are only read. Three groups of references fill
        // different tables of the graph, so they are resolved in parallel, each reporting
        // into its own collector; the collectors are added in a fixed order.
        let groups: [(CascadeGraph, Plan, DiagnosticCollector) -> Void] = [linkCascade, linkCheckins, linkOwnersAndWork]
        _ = Parallel.map(groups.count, reportingInto: diagnostics) { i, local in groups[i](g, plan, local) }
        return g
    }

    /// The table of node ids. The first definition of an id is the one it keeps. With it,
    /// by objective: the objective its id names; by key result: the key result its id names
    /// and the objective its `objective` names.
    static func registerNodes(_ g: CascadeGraph, _ plan: Plan, _ diagnostics: DiagnosticCollector) {
        var nodes: [String: NodeRef] = Dictionary(minimumCapacity: plan.goals.count + plan.objectives.count + plan.keyResults.count + plan.initiatives.count + plan.kpis.count)
        func register(_ id: Located<String>, _ ref: NodeRef) -> NodeRef {
            guard let existing = nodes.updateValue(ref, forKey: id.value) else { return ref }
            nodes[id.value] = existing
            diagnostics.emit(.duplicateID, "id '\(id.value)' is already used by \(withArticle(existing.kind.label))", at: id.range,
                             notes: [DiagnosticNote("'\(id.value)' is first defined here", at: idRange(plan, existing))],
                             help: "ids of goals, objectives, key results, initiatives and KPIs must be unique across all files")
            return existing
        }
        // By position: `enumerated()` would copy each whole objective or key result.
        for i in plan.goals.indices { _ = register(plan.goals[i].id, NodeRef(kind: .goal, index: i)) }
        var objectiveOfID = [Int?](repeating: nil, count: plan.objectives.count)
        for i in plan.objectives.indices {
            let kept = register(plan.objectives[i].id, NodeRef(kind: .objective, index: i))
            objectiveOfID[i] = kept.kind == .objective ? kept.index : nil
        }
        // The objectives are all registered, so each key result's objective can be found
        // now; a file lists an objective's key results together, so the last one found is
        // looked up again only when the objective changes.
        var keyResultOfID = [Int?](repeating: nil, count: plan.keyResults.count)
        var objectiveOfKeyResult = [Int?](repeating: nil, count: plan.keyResults.count)
        var lastObjective: (id: String, index: Int?)?
        for i in plan.keyResults.indices {
            let kept = register(plan.keyResults[i].id, NodeRef(kind: .keyResult, index: i))
            keyResultOfID[i] = kept.kind == .keyResult ? kept.index : nil
            let objective = plan.keyResults[i].objective
            if lastObjective?.id != objective {
                lastObjective = (objective, nodes[objective].flatMap { $0.kind == .objective ? $0.index : nil })
            }
            objectiveOfKeyResult[i] = lastObjective?.index
        }
        for i in plan.initiatives.indices { _ = register(plan.initiatives[i].id, NodeRef(kind: .initiative, index: i)) }
        for i in plan.kpis.indices { _ = register(plan.kpis[i].id, NodeRef(kind: .kpi, index: i)) }
        g.nodes = nodes
        g.objectiveOfID = objectiveOfID
        g.keyResultOfID = keyResultOfID
        g.objectiveOfKeyResult = objectiveOfKeyResult
    }

    /// The tables of SWOT item, team and person ids. The first definition of an id is the
    /// one its table keeps; its range is in the plan.
    static func registerOthers(_ g: CascadeGraph, _ plan: Plan, _ diagnostics: DiagnosticCollector) {
        func register(_ id: Located<String>, _ ref: NodeRef, in table: inout [String: Int], label: String) {
            if let existing = table[id.value] {
                diagnostics.emit(.duplicateID, "\(label) id '\(id.value)' is already used", at: id.range,
                                 notes: [DiagnosticNote("'\(id.value)' is first defined here", at: idRange(plan, NodeRef(kind: ref.kind, index: existing)))],
                                 help: "give each \(label) its own id")
                return
            }
            table[id.value] = ref.index
        }
        var swot: [String: Int] = [:], teams: [String: Int] = [:], people: [String: Int] = Dictionary(minimumCapacity: plan.people.count)
        for (i, x) in plan.swot.enumerated() { register(x.id, NodeRef(kind: .swot, index: i), in: &swot, label: "SWOT item") }
        for (i, x) in plan.teams.enumerated() { register(x.id, NodeRef(kind: .team, index: i), in: &teams, label: "team") }
        for (i, x) in plan.people.enumerated() { register(x.id, NodeRef(kind: .person, index: i), in: &people, label: "person") }
        g.swot = swot
        g.teams = teams
        g.people = people
    }

    /// Goals, teams, people and the objective tree (parents, children, cycles).
    static func linkCascade(_ g: CascadeGraph, _ plan: Plan, _ diagnostics: DiagnosticCollector) {
        let resolver = ReferenceResolver(graph: g, diagnostics: diagnostics)
        for goal in plan.goals {
            resolver.person(goal.owner, "has owner", of: "goal '\(goal.id.value)'")
            for s in goal.addresses where resolver.resolve(s, as: [.swot], "addresses", of: "goal '\(goal.id.value)'") {
                g.addressedBy[s.value, default: []].append(goal.id.value)
            }
        }
        for team in plan.teams {
            resolver.person(team.lead, "has lead", of: "team '\(team.id.value)'")
            if let p = team.parent { g.subteams[p, default: []].append(team.id.value) }
        }
        for person in plan.people { resolver.team(person.team, "is in team", of: "person '\(person.id.value)'") }
        // Objectives by position, read in place; the tables are built locally and stored once.
        var parent: [String: String] = Dictionary(minimumCapacity: plan.objectives.count)
        var children: [String: [String]] = [:]
        var parentOfObjective = [NodeRef?](repeating: nil, count: plan.objectives.count)
        for i in plan.objectives.indices {
            let id = plan.objectives[i].id.value
            resolver.person(plan.objectives[i].owner, "has owner", of: "objective '\(id)'")
            resolver.team(plan.objectives[i].team, "is in team", of: "objective '\(id)'")
            if let p = plan.objectives[i].parent, let ref = resolver.node(p, as: parentKinds, "has parent", of: "objective '\(id)'") {
                parent[id] = p.value
                children[p.value, default: []].append(id)
                // As `parent`, by id: a later objective with the same id and a parent wins.
                if let kept = g.objectiveOfID[i] { parentOfObjective[kept] = ref }
            }
            for s in plan.objectives[i].supports { _ = resolver.node(s, as: parentKinds, "supports", of: "objective '\(id)'") }
        }
        g.parent = parent
        g.children = children
        g.parentOfObjective = parentOfObjective
        findCycles(g)
    }

    /// What an objective's `parent` and `supports` may name.
    private static let parentKinds: [NodeKind] = [.goal, .objective, .keyResult]

    /// Check-ins, grouped by key result or KPI and sorted by date (see `CheckinGroups`).
    static func linkCheckins(_ g: CascadeGraph, _ plan: Plan, _ diagnostics: DiagnosticCollector) {
        let resolver = ReferenceResolver(graph: g, diagnostics: diagnostics)
        let nodes = g.nodes
        // A ledger lists a target's check-ins one after another, so they are taken in runs:
        // one run's target is looked up once, not once per check-in. Runs are taken within
        // each piece of the list (a file's check-ins); a target's check-ins split over two
        // pieces (or files) are two runs of its group, in file order.
        struct Run {
            var target: NodeRef
            var checkins: Range<Int>
            var datesGoDown: Bool
        }
        var runs: [Run] = []
        // Ledgers usually list key results in the order the plan defines them: the key
        // result after the last run's is tried first, by comparing its id, before the table.
        var lastKeyResult = -1
        func keyResult(after last: Int, is id: String) -> NodeRef? {
            let next = last + 1
            guard next < plan.keyResults.count, let kept = g.keyResultOfID[next], plan.keyResults[next].id.value == id else { return nil }
            return NodeRef(kind: .keyResult, index: kept)
        }
        var keyResultCounts = [Int](repeating: 0, count: plan.keyResults.count)
        var kpiCounts = [Int](repeating: 0, count: plan.kpis.count)
        var pieceStart = 0
        for checkins in plan.checkins.pieces {
            var i = 0
            while i < checkins.count {
                let target = checkins[i].target
                let subject = checkins[i].subject
                var end = i + 1
                var datesGoDown = false
                while end < checkins.count, checkins[end].subject == subject, checkins[end].target.value == target.value {
                    if checkins[end].date.value.number < checkins[end - 1].date.value.number { datesGoDown = true }
                    end += 1
                }
                let kind: NodeKind = subject == .kpi ? .kpi : .keyResult
                if let ref = (kind == .keyResult ? keyResult(after: lastKeyResult, is: target.value) : nil) ?? nodes[target.value], ref.kind == kind {
                    runs.append(Run(target: ref, checkins: (pieceStart + i)..<(pieceStart + end), datesGoDown: datesGoDown))
                    if kind == .kpi { kpiCounts[ref.index] += end - i } else { keyResultCounts[ref.index] += end - i }
                    if kind == .keyResult { lastKeyResult = ref.index }
                } else {
                    // Each check-in of an unknown target gets its own diagnostic.
                    for k in i..<end { _ = resolver.resolve(checkins[k].target, as: [kind], "is for", of: "a check-in") }
                }
                i = end
            }
            pieceStart += checkins.count
        }
        // Each group's place in the one list: key results' groups, then KPIs'.
        func bounds(_ counts: [Int], from start: Int) -> [Range<Int>] {
            var next = start
            return counts.map { count in
                defer { next += count }
                return next..<(next + count)
            }
        }
        let keyResultGroups = bounds(keyResultCounts, from: 0)
        let kpiGroups = bounds(kpiCounts, from: keyResultGroups.last?.upperBound ?? 0)
        var order = [Int](repeating: 0, count: kpiGroups.last?.upperBound ?? keyResultGroups.last?.upperBound ?? 0)
        // Filled run by run, in file order, so each group holds increasing indices: in
        // (date, index) order when its dates never go down, as in a ledger written week by
        // week. Only a group with a run whose dates go down, or with more than one run, is
        // looked at again, its dates read in place.
        var filled = keyResultGroups.map(\.lowerBound) + kpiGroups.map(\.lowerBound)
        var recheck: [Range<Int>] = []
        for run in runs {
            let slot = run.target.kind == .kpi ? keyResultGroups.count + run.target.index : run.target.index
            let group = run.target.kind == .kpi ? kpiGroups[run.target.index] : keyResultGroups[run.target.index]
            let isFirstRun = filled[slot] == group.lowerBound
            if isFirstRun, run.datesGoDown || run.checkins.count != group.count { recheck.append(group) }
            for c in run.checkins {
                order[filled[slot]] = c
                filled[slot] += 1
            }
        }
        func date(_ i: Int) -> Int { plan.checkins[i].date.value.number }
        for group in recheck where zip(order[group], order[group].dropFirst()).contains(where: { date($0) > date($1) }) {
            order[group].sort { (date($0), $0) < (date($1), $1) }
        }
        g.checkins = CheckinGroups(nodes: nodes, order: order, keyResultGroups: keyResultGroups, kpiGroups: kpiGroups)
    }

    /// Key-result owners, initiatives and KPIs.
    static func linkOwnersAndWork(_ g: CascadeGraph, _ plan: Plan, _ diagnostics: DiagnosticCollector) {
        let resolver = ReferenceResolver(graph: g, diagnostics: diagnostics)
        for k in plan.keyResults.indices {
            // An owner inherited from the objective was already checked there.
            let owner = plan.keyResults[k].owner
            let inherited = owner?.range == g.objectiveOfKeyResult[k].flatMap { plan.objectives[$0].owner?.range }
            if !inherited { resolver.person(owner, "has owner", of: "key result '\(plan.keyResults[k].id.value)'") }
        }
        for ini in plan.initiatives {
            resolver.person(ini.owner, "has owner", of: "initiative '\(ini.id.value)'")
            resolver.team(ini.team, "is in team", of: "initiative '\(ini.id.value)'")
            for s in ini.supports where resolver.resolve(s, as: [.keyResult, .objective], "supports", of: "initiative '\(ini.id.value)'") {
                g.initiativesFor[s.value, default: []].append(ini.id.value)
            }
        }
        for kpi in plan.kpis {
            resolver.person(kpi.owner, "has owner", of: "KPI '\(kpi.id.value)'")
            resolver.team(kpi.team, "is in team", of: "KPI '\(kpi.id.value)'")
        }
    }

    /// The by-owner and by-team indexes and the plan's periods (no diagnostics). Built in
    /// local tables and stored once, like the check-in lists.
    static func indexOwnersAndTeams(_ g: CascadeGraph, _ plan: Plan) {
        var objectivesByOwner = PositionsByKey(), objectivesByTeam = PositionsByKey(), keyResultsByOwner = PositionsByKey()
        var periods: Set<Period> = []
        var lastPeriod: Period?
        for i in plan.objectives.indices {
            objectivesByOwner.add(i, under: plan.objectives[i].owner?.value)
            objectivesByTeam.add(i, under: plan.objectives[i].team?.value)
            if let period = plan.objectives[i].period?.value, period != lastPeriod {
                periods.insert(period)
                lastPeriod = period
            }
        }
        for i in plan.keyResults.indices { keyResultsByOwner.add(i, under: plan.keyResults[i].owner?.value) }
        g.objectivesByOwner = objectivesByOwner.finished()
        g.objectivesByTeam = objectivesByTeam.finished()
        g.keyResultsByOwner = keyResultsByOwner.finished()
        g.periods = periods.sorted()
    }

    /// Positions grouped by a key, in increasing order, for keys that come in runs (a file
    /// lists a team's objectives together; an objective's key results mostly share its
    /// owner): the table is updated once per run, not once per position (at 20k objectives
    /// the three tables took 15 ms, most of the link's longer half).
    struct PositionsByKey {
        private var table: [String: [Int]] = [:]
        private var key: String?
        private var run: [Int] = []

        /// Adds `position` under `key`; a nil key is no key (the position is left out).
        mutating func add(_ position: Int, under key: String?) {
            if key != self.key {
                flush()
                self.key = key
            }
            if key != nil { run.append(position) }
        }

        mutating func finished() -> [String: [Int]] {
            flush()
            return table
        }

        private mutating func flush() {
            guard let key, !run.isEmpty else { return }
            table[key, default: []].append(contentsOf: run)
            run.removeAll(keepingCapacity: true)
        }
    }

    /// Where each objective's key results are in `plan.keyResults`. The decoders add an
    /// objective's key results to the plan as they list their ids, one objective after
    /// another, so they are found by counting; the ids are compared on the way, and when
    /// a plan's lists do not line up so (no decoder makes such a plan) there is no index,
    /// and the checks look the ids up.
    static func indexKeyResultsByObjective(_ g: CascadeGraph, _ plan: Plan) {
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(plan.objectives.count)
        var next = 0
        for i in plan.objectives.indices {
            let ids = plan.objectives[i].keyResults
            guard next + ids.count <= plan.keyResults.count,
                  ids.indices.allSatisfy({ plan.keyResults[next + $0].id.value == ids[$0] }) else { return }
            ranges.append(next..<(next + ids.count))
            next += ids.count
        }
        guard next == plan.keyResults.count else { return }
        g.keyResultPositions = ranges
    }

    /// Where the id of a node, SWOT item, team or person is written.
    static func idRange(_ plan: Plan, _ ref: NodeRef) -> SourceRange {
        switch ref.kind {
        case .goal: return plan.goals[ref.index].id.range
        case .objective: return plan.objectives[ref.index].id.range
        case .keyResult: return plan.keyResults[ref.index].id.range
        case .initiative: return plan.initiatives[ref.index].id.range
        case .kpi: return plan.kpis[ref.index].id.range
        case .swot: return plan.swot[ref.index].id.range
        case .team: return plan.teams[ref.index].id.range
        case .person: return plan.people[ref.index].id.range
        }
    }

    /// Marks objectives on parent cycles; each cycle is reported once by `cascade-cycle`.
    /// The parent links are walked by position (each objective's resolved parent, each key
    /// result's objective), the way `CascadeGraph.upward` goes by id.
    static func findCycles(_ g: CascadeGraph) {
        let plan = g.plan
        // 1 = on the current path, 2 = done; goals end every path.
        var objectiveState = [UInt8](repeating: 0, count: plan.objectives.count)
        var keyResultState = [UInt8](repeating: 0, count: plan.keyResults.count)
        func state(_ r: NodeRef) -> UInt8? {
            switch r.kind {
            case .objective: return objectiveState[r.index]
            case .keyResult: return keyResultState[r.index]
            default: return nil
            }
        }
        func set(_ r: NodeRef, _ s: UInt8) {
            if r.kind == .objective { objectiveState[r.index] = s } else { keyResultState[r.index] = s }
        }
        func up(_ r: NodeRef) -> NodeRef? {
            switch r.kind {
            case .objective: return g.parentOfObjective[r.index]
            case .keyResult: return g.objectiveOfKeyResult[r.index].map { NodeRef(kind: .objective, index: $0) }
            default: return nil
            }
        }
        func id(_ r: NodeRef) -> String { r.kind == .objective ? plan.objectives[r.index].id.value : plan.keyResults[r.index].id.value }
        var cycles: [[String]] = []
        var inCycle: Set<String> = []
        for i in plan.objectives.indices {
            guard let start = g.objectiveOfID[i] else { continue }
            var path: [NodeRef] = []
            var current: NodeRef? = NodeRef(kind: .objective, index: start)
            while let c = current, state(c) == 0 {
                set(c, 1)
                path.append(c)
                current = up(c)
            }
            if let c = current, state(c) == 1, let first = path.firstIndex(of: c) {
                let cycle = path[first...].map(id)
                cycles.append(cycle)
                inCycle.formUnion(cycle)
            }
            for p in path { set(p, 2) }
        }
        g.cycles = cycles
        g.inCycle = inCycle
    }

    static func reportLookalikes(_ plan: Plan, _ diagnostics: DiagnosticCollector) {
        // Most ids are lower-case ASCII already: no new string for those.
        func folded(_ id: String) -> String {
            id.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) ? id : id.lowercased()
        }
        // Two different ids that are both their own fold cannot fold alike: every look-alike
        // pair has an id that changes when folded, and the other folds to the same. So
        // only ids whose fold is one of those changed ids' folds go into the table (none
        // in a plan whose ids are all lower case, the usual case), not every id of the plan.
        // Ids read in place, by position: a closure over the elements copied each whole
        // objective and key result (every string in it retained and released) to read one
        // field, 50 million instructions of a 5k check.
        var changedFolds: Set<String> = []
        // The folds' lengths, as bits (63: 63 bytes or more), and the places (counted over
        // all ids in the order below) of the ids that change: an unchanged id is its own
        // fold, so one of another length is passed over without folding or hashing it (a
        // plan's few upper-case ids are often its goals').
        var foldLengths: UInt64 = 0
        var changedAt: [Int] = []
        var place = 0
        func lengthBit(_ fold: String) -> UInt64 { 1 << UInt64(min(fold.utf8.count, 63)) }
        func noteChange(_ id: String) {
            let fold = folded(id)
            if fold != id {
                changedFolds.insert(fold)
                foldLengths |= lengthBit(fold)
                changedAt.append(place)
            }
            place += 1
        }
        for i in plan.goals.indices { noteChange(plan.goals[i].id.value) }
        for i in plan.objectives.indices { noteChange(plan.objectives[i].id.value) }
        for i in plan.keyResults.indices { noteChange(plan.keyResults[i].id.value) }
        for i in plan.initiatives.indices { noteChange(plan.initiatives[i].id.value) }
        for i in plan.kpis.indices { noteChange(plan.kpis[i].id.value) }
        guard !changedFolds.isEmpty else { return }
        var byFold: [String: Located<String>] = [:]
        var nextChanged = 0
        place = 0
        func visit(_ id: Located<String>) {
            defer { place += 1 }
            let changed = nextChanged < changedAt.count && changedAt[nextChanged] == place
            if changed { nextChanged += 1 }
            guard changed || foldLengths & lengthBit(id.value) != 0 else { return }
            let fold = folded(id.value)
            guard changedFolds.contains(fold) else { return }
            if let other = byFold[fold] {
                if other.value != id.value {
                    diagnostics.emit(.idLookalike, "id '\(id.value)' differs from '\(other.value)' only by letter case", at: id.range,
                                     notes: [DiagnosticNote("'\(other.value)' is defined here", at: other.range)],
                                     help: "rename one of them; ids that differ only by case are easy to confuse")
                }
            } else {
                byFold[fold] = id
            }
        }
        for i in plan.goals.indices { visit(plan.goals[i].id) }
        for i in plan.objectives.indices { visit(plan.objectives[i].id) }
        for i in plan.keyResults.indices { visit(plan.keyResults[i].id) }
        for i in plan.initiatives.indices { visit(plan.initiatives[i].id) }
        for i in plan.kpis.indices { visit(plan.kpis[i].id) }
    }
}

/// Resolves one reference and reports it when it names nothing, or the wrong kind of thing.
struct ReferenceResolver {
    let graph: CascadeGraph
    let diagnostics: DiagnosticCollector

    func person(_ ref: Located<String>?, _ role: String, of subject: @autoclosure () -> String) { if let r = ref { _ = resolve(r, as: [.person], role, of: subject()) } }
    func team(_ ref: Located<String>?, _ role: String, of subject: @autoclosure () -> String) { if let r = ref { _ = resolve(r, as: [.team], role, of: subject()) } }

    /// Whether `id` names a node of one of `kinds` (the common case, without building messages).
    func names(_ id: String, as kinds: [NodeKind]) -> Bool {
        // The node table is looked in once, however many node kinds are asked for.
        var node: NodeRef??
        return kinds.contains { kind in
            switch kind {
            case .swot: return graph.swot[id] != nil
            case .team: return graph.teams[id] != nil
            case .person: return graph.people[id] != nil
            default:
                if node == nil { node = .some(graph.nodes[id]) }
                return node??.kind == kind
            }
        }
    }

    /// The node a reference names, when it is of one of `kinds` (node kinds only); else
    /// nil, reported as `resolve` reports it.
    func node(_ ref: Located<String>, as kinds: [NodeKind], _ role: String, of subject: @autoclosure () -> String) -> NodeRef? {
        if let node = graph.nodes[ref.value], kinds.contains(node.kind) { return node }
        _ = resolve(ref, as: kinds, role, of: subject())
        return nil
    }

    func kindOf(_ id: String) -> [NodeKind] {
        var kinds: [NodeKind] = []
        if let n = graph.nodes[id] { kinds.append(n.kind) }
        if graph.swot[id] != nil { kinds.append(.swot) }
        if graph.teams[id] != nil { kinds.append(.team) }
        if graph.people[id] != nil { kinds.append(.person) }
        return kinds
    }

    func candidates(_ kinds: [NodeKind]) -> [String] {
        var out: [String] = []
        for k in kinds {
            switch k {
            case .swot: out += graph.swot.keys
            case .team: out += graph.teams.keys
            case .person: out += graph.people.keys
            default: out += graph.nodes.filter { $0.value.kind == k }.map(\.key)
            }
        }
        return out
    }

    /// True when `ref` names a node of one of `kinds`. Messages read
    /// "objective 'x' has owner 'y', which is not a person in the plan".
    func resolve(_ ref: Located<String>, as kinds: [NodeKind], _ role: String, of subject: @autoclosure () -> String) -> Bool {
        if names(ref.value, as: kinds) { return true }
        let subject = subject()
        let found = kindOf(ref.value)
        if found.contains(where: kinds.contains) { return true }
        let labels = kinds.map(\.label)
        let expected = labels.count <= 2 ? labels.joined(separator: " or ") : labels.dropLast().joined(separator: ", ") + " or " + labels.last!
        if let actual = found.first {
            diagnostics.emit(.wrongReferenceKind, "\(subject) \(role) '\(ref.value)', which is \(withArticle(actual.label)), not \(withArticle(expected))", at: ref.range)
        } else {
            diagnostics.emit(.danglingReference, "\(subject) \(role) '\(ref.value)', which is not \(withArticle(expected)) in the plan", at: ref.range,
                             help: Suggestion.didYouMean(ref.value, in: candidates(kinds)))
        }
        return false
    }
}
