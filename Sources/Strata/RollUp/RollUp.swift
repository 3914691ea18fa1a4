/// Computes progress, expected pace, status, confidence and grades for every key result,
/// objective and goal at an as-of date. Initiatives never count; `supports` links never count.
///
/// - Key result: increase/decrease `(current − start) / (target − start)`; stay above/below
///   1 or 0 on the latest value; milestone 0 or 1. The current value is the latest check-in
///   on or before the as-of date, else the key result's `current`, else its start.
/// - Objective: weighted mean of its key results (`key_results`), plain mean of the
///   objectives hung under it or under its key results (`children`), or the average of
///   the two (`both`, the default; whichever exists when only one does).
/// - Goal: mean of the objectives hung under it.
public final class RollUp: @unchecked Sendable {
    public let graph: CascadeGraph
    public let config: Config
    public let asOf: Day
    /// Every node's figures, by id. Explanations are built on request (`explained(_:)`).
    /// Written only while the roll-up is made, then read by every page on every thread:
    /// not checked for overlapping access at run time.
    @exclusivity(unchecked) public private(set) var results: [String: ProgressFigures] = [:]
    @exclusivity(unchecked) public private(set) var kpis: [String: KPIReading] = [:]

    /// The ends of a status reason: the threshold the ratio was held against.
    private let onTrackThreshold: [UInt8], behindThreshold: [UInt8], atRiskThreshold: [UInt8]

    public convenience init(graph: CascadeGraph, config: Config, asOf: Day) {
        self.init(graph: graph, config: config, asOf: asOf, objectivesInRounds: true)
    }

    /// `objectivesInRounds: false` gives every objective its figures by the post-order walk
    /// alone (the rounds' reference, in tests).
    init(graph: CascadeGraph, config: Config, asOf: Day, objectivesInRounds: Bool) {
        self.objectivesInRounds = objectivesInRounds
        self.graph = graph
        self.config = config
        self.asOf = asOf
        onTrackThreshold = Array(") ≥ \(Quantity.format(config.onTrackRatio))".utf8)
        behindThreshold = Array(") ≥ \(Quantity.format(config.behindRatio))".utf8)
        atRiskThreshold = Array(") < \(Quantity.format(config.behindRatio))".utf8)
        let objectives = graph.plan.objectives
        if graph.objectiveOfID.count == objectives.count {
            childLists = objectives.indices.map { i in graph.objectiveOfID[i] == i ? findChildObjectives(of: objectives[i].id.value) : [] }
        }
        compute()
    }

    public subscript(id: String) -> ProgressFigures? { results[id] }

    /// A node's progress with its explanation (formula, inputs, contributions, the reason
    /// for its status), worked out again from the same inputs and the children's figures:
    /// the figures are the ones `self[id]` has. With `.sentences`, only the reason and the
    /// formula (what pages show); with `.reason` (plan.json), only the reason; the inputs
    /// and contributions stay empty but with `.full`.
    public func explained(_ id: String, _ detail: ExplanationDetail = .full) -> NodeProgress? {
        guard results[id] != nil, let ref = graph.nodes[id] else { return nil }
        switch ref.kind {
        // Passed in place from the plan's lists, not copied out as `graph.keyResult(id)` would.
        case .keyResult: return keyResultProgress(graph.plan.keyResults[ref.index], detail)
        case .objective: return objectiveProgress(graph.plan.objectives[ref.index], detail)
        case .goal: return graph.goal(id).map { goalProgress($0, detail) }
        default: return nil
        }
    }

    var plan: Plan { graph.plan }

    func clampForRollup(_ raw: Double) -> Double {
        let r = raw.isFinite ? raw : 0
        return config.capProgress ? min(1, max(0, r)) : max(0, r)
    }

    // MARK: - Order

