/// Check-ins must fit their key result (period, units); active key results need recent ones.
enum CheckinCheck: PlanCheck {
    static let rules: [Rule] = [.checkinOutsidePeriod, .checkinUnits, .checkinStale]

    /// The unit a key result is measured in, if any.
    static func unit(of kr: KeyResult) -> QuantityUnit? {
        switch kr.measure {
        case .change(let s, let t): return s.value.unit != .none ? s.value.unit : t.value.unit
        case .stayAbove(let q), .stayBelow(let q): return q.value.unit
        default: return nil
        }
    }

    /// Walks the check-ins of each key result and KPI (the linker has grouped them), so
    /// each target and its objective are looked up once, not once per check-in.
    static func run(_ c: CheckContext) {
        let plan = c.plan
        // A duplicate id's check-ins belong to its first definition, the one the graph keeps.
        for (k, kpi) in plan.kpis.enumerated() where c.graph.nodes[kpi.id.value] == NodeRef(kind: .kpi, index: k) {
            let unit = [kpi.target?.value.unit, kpi.alert?.value.unit].compactMap { $0 }.first { $0 != .none }
            for i in c.graph.checkins.ofKPI(k) ?? [] { check(plan.checkins[i], ofKPI: kpi, unit: unit, c) }
        }
        for k in plan.keyResults.indices {
            // The check-ins of its id, which a duplicate shares with the first definition.
            let checkins = c.graph.keyResultOfID[k].flatMap { c.graph.checkins.ofKeyResult($0) } ?? []
            let period = c.graph.objectiveOfKeyResult[k].flatMap { plan.objectives[$0].period?.value }
            if c.graph.keyResultOfID[k] == k {
                let unit = unit(of: plan.keyResults[k])
                for i in checkins { check(i, ofKeyResult: k, in: plan, unit: unit, period: period, c) }
            }
            stale(k, in: plan, checkins, period: period, c)
        }
    }

    static func check(_ checkin: Checkin, ofKPI kpi: KPI, unit: QuantityUnit?, _ c: CheckContext) {
        if case .quantity(let q) = checkin.value.value, let u = unit, !q.unit.isCompatible(with: u) {
            c.emit(.checkinUnits, "reading '\(q.text)' (\(q.unit)) of KPI '\(kpi.id.value)' does not match its unit (\(u))", at: checkin.value.range)
        } else if case .done = checkin.value.value {
            c.emit(.checkinUnits, "KPI '\(kpi.id.value)' needs a number, not '\(checkin.value.value)'", at: checkin.value.range)
        }
    }

    /// Check-in `i` of key result `k`; `unit` is `unit(of:)` the key result, worked out once
    /// per key result. Both are read in place in the plan: a copy of each (a key result is
    /// 520 bytes with a dozen strings) cost more than the checks.
    static func check(_ i: Int, ofKeyResult k: Int, in plan: Plan, unit: QuantityUnit?, period: Period?, _ c: CheckContext) {
        // By the reading first, then the measure: a switch over the pair copied both.
        let isMilestone: Bool, isUnmeasurable: Bool
        switch plan.keyResults[k].measure {
        case .milestone: (isMilestone, isUnmeasurable) = (true, false)
        case .unmeasurable: (isMilestone, isUnmeasurable) = (false, true)
        default: (isMilestone, isUnmeasurable) = (false, false)
        }
        switch plan.checkins[i].value.value {
        case .quantity(let q) where isMilestone:
            c.emit(.checkinUnits, "milestone '\(plan.keyResults[k].id.value)' takes done or not done, not '\(q.text)'", at: plan.checkins[i].value.range)
        case .done where isMilestone || isUnmeasurable, .quantity where isUnmeasurable:
            break
        case .done(let d):
            c.emit(.checkinUnits, "key result '\(plan.keyResults[k].id.value)' needs a value, not '\(d ? "done" : "not done")'", at: plan.checkins[i].value.range,
                   help: "record the measured value, e.g. \(unitExample(plan.keyResults[k]))")
        case .quantity(let q):
            if let u = unit, !q.unit.isCompatible(with: u) {
                c.emit(.checkinUnits, "check-in value '\(q.text)' (\(q.unit)) does not match key result '\(plan.keyResults[k].id.value)' (\(u))",
                       at: plan.checkins[i].value.range, help: "record it in the key result's unit, e.g. \(unitExample(plan.keyResults[k]))")
            }
        }
        if let period, !period.contains(plan.checkins[i].date.value) {
            let date = plan.checkins[i].date
            c.emit(.checkinOutsidePeriod, "check-in of '\(plan.keyResults[k].id.value)' is dated \(date.value), outside its period \(period.name) (\(period.start) – \(period.end))",
                   at: date.range)
        }
    }

    static func unitExample(_ kr: KeyResult) -> String {
        switch kr.measure {
        case .change(_, let t): return t.value.text
        case .stayAbove(let q), .stayBelow(let q): return q.value.text
        default: return "done"
        }
    }

    /// An active key result, past its first cadence, needs a check-in within the cadence.
    /// Key result `k`, read in place in the plan (a copy of each cost more than the check).
    static func stale(_ k: Int, in plan: Plan, _ checkins: ArraySlice<Int>, period: Period?, _ c: CheckContext) {
        let cadence = c.config.cadenceDays
        guard let period, period.contains(c.asOf), c.asOf - period.start >= cadence else { return }
        if case .milestone(true) = plan.keyResults[k].measure { return }
        // The latest check-in up to the as-of date (the list is sorted by date).
        let latest = checkins.last { plan.checkins[$0].date.value <= c.asOf }
        let last = latest.map { plan.checkins[$0].date.value }
        if let l = last, c.asOf - l <= cadence { return }
        // A milestone checked in as done needs no further check-ins.
        if case .milestone = plan.keyResults[k].measure, let i = latest, case .done(true) = plan.checkins[i].value.value { return }
        let since = last.map { "since \($0) (\(c.asOf - $0) days)" } ?? "this period"
        c.emit(.checkinStale, "key result '\(plan.keyResults[k].id.value)' has had no check-in \(since)", at: plan.keyResults[k].range,
               help: "add a check-in; the cadence is every \(cadence) days (checkins.cadence_days)")
    }
}
