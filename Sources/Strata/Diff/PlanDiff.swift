/// A semantic comparison of two versions of a plan: what changed in the structure, which
/// check-ins arrived, how every roll-up moved, which diagnostics appeared or went away,
/// and which changes break a period lock.
public struct PlanDiff: Sendable {
    public enum ChangeKind: String, Sendable, Codable {
        case added, removed, renamed, moved, changed
    }

    /// One structural change to a node.
    public struct Change: Sendable, Codable {
        public var kind: ChangeKind
        public var node: String
        public var id: String
        public var title: String
        public var field: String?
        public var before: String?
        public var after: String?
        public var file: String?
        public var line: Int?
        public var locked: Bool
        /// Where the change is in the head plan (not part of the JSON).
        public var range: SourceRange?
        /// `file`/`line` refer to the base revision (a removal).
        public var inBase = false

        enum CodingKeys: String, CodingKey { case kind, node, id, title, field, before, after, file, line, locked, inBase }
    }

    public struct CheckinChange: Sendable, Codable {
        public var kind: ChangeKind
        public var subject: String
        public var title: String
        public var date: String
        public var value: String
        public var progressBefore: String?
        public var progressAfter: String?
        public var file: String?
        public var line: Int?
        public var locked: Bool
        public var range: SourceRange?

        enum CodingKeys: String, CodingKey { case kind, subject, title, date, value, progressBefore, progressAfter, file, line, locked }
    }

    public struct ProgressChange: Sendable, Codable {
        public var node: String
        public var id: String
        public var title: String
        public var progressBefore: String?
        public var progressAfter: String?
        public var statusBefore: String?
        public var statusAfter: String?
    }

    public struct DiagnosticEntry: Sendable, Codable {
        public var rule: String
        public var severity: String
        public var message: String
        public var file: String
        public var line: Int
    }

    public var base: String
    public var head: String
    public var asOf: String
    public var changes: [Change] = []
    public var checkins: [CheckinChange] = []
    public var progress: [ProgressChange] = []
    public var introduced: [DiagnosticEntry] = []
    public var fixed: [DiagnosticEntry] = []
    /// `period-locked` errors, located in the head plan.
    public var lockViolations: [Diagnostic] = []

    public var isEmpty: Bool { changes.isEmpty && checkins.isEmpty && progress.isEmpty && introduced.isEmpty && fixed.isEmpty }
}

/// Computes a `PlanDiff`. Every look-up is by id, so the cost is linear in the plan size.
public struct PlanDiffer {
    let old: Compilation, new: Compilation
    let oldRollUp: RollUp, newRollUp: RollUp
    var locked: [Period] = []

    public init(old: Compilation, new: Compilation) {
        self.old = old
        self.new = new
        // The two roll-ups are independent: compute them on two threads.
        let rollUps = Parallel.map(2) { i in
            let side = i == 0 ? old : new
            return RollUp(graph: side.graph, config: side.config, asOf: new.asOf)
        }
        oldRollUp = rollUps[0]
        newRollUp = rollUps[1]
        var seen: Set<String> = []
        for p in (old.config.lockedPeriods + new.config.lockedPeriods).map(\.value) where seen.insert(p.name).inserted { locked.append(p) }
    }

    func isLocked(_ p: Period?) -> Bool {
        guard let p, !locked.isEmpty else { return false }
        return locked.contains { $0.contains(p) }
    }

    // Without locked periods (the usual case) nothing is looked up; otherwise the node is
    // read in place, not copied out of the plan.
    func lockedPeriod(ofObjective id: String, in g: CascadeGraph) -> Bool {
        guard !locked.isEmpty, let i = g.objectiveIndex(id) else { return false }
        return isLocked(g.plan.objectives[i].period?.value)
    }
    func lockedPeriod(ofKeyResult id: String, in g: CascadeGraph) -> Bool {
        guard !locked.isEmpty, let k = g.keyResultIndex(id) else { return false }
        return lockedPeriod(ofObjective: g.plan.keyResults[k].objective, in: g)
    }

    /// Each id's first position in `items` (a duplicate id keeps its first definition).
    static func firstIndex<Items: RandomAccessCollection>(_ items: Items, id: (Items.Element) -> String) -> [String: Int] where Items.Index == Int {
        var index: [String: Int] = Dictionary(minimumCapacity: items.count)
        for i in items.indices where index[id(items[i])] == nil { index[id(items[i])] = i }
        return index
    }