    func compute() {
        // Sized once: growing it copied every entry, old and new tables alive at once.
        results.reserveCapacity(plan.keyResults.count + plan.objectives.count + plan.goals.count)
        // A key result's figures depend only on the graph and its own check-ins, so they are
        // worked out on every core, a range of key results at a time, and stored in plan
        // order: the first definition of an id keeps it, as the graph does.
        let keyResults = plan.keyResults
        let figures = Parallel.mapEach(keyResults.count, inRangesOf: 4_096) { keyResultProgress(keyResults[$0], .figures).figures }
        for (k, f) in figures.enumerated() {
            let id = keyResults[k].id.value
            if results[id] == nil { results[id] = f }
        }
        // Objectives children first. An objective needs only its own key results' figures
        // (done above) and its child objectives', and most objectives (a person's) have no
        // child objectives: so they are worked out a round at a time, each round the
        // objectives whose child objectives are all done, on every core. Each figure
        // depends only on its children's, so the order within a round changes nothing.
        let done = computeObjectivesInRounds()
        // What the rounds could not reach (an objective on or above a cycle the graph did
        // not mark; or a graph the linker did not index) in post-order, iteratively,
        // skipping cycle back-edges.
        guard var done else { return finishCompute() }
        for o in plan.objectives {
            var stack: [(String, Bool)] = [(o.id.value, false)]
            var onPath: Set<String> = []
            while let (id, expanded) = stack.popLast() {
                if done.contains(id) { continue }
                if expanded {
                    onPath.remove(id)
                    if let obj = graph.objective(id) { results[id] = objectiveProgress(obj, .figures).figures }
                    done.insert(id)
                    continue
                }
                onPath.insert(id)
                stack.append((id, true))
                for child in childObjectives(of: id) where !done.contains(child) && !onPath.contains(child) {
                    stack.append((child, false))
                }
            }
        }
        finishCompute()
    }

    /// The objectives' figures in rounds (see `compute`). Nil when every objective got its
    /// figures; otherwise the ids that did, for the walk that does the rest.
    private func computeObjectivesInRounds() -> Set<String>? {
        let objectives = plan.objectives
        guard objectivesInRounds, graph.objectiveOfID.count == objectives.count, childLists.count == objectives.count else { return [] }
        // For each objective (its first definition), how many child objectives it still
        // waits for, and which objectives wait for it.
        var waitingFor = [Int](repeating: 0, count: objectives.count)
        var waitedOnBy = [[Int]](repeating: [], count: objectives.count)
        var round: [Int] = []
        var unique = 0
        for i in objectives.indices where graph.objectiveOfID[i] == i {
            unique += 1
            for child in childLists[i] {
                guard let c = graph.objectiveIndex(child) else { continue }
                waitingFor[i] += 1
                waitedOnBy[c].append(i)
            }
            if waitingFor[i] == 0 { round.append(i) }
        }
        var computed: [Int] = []
        computed.reserveCapacity(unique)
        while !round.isEmpty {
            let current = round
            let figures = Parallel.mapEach(current.count, inRangesOf: 1_024) { objectiveProgress(objectives[current[$0]], .figures).figures }
            var next: [Int] = []
            for (k, f) in figures.enumerated() {
                let i = current[k]
                results[objectives[i].id.value] = f
                computed.append(i)
                for parent in waitedOnBy[i] {
                    waitingFor[parent] -= 1
                    if waitingFor[parent] == 0 { next.append(parent) }
                }
            }
            round = next
        }
        return computed.count == unique ? nil : Set(computed.map { objectives[$0].id.value })
    }

    /// Goals and KPIs, once every objective has its figures.
    private func finishCompute() {
        // The goal the graph keeps for each id (the first definition), as `explained` uses.
        for (i, g) in plan.goals.enumerated() where graph.nodes[g.id.value] == NodeRef(kind: .goal, index: i) {
            results[g.id.value] = goalProgress(g, .figures).figures
        }
        for k in plan.kpis { kpis[k.id.value] = kpiReading(k) }
    }

    /// Objectives hung directly under an objective or under one of its key results.
    public func childObjectives(of id: String) -> [String] {
        if let i = graph.objectiveIndex(id), i < childLists.count { return childLists[i] }
        return findChildObjectives(of: id)
    }

    /// `childObjectives` of every objective, by its position in the plan (those that
    /// another objective's id names first stay empty: their id finds the other); empty for
    /// a graph the linker did not index. Worked out once: roll-up, every page that shows
    /// an objective and plan.json ask for them, and finding them looks up the objective,
    /// each of its key results and each child.
    @exclusivity(unchecked) private var childLists: [[String]] = []

    /// Whether `compute` works objectives out in rounds (see there).
    private let objectivesInRounds: Bool

    func findChildObjectives(of id: String) -> [String] {
        var out = graph.children[id] ?? []
        for kr in graph.keyResultIDs(ofObjective: id) ?? [] { out += graph.children[kr] ?? [] }
        return out.filter { graph.objectiveIndex($0) != nil && !(graph.inCycle.contains($0) && graph.inCycle.contains(id)) }
    }

    // MARK: - Key results

    /// A node's check-ins on or before the as-of date, oldest first; later ones do not count.
    public func reachedCheckins(_ id: String) -> [Checkin] {
        reachedCheckinPositions(id).map { plan.checkins[$0] }
    }

    /// Where `reachedCheckins(id)`'s check-ins are in `plan.checkins`, in the same order:
    /// for a reader that only looks at them, without copying each one.
    public func reachedCheckinPositions(_ id: String) -> [Int] {
        guard let list = graph.checkins[id] else { return [] }
        // Dates are compared in place.
        var reached: [Int] = []
        reached.reserveCapacity(list.count)
        for i in list where plan.checkins[i].date.value <= asOf { reached.append(i) }
        return reached
    }

    /// The latest check-in on or before the as-of date.
    func latestCheckin(_ id: String) -> Checkin? {
        guard let list = graph.checkins[id] else { return nil }
        // The position first: copying a check-in at every step retained all its text.
        var latest: Int?
        for i in list where plan.checkins[i].date.value <= asOf { latest = i }
        return latest.map { plan.checkins[$0] }
    }

    func expected(for period: Period?) -> Double? {
        guard let p = period else { return nil }
        if asOf < p.start { return 0 }
        if asOf >= p.end { return 1 }
        return Double(asOf - p.start + 1) / Double(p.length)
    }

    func keyResultProgress(_ kr: KeyResult, _ detail: ExplanationDetail) -> NodeProgress {
        let explain = detail != .figures
        let period = graph.period(ofObjective: kr.objective)
        let latest = latestCheckin(kr.id.value)
        var inputs = ProgressInputs(explain: detail == .full)
        var raw = 0.0
        var formula = ""
        var current: String?
        var currentQuantity: Quantity?
        if case .quantity(let q)? = latest?.value.value {
            currentQuantity = q
            inputs.add("current (check-in \(latest!.date.value))", value: q.text, source: latest!.range)
        } else if latest == nil, let c = kr.current, period.map({ asOf >= $0.start }) ?? true {
            // `current` has no date: it counts only once the period has started.
            currentQuantity = c.value
            inputs.add("current (from the key result)", value: c.value.text, source: c.range)
        }
        switch kr.measure {
        case .change(let s, let t):
            let cur = currentQuantity ?? s.value
            if currentQuantity == nil { inputs.add("current (no check-in: the start)", value: s.value.text, source: s.range) }
            inputs.add("start", value: s.value.text, source: s.range)
            inputs.add("target", value: t.value.text, source: t.range)
            let span = t.value.value - s.value.value
            raw = span == 0 ? (cur.value == t.value.value ? 1 : 0) : (cur.value - s.value.value) / span
            if detail.formula { formula = "(current − start) ÷ (target − start) = (\(cur.text) − \(s.value.text)) ÷ (\(t.value.text) − \(s.value.text)) = \(Percent.text(raw))" }
            current = cur.text
        case .stayAbove(let q), .stayBelow(let q):
            let above: Bool
            if case .stayAbove = kr.measure { above = true } else { above = false }
            inputs.add(above ? "threshold (stay at or above)" : "threshold (stay at or below)", value: q.value.text, source: q.range)
            if let cur = currentQuantity {
                let met = above ? cur.value >= q.value.value : cur.value <= q.value.value
                raw = met ? 1 : 0
                if detail.formula { formula = "latest value \(cur.text) is \(met ? "" : "not ")\(above ? "at or above" : "at or below") \(q.value.text) → \(met ? "100%" : "0%")" }
                current = cur.text
            } else {
                raw = 0
                if detail.formula { formula = "no value recorded yet → 0%" }
            }
        case .milestone(let doneInPlan):
            var isDone = doneInPlan
            if case .done(let d)? = latest?.value.value {
                isDone = d
                inputs.add("check-in \(latest!.date.value)", value: d ? "done" : "not done", source: latest!.range)
            } else {
                inputs.add("milestone in the plan", value: doneInPlan ? "done" : "not done", source: kr.range)
            }
            raw = isDone ? 1 : 0
            if detail.formula { formula = "milestone \(isDone ? "done → 100%" : "not done → 0%")" }
            current = isDone ? "done" : "not done"
        case .unmeasurable:
            if detail.formula { formula = "no target, threshold or milestone → 0%" }
        }
        let rolled = clampForRollup(raw)
        let exp = expected(for: period)
        var (status, reason) = statusFor(progress: rolled, expected: exp, period: period, explain: explain)
        if case .stayAbove = kr.measure, let p = period, p.contains(asOf) {
            (status, reason) = rolled >= 1 ? (.onTrack, "the latest value meets the threshold") : (.atRisk, "the latest value breaks the threshold")
        } else if case .stayBelow = kr.measure, let p = period, p.contains(asOf) {
            (status, reason) = rolled >= 1 ? (.onTrack, "the latest value meets the threshold") : (.atRisk, "the latest value breaks the threshold")
        } else if case .milestone = kr.measure, let p = period, p.contains(asOf), rolled < 1, let e = exp {
            (status, reason) = e < 0.75 ? (.onTrack, explain ? "milestone open with \(Percent.text(1 - e)) of the period left" : "")
                                        : (.behind, "milestone still open in the last quarter of the period")
        }
        if case .stayAbove = kr.measure, let p = period, asOf > p.end {
            (status, reason) = rolled >= 1 ? (.done, "the threshold held at the end of the period") : (.missed, "the threshold was broken at the end of the period")
        } else if case .stayBelow = kr.measure, let p = period, asOf > p.end {
            (status, reason) = rolled >= 1 ? (.done, "the threshold held at the end of the period") : (.missed, "the threshold was broken at the end of the period")
        }
        let confidence = latest?.confidence?.value
        if let c = latest?.confidence { inputs.add("confidence (check-in \(latest!.date.value))", value: Percent.text(c.value), source: c.range) }
        return NodeProgress(id: kr.id.value, kind: .keyResult, raw: raw, rolled: rolled, expected: exp, status: status,
                            statusReason: reason, confidence: confidence, grade: grade(rolled, period),
                            current: current, formula: formula, inputs: inputs.list, contributions: [])
    }