    /// The differences between the two compilations. Its sections (goals, objectives and
    /// key results; check-ins; progress and diagnostics) read only the two compilations,
    /// so they run at the same time, each into a diff of its own, and are put together.
    public func diff(base: String, head: String) -> PlanDiff {
        let parts = Parallel.map(3) { section -> PlanDiff in
            var part = PlanDiff(base: base, head: head, asOf: "\(new.asOf)")
            switch section {
            case 0: nodeChanges(into: &part)
            case 1: checkinChanges(into: &part)
            default: progressAndDiagnosticChanges(into: &part)
            }
            return part
        }
        var d = parts[0]
        d.checkins = parts[1].checkins
        d.progress = parts[2].progress
        d.introduced = parts[2].introduced
        d.fixed = parts[2].fixed
        d.lockViolations = lockDiagnostics(d)
        return d
    }

    /// Goals, objectives and key results added, removed and changed.
    func nodeChanges(into d: inout PlanDiff) {
        let o = old.graph, n = new.graph
        func loc(_ r: SourceRange?) -> (String?, Int?) { (r?.file, r?.start.line) }
        /// `inBase`: the location is in the base revision (removals), so lock errors point at strata.yaml.
        func add(_ kind: PlanDiff.ChangeKind, _ node: String, _ id: String, _ title: String, field: String? = nil,
                 before: String? = nil, after: String? = nil, at range: SourceRange?, locked: Bool, inBase: Bool = false) {
            let (f, l) = loc(range)
            d.changes.append(PlanDiff.Change(kind: kind, node: node, id: id, title: CleanText.clean(title), field: field,
                                             before: before.map(CleanText.clean), after: after.map(CleanText.clean), file: f, line: l, locked: locked,
                                             range: inBase ? nil : range, inBase: inBase))
        }
        func compare(_ node: String, _ id: String, _ title: String, _ field: String, _ a: String?, _ b: String?, at r: SourceRange?, locked: Bool) {
            guard a != b else { return }
            add(field == "title" ? .renamed : field == "parent" || field == "objective" ? .moved : .changed, node, id, title,
                field: field, before: a, after: b, at: r, locked: locked)
        }

        // Goals.
        let oldGoals = Self.firstIndex(o.plan.goals) { $0.id.value }
        for g in n.plan.goals {
            guard let p = oldGoals[g.id.value].map({ o.plan.goals[$0] }) else { add(.added, "goal", g.id.value, g.title.value, at: g.id.range, locked: false); continue }
            let t = g.title.value
            compare("goal", g.id.value, t, "title", p.title.value, g.title.value, at: g.title.range, locked: false)
            compare("goal", g.id.value, t, "owner", p.owner?.value, g.owner?.value, at: g.owner?.range ?? g.id.range, locked: false)
            compare("goal", g.id.value, t, "perspective", p.perspective?.value, g.perspective?.value, at: g.perspective?.range ?? g.id.range, locked: false)
            compare("goal", g.id.value, t, "metric start", p.metric?.start?.value.text, g.metric?.start?.value.text, at: g.metric?.start?.range ?? g.id.range, locked: false)
            compare("goal", g.id.value, t, "metric target", p.metric?.target?.value.text, g.metric?.target?.value.text, at: g.metric?.target?.range ?? g.id.range, locked: false)
            compare("goal", g.id.value, t, "metric current", p.metric?.current?.value.text, g.metric?.current?.value.text, at: g.metric?.current?.range ?? g.id.range, locked: false)
            compare("goal", g.id.value, t, "due", p.due.map { "\($0.value)" }, g.due.map { "\($0.value)" }, at: g.due?.range ?? g.id.range, locked: false)
            compare("goal", g.id.value, t, "addresses", p.addresses.map(\.value).joined(separator: ", "), g.addresses.map(\.value).joined(separator: ", "), at: g.id.range, locked: false)
        }
        let newGoals = Set(n.plan.goals.map(\.id.value))
        for g in o.plan.goals where !newGoals.contains(g.id.value) { add(.removed, "goal", g.id.value, g.title.value, at: g.id.range, locked: false, inBase: true) }

        // Objectives.
        let oldObjectives = Self.firstIndex(o.plan.objectives) { $0.id.value }
        for x in n.plan.objectives {
            let id = x.id.value
            let lockedNow = isLocked(x.period?.value)
            guard let p = oldObjectives[id].map({ o.plan.objectives[$0] }) else { add(.added, "objective", id, x.title.value, at: x.range, locked: lockedNow); continue }
            let lk = lockedNow || isLocked(p.period?.value)
            let t = x.title.value
            compare("objective", id, t, "title", p.title.value, x.title.value, at: x.title.range, locked: lk)
            compare("objective", id, t, "parent", p.parent?.value, x.parent?.value, at: x.parent?.range ?? x.range, locked: lk)
            compare("objective", id, t, "owner", p.owner?.value, x.owner?.value, at: x.owner?.range ?? x.range, locked: lk)
            compare("objective", id, t, "team", p.team?.value, x.team?.value, at: x.team?.range ?? x.range, locked: lk)
            compare("objective", id, t, "period", p.period?.value.name, x.period?.value.name, at: x.period?.range ?? x.range, locked: lk)
            compare("objective", id, t, "commitment", p.committed ? "committed" : "aspirational", x.committed ? "committed" : "aspirational", at: x.range, locked: lk)
            compare("objective", id, t, "supports", p.supports.map(\.value).joined(separator: ", "), x.supports.map(\.value).joined(separator: ", "), at: x.range, locked: lk)
            compare("objective", id, t, "progress from", p.progressSource?.rawValue ?? "default", x.progressSource?.rawValue ?? "default", at: x.range, locked: lk)
            compare("objective", id, t, "description", p.description, x.description, at: x.range, locked: lk)
        }
        let newObjectives = Set(n.plan.objectives.map(\.id.value))
        for x in o.plan.objectives where !newObjectives.contains(x.id.value) {
            add(.removed, "objective", x.id.value, x.title.value, at: x.range, locked: isLocked(x.period?.value), inBase: true)
        }

        // Key results.
        let oldKRs = Self.firstIndex(o.plan.keyResults) { $0.id.value }
        for k in n.plan.keyResults {
            let id = k.id.value
            let lockedNow = lockedPeriod(ofObjective: k.objective, in: n)
            guard let p = oldKRs[id].map({ o.plan.keyResults[$0] }) else { add(.added, "key result", id, k.title.value, at: k.range, locked: lockedNow); continue }
            let lk = lockedNow || lockedPeriod(ofObjective: p.objective, in: o)
            let t = k.title.value
            compare("key result", id, t, "title", p.title.value, k.title.value, at: k.title.range, locked: lk)
            compare("key result", id, t, "objective", p.objective, k.objective, at: k.range, locked: lk)
            compare("key result", id, t, "owner", p.owner?.value, k.owner?.value, at: k.owner?.range ?? k.range, locked: lk)
            compare("key result", id, t, "weight", p.weight?.value.text ?? "1", k.weight?.value.text ?? "1", at: k.weight?.range ?? k.range, locked: lk)
            compare("key result", id, t, "measure", p.measure.kindName, k.measure.kindName, at: k.range, locked: lk)
            if case .milestone(let a) = p.measure, case .milestone(let b) = k.measure {
                compare("key result", id, t, "done", a ? "done" : "not done", b ? "done" : "not done", at: k.range, locked: lk)
            }
            let (ps, pt) = Self.startTarget(p.measure), (ns, nt) = Self.startTarget(k.measure)
            compare("key result", id, t, "start", ps?.value.text, ns?.value.text, at: ns?.range ?? k.range, locked: lk)
            compare("key result", id, t, "target", pt?.value.text, nt?.value.text, at: nt?.range ?? k.range, locked: lk)
            if let a = pt?.value.unit, let b = nt?.value.unit, a != b, a != .none, b != .none {
                compare("key result", id, t, "unit", a.description, b.description, at: nt?.range ?? k.range, locked: lk)
            }
            compare("key result", id, t, "current", p.current?.value.text, k.current?.value.text, at: k.current?.range ?? k.range, locked: lk)
        }
        let newKRs = Set(n.plan.keyResults.map(\.id.value))
        for k in o.plan.keyResults where !newKRs.contains(k.id.value) {
            add(.removed, "key result", k.id.value, k.title.value, at: k.range, locked: lockedPeriod(ofObjective: k.objective, in: o), inBase: true)
        }
    }