    // MARK: - Status

    func statusFor(progress: Double, expected: Double?, period: Period?, explain: Bool) -> (Status, String) {
        guard let p = period, let e = expected else {
            return progress >= 1 ? (.done, "progress reached 100%") : (.onTrack, "no period, so no pace to compare with")
        }
        if asOf < p.start { return (.notStarted, explain ? "\(p.name) starts \(p.start)" : "") }
        if progress >= 1 { return (.done, "progress reached 100%") }
        if asOf > p.end { return (.missed, !explain ? "" : "\(p.name) ended \(p.end) at \(Percent.text(progress)) (grade \(Quantity.format((min(1, max(0, progress)) * 10).rounded() / 10)); aspirational objectives aim for about 0.7)") }
        let ratio = e > 0 ? progress / e : 1
        let status: Status = ratio >= config.onTrackRatio ? .onTrack : ratio >= config.behindRatio ? .behind : .atRisk
        guard explain else { return (status, "") }
        // "52% done vs 55% expected (ratio 0.94) ≥ 0.75", written as bytes: pages and
        // plan.json give every node's reason, and interpolating it cost 4,800 instructions.
        var b: [UInt8] = []
        b.reserveCapacity(64)
        DecimalText.appendPercent(progress, to: &b)
        b += " done vs ".utf8
        DecimalText.appendPercent(e, to: &b)
        b += " expected (ratio ".utf8
        DecimalText.appendCompact(ratio, to: &b)
        b += status == .onTrack ? onTrackThreshold : status == .behind ? behindThreshold : atRiskThreshold
        return (status, String(decoding: b, as: UTF8.self))
    }

    /// Google's 0.0–1.0 grade, in steps of 0.1, once the period has ended.
    func grade(_ progress: Double, _ period: Period?) -> Double? {
        guard let p = period, asOf > p.end else { return nil }
        return (min(1, max(0, progress)) * 10).rounded() / 10
    }

    func worstChild(_ own: (Status, String), children: [String], explain: Bool) -> (Status, String) {
        guard config.worstChild else { return own }
        var result = own
        for c in children {
            guard let s = results[c]?.status, s.concern > result.0.concern else { continue }
            result = (s, explain ? "no better than its worst child '\(c)' (\(s.rawValue))" : "")
        }
        return result
    }

    // MARK: - Objectives and goals

    func objectiveProgress(_ o: Objective, _ detail: ExplanationDetail) -> NodeProgress {
        let explain = detail != .figures
        let source = o.progressSource ?? config.objectiveProgress
        let period = o.period?.value
        var contributions: [Contribution] = []
        var krSum = 0.0, krWeight = 0.0
        for id in o.keyResults {
            guard let k = graph.keyResultIndex(id), plan.keyResults[k].objective == o.id.value, let p = results[id] else { continue }
            let weight = plan.keyResults[k].effectiveWeight
            contributions.append(Contribution(id: id, kind: .keyResult, weight: weight, progress: p.rolled))
            krSum += weight * p.rolled
            krWeight += weight
        }
        var childSum = 0.0, childCount = 0.0
        for c in childObjectives(of: o.id.value) {
            guard let p = results[c] else { continue }
            contributions.append(Contribution(id: c, kind: .objective, weight: 1, progress: p.rolled))
            childSum += p.rolled
            childCount += 1
        }
        let krMean = krWeight > 0 ? krSum / krWeight : nil
        let childMean = childCount > 0 ? childSum / childCount : nil
        var raw = 0.0
        var formula = ""
        switch (source, krMean, childMean) {
        case (.keyResults, let k?, _), (.both, let k?, nil):
            raw = k
            if detail.formula { formula = "weighted mean of key results = \(Percent.text(k))" }
            contributions.removeAll { $0.kind == .objective && source == .keyResults }
        case (.children, _, let c?), (.both, nil, let c?):
            raw = c
            if detail.formula { formula = "mean of child objectives = \(Percent.text(c))" }
            contributions.removeAll { $0.kind == .keyResult && source == .children }
        case (.both, let k?, let c?):
            raw = (k + c) / 2
            if detail.formula { formula = "(key results \(Percent.text(k)) + child objectives \(Percent.text(c))) ÷ 2 = \(Percent.text(raw))" }
        default:
            if detail.formula { formula = source == .children ? "no child objectives → 0%" : "no key results → 0%" }
        }
        let krShare = contributions.contains { $0.kind == .objective } ? 0.5 : 1.0
        let childShare = contributions.contains { $0.kind == .keyResult } ? 0.5 : 1.0
        for i in contributions.indices {
            if contributions[i].kind == .keyResult {
                contributions[i].share = krWeight > 0 ? contributions[i].weight / krWeight * krShare : 0
            } else {
                contributions[i].share = childCount > 0 ? childShare / childCount : 0
            }
        }
        let rolled = clampForRollup(raw)
        let exp = expected(for: period)
        let status = worstChild(statusFor(progress: rolled, expected: exp, period: period, explain: explain), children: contributions.map(\.id), explain: explain)
        let confidences = o.keyResults.compactMap { results[$0]?.confidence }
        let confidence = confidences.isEmpty ? nil : confidences.reduce(0, +) / Double(confidences.count)
        var inputs = ProgressInputs(explain: detail == .full)
        inputs.add("progress from", value: source.rawValue, source: o.range)
        if let p = o.period { inputs.add("period", value: "\(p.value.name) (\(p.value.start) – \(p.value.end))", source: p.range) }
        inputs.add(o.committed ? "committed (expected grade 1.0)" : "aspirational (expected grade about 0.7)", value: o.committed ? "committed" : "aspirational", source: o.range)
        return NodeProgress(id: o.id.value, kind: .objective, raw: raw, rolled: rolled, expected: exp, status: status.0,
                            statusReason: status.1, confidence: confidence, grade: grade(rolled, period), current: nil,
                            formula: formula, inputs: inputs.list, contributions: detail == .full ? contributions : [])
    }