    /// Check-ins added, removed and changed.
    func checkinChanges(into d: inout PlanDiff) {
        let o = old.graph, n = new.graph
        // Check-ins, matched by subject and date: same value = unchanged, another value =
        // changed, otherwise added or removed.
        struct Slot: Hashable { var subject: CheckinSubject; var target: String; var date: Day }
        func slot(_ i: Int, _ plan: Plan) -> Slot {
            Slot(subject: plan.checkins[i].subject, target: plan.checkins[i].target.value, date: plan.checkins[i].date.value)
        }
        // Each slot numbered once, in the new plan's order, then those only the old plan
        // has: one table look-up per check-in. A slot's first check-in on each side is kept
        // by number; the rare second ones (a slot written twice) in tables of their own.
        var numbers: [Slot: Int] = Dictionary(minimumCapacity: n.plan.checkins.count)
        var slots: [Slot] = []
        var firstNew: [Int?] = [], firstOld: [Int?] = []
        var moreNew: [Int: [Int]] = [:], moreOld: [Int: [Int]] = [:]
        slots.reserveCapacity(n.plan.checkins.count)
        for i in n.plan.checkins.indices {
            let key = slot(i, n.plan)
            if let number = numbers[key] {
                moreNew[number, default: []].append(i)
            } else {
                numbers[key] = slots.count
                slots.append(key)
                firstNew.append(i)
                firstOld.append(nil)
            }
        }
        for i in o.plan.checkins.indices {
            let key = slot(i, o.plan)
            if let number = numbers[key] {
                if firstOld[number] == nil { firstOld[number] = i } else { moreOld[number, default: []].append(i) }
            } else {
                numbers[key] = slots.count
                slots.append(key)
                firstNew.append(nil)
                firstOld.append(i)
            }
        }
        func progressText(_ r: RollUp, _ id: String) -> String? { r[id].map { Percent.text($0.raw) } }
        func locked(_ c: Checkin, in g: CascadeGraph) -> Bool {
            (c.subject == .keyResult && lockedPeriod(ofKeyResult: c.target.value, in: g)) || self.locked.contains { $0.contains(c.date.value) }
        }
        func record(_ kind: PlanDiff.ChangeKind, _ c: Checkin, before: String? = nil, in g: CascadeGraph, head: Bool) {
            d.checkins.append(PlanDiff.CheckinChange(kind: kind, subject: c.target.value, title: CleanText.clean(g.title(of: c.target.value)),
                                                     date: "\(c.date.value)", value: (before.map { $0 + " → " } ?? "") + c.value.value.description,
                                                     progressBefore: progressText(oldRollUp, c.target.value), progressAfter: progressText(newRollUp, c.target.value),
                                                     file: c.range.file, line: c.range.start.line, locked: locked(c, in: g), range: head ? c.date.range : nil))
        }
        for number in slots.indices {
            // The common case: one check-in on each side with the same value.
            if let a = firstOld[number], let b = firstNew[number], moreOld.isEmpty || moreOld[number] == nil, moreNew.isEmpty || moreNew[number] == nil,
               o.plan.checkins[a].value.value.description == n.plan.checkins[b].value.value.description { continue }
            let oldIndices = firstOld[number].map { [$0] + (moreOld[number] ?? []) } ?? []
            let newIndices = firstNew[number].map { [$0] + (moreNew[number] ?? []) } ?? []
            var olds = oldIndices.map { o.plan.checkins[$0] }
            var news = newIndices.map { n.plan.checkins[$0] }
            // Drop identical pairs.
            var i = 0
            while i < news.count {
                if let j = olds.firstIndex(where: { $0.value.value.description == news[i].value.value.description }) {
                    olds.remove(at: j)
                    news.remove(at: i)
                } else {
                    i += 1
                }
            }
            while let c = news.first, let old = olds.first {
                record(.changed, c, before: old.value.value.description, in: n, head: true)
                news.removeFirst()
                olds.removeFirst()
            }
            for c in news { record(.added, c, in: n, head: true) }
            for c in olds { record(.removed, c, in: o, head: false) }
        }
        d.checkins.sort { ($0.subject, $0.date, $0.kind.rawValue, $0.value) < ($1.subject, $1.date, $1.kind.rawValue, $1.value) }
    }