    func goalProgress(_ g: Goal, _ detail: ExplanationDetail) -> NodeProgress {
        let explain = detail != .figures
        var contributions: [Contribution] = []
        var sum = 0.0, expectedSum = 0.0, expectedCount = 0.0
        for c in graph.children[g.id.value] ?? [] {
            guard let p = results[c] else { continue }
            contributions.append(Contribution(id: c, kind: .objective, weight: 1, progress: p.rolled, share: 0))
            sum += p.rolled
            if let e = p.expected { expectedSum += e; expectedCount += 1 }
        }
        let raw = contributions.isEmpty ? 0 : sum / Double(contributions.count)
        for i in contributions.indices { contributions[i].share = 1 / Double(contributions.count) }
        let exp = expectedCount > 0 ? expectedSum / expectedCount : nil
        var status: (Status, String)
        if contributions.isEmpty {
            status = (.notStarted, "no objective hangs under it")
        } else if raw >= 1 {
            status = (.done, "every objective under it is done")
        } else if let e = exp, e > 0 {
            let ratio = raw / e
            let text = explain ? "\(Percent.text(raw)) done vs \(Percent.text(e)) expected across its objectives (ratio \(Quantity.format(ratio)))" : ""
            status = ratio >= config.onTrackRatio ? (.onTrack, text) : ratio >= config.behindRatio ? (.behind, text) : (.atRisk, text)
            if let due = g.due?.value, asOf > due { status = (.missed, explain ? "due \(due), reached \(Percent.text(raw))" : "") }
        } else {
            status = (.notStarted, "its objectives have not started")
        }
        status = worstChild(status, children: contributions.map(\.id), explain: explain)
        var inputs = ProgressInputs(explain: detail == .full)
        if let m = g.metric {
            if let s = m.start { inputs.add("metric start", value: s.value.text, source: s.range) }
            if let t = m.target { inputs.add("metric target", value: t.value.text, source: t.range) }
            if let c = m.current { inputs.add("metric current", value: c.value.text, source: c.range) }
        }
        if let d = g.due { inputs.add("due", value: "\(d.value)", source: d.range) }
        return NodeProgress(id: g.id.value, kind: .goal, raw: raw, rolled: clampForRollup(raw), expected: exp, status: status.0,
                            statusReason: status.1, confidence: nil, grade: nil, current: g.metric?.current?.value.text,
                            formula: !detail.formula ? "" : contributions.isEmpty ? "no objectives → 0%" : "mean of \(contributions.count) objective\(contributions.count == 1 ? "" : "s") = \(Percent.text(raw))",
                            inputs: inputs.list, contributions: detail == .full ? contributions : [])
    }

    /// Progress of a goal's own metric (start → current → target), shown beside roll-up.
    public func metricProgress(_ g: Goal) -> Double? {
        guard let s = g.metric?.start?.value.value, let t = g.metric?.target?.value.value, let c = g.metric?.current?.value.value, t != s else { return nil }
        return (c - s) / (t - s)
    }

    // MARK: - KPIs

    func kpiReading(_ k: KPI) -> KPIReading {
        var history: [(Day, Double)] = []
        var latest: (Day, Quantity)?
        for i in graph.checkins[k.id.value] ?? [] {
            let c = plan.checkins[i]
            guard c.date.value <= asOf, case .quantity(let q) = c.value.value else { continue }
            history.append((c.date.value, q.value))
            latest = (c.date.value, q)
        }
        var health = KPIHealth.noData
        if let (_, q) = latest {
            let better: (Double, Double) -> Bool = k.direction == .higher ? { $0 >= $1 } : { $0 <= $1 }
            if let t = k.target?.value.value, better(q.value, t) { health = .healthy }
            else if let a = k.alert?.value.value, !better(q.value, a) || q.value == a { health = .alert }
            else { health = .watch }
            if k.target == nil && k.alert == nil { health = .watch }
        }
        return KPIReading(id: k.id.value, value: latest?.1, date: latest?.0, health: health, history: history)
    }
}

/// Formats fractions as whole percentages, deterministically.
public enum Percent {
    /// A ratio of large figures can be any size; only whole percentages below
    /// `Quantity.largestMagnitude` go through `Int`.
    public static func text(_ v: Double) -> String {
        DecimalText.text { DecimalText.appendPercent(v, to: &$0) }
    }
}