    /// Roll-up figures that moved, and diagnostics introduced and fixed.
    func progressAndDiagnosticChanges(into d: inout PlanDiff) {
        let o = old.graph, n = new.graph
        // Roll-up effects: every goal, objective and key result whose figures moved.
        let order: [NodeKind] = [.goal, .objective, .keyResult]
        var ids: [(NodeKind, String)] = []
        for id in Set(oldRollUp.results.keys).union(newRollUp.results.keys) {
            // Same raw progress and status: nothing moved (the text is made from them).
            let a = oldRollUp[id], b = newRollUp[id]
            if let a, let b, a.raw == b.raw, a.status == b.status { continue }
            let kind = n.nodes[id]?.kind ?? o.nodes[id]?.kind ?? .objective
            ids.append((kind, id))
        }
        ids.sort { (order.firstIndex(of: $0.0) ?? 9, $0.1) < (order.firstIndex(of: $1.0) ?? 9, $1.1) }
        for (kind, id) in ids {
            let a = oldRollUp[id], b = newRollUp[id]
            let pa = a.map { Percent.text($0.raw) }, pb = b.map { Percent.text($0.raw) }
            guard pa != pb || a?.status != b?.status else { continue }
            d.progress.append(PlanDiff.ProgressChange(node: kind.label, id: id, title: CleanText.clean(n.nodes[id] != nil ? n.title(of: id) : o.title(of: id)),
                                                      progressBefore: pa, progressAfter: pb, statusBefore: a?.status.rawValue, statusAfter: b?.status.rawValue))
        }

        // Diagnostics introduced and fixed, matched without line numbers (lines shift).
        func entry(_ x: Diagnostic) -> PlanDiff.DiagnosticEntry {
            PlanDiff.DiagnosticEntry(rule: x.rule, severity: x.severity.rawValue, message: x.message, file: x.range.file, line: x.range.start.line)
        }
        func dkey(_ x: Diagnostic) -> String { "\(x.rule)\u{0}\(x.range.file)\u{0}\(x.message)" }
        let oldKeys = Set(old.diagnostics.map(dkey)), newKeys = Set(new.diagnostics.map(dkey))
        d.introduced = new.diagnostics.filter { !oldKeys.contains(dkey($0)) }.map(entry)
        d.fixed = old.diagnostics.filter { !newKeys.contains(dkey($0)) }.map(entry)
    }

    static func startTarget(_ m: Measure) -> (Located<Quantity>?, Located<Quantity>?) {
        switch m {
        case .change(let s, let t): return (s, t)
        case .stayAbove(let q), .stayBelow(let q): return (nil, q)
        default: return (nil, nil)
        }
    }

    /// One `period-locked` error per change to a locked period, at the changed line.
    func lockDiagnostics(_ d: PlanDiff) -> [Diagnostic] {
        let names = locked.map(\.name).joined(separator: ", ")
        let configRange = new.config.lockedPeriods.first?.range ?? .wholeFile(PlanLoader.configName)
        var out: [Diagnostic] = []
        for c in d.changes where c.locked {
            let what = c.field.map { "\($0) of \(c.node) '\(c.id)' changed" } ?? "\(c.node) '\(c.id)' was \(c.kind.rawValue)"
            let at = c.range ?? configRange
            out.append(Diagnostic(rule: .periodLocked, message: "\(what), but its period is locked (\(names))", at: at,
                                  notes: [DiagnosticNote("the lock is set here", at: configRange)],
                                  help: "leave closed periods as they were; record new work in an open period"))
        }
        for c in d.checkins where c.locked {
            let at = c.range ?? configRange
            out.append(Diagnostic(rule: .periodLocked, message: "check-in of '\(c.subject)' on \(c.date) was \(c.kind.rawValue), but its period is locked (\(names))", at: at,
                                  notes: [DiagnosticNote("the lock is set here", at: configRange)],
                                  help: "a locked period's results are final; do not add or remove its check-ins"))
        }
        return out
    }
}
