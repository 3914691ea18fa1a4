/// `kind: okrs` in YAML: objectives with key results and inline check-ins.
enum OKRDecoder {
    /// File-level defaults for objectives.
    struct Defaults {
        var period: Located<Period>?
        var team: Located<String>?
        var owner: Located<String>?
        /// A file-level period was written (even if it could not be read).
        var periodGiven = false
    }

    static func defaults(_ r: FieldReader) -> Defaults {
        Defaults(period: r.period("period"), team: r.reference("team"), owner: r.reference("owner"), periodGiven: r.has("period"))
    }

    static func decodeYAML(_ root: YAMLNode, _ context: DecodeContext) {
        guard let r = FieldReader(root, PlanSchema.okrs, context) else { return }
        let d = defaults(r)
        let objectives = r.list("objectives")
        reserveRoom(for: objectives, context)
        for item in objectives { decodeObjective(item, d, context) }
    }

    /// Makes room in the file's lists for the objectives and key results it lists, so
    /// that they are not grown by doubling (which left four tenths of the key results'
    /// memory unused: at 5k objectives, 17.7 MB held 10.4 MB of key results).
    static func reserveRoom(for objectives: YAMLNodeList, _ context: DecodeContext) {
        var keyResults = 0
        for item in objectives {
            if case .sequence(let krs)? = item["key_results"]?.value { keyResults += krs.count }
        }
        context.plan.objectives.reserveCapacity(context.plan.objectives.count + objectives.count)
        context.plan.keyResults.reserveCapacity(context.plan.keyResults.count + keyResults)
    }

    static let progressNames = ProgressSource.allCases.map(\.rawValue)

    static func decodeObjective(_ node: YAMLNode, _ d: Defaults, _ context: DecodeContext) {
        guard let o = FieldReader(node, PlanSchema.objective, context), let id = o.id("id"), let title = o.text("title") else { return }
        let label = "objective '\(id.value)'"
        var objective = Objective(
            id: id, title: title, description: o.text("description")?.value,
            owner: o.reference("owner") ?? d.owner, team: o.reference("team") ?? d.team,
            period: o.period("period") ?? d.period, committed: o.bool("committed")?.value ?? false,
            parent: o.reference("parent"), supports: o.references("supports"),
            progressSource: o.choice("progress", progressNames).flatMap { ProgressSource(rawValue: $0.value) },
            keyResults: [], range: o.headRange)
        for (i, item) in o.list("key_results").enumerated() {
            guard let kr = decodeKeyResult(item, objective: objective, position: i + 1, context) else { continue }
            objective.keyResults.append(kr.id.value)
            context.plan.keyResults.append(kr)
        }
        if objective.period == nil && !o.has("period") && d.period == nil && d.periodGiven == false {
            context.emit(.missingField, "\(label) has no period", at: id.range,
                         help: "add 'period: 2026-Q4' to the objective or to the top of the file")
        }
        context.plan.objectives.append(objective)
    }

    static func decodeKeyResult(_ node: YAMLNode, objective: Objective, position: Int, _ context: DecodeContext) -> KeyResult? {
        guard let k = FieldReader(node, PlanSchema.keyResult, context, label: "a key result of '\(objective.id.value)'") else { return nil }
        let id = k.id("id") ?? Located("\(objective.id.value).kr\(position)", k.headRange)
        guard let title = k.text("title") else { return nil }
        let start = k.quantity("start"), target = k.quantity("target"), current = k.quantity("current")
        let above = k.quantity("stay_above"), below = k.quantity("stay_below"), done = k.bool("done")
        var measure = Measure.unmeasurable
        let kinds = [start != nil || target != nil, above != nil, below != nil, done != nil]
        if kinds.filter({ $0 }).count > 1 {
            let given = zip(["start/target", "stay_above", "stay_below", "done"], kinds).filter(\.1).map(\.0)
            context.emit(.invalidValue, "key result '\(id.value)' mixes \(given.joined(separator: " and "))", at: k.headRange,
                         help: "give start and target, or stay_above, or stay_below, or done")
        }
        if let s = start, let t = target { measure = .change(start: s, target: t) }
        else if let t = target, !k.has("start") {
            context.emit(.missingField, "key result '\(id.value)' has a target but no start", at: t.range, help: "add 'start: …' with the value at the start of the period")
        } else if let s = start, !k.has("target") {
            context.emit(.missingField, "key result '\(id.value)' has a start but no target", at: s.range, help: "add 'target: …'")
        } else if let a = above { measure = .stayAbove(a) }
        else if let b = below { measure = .stayBelow(b) }
        else if let d = done { measure = .milestone(done: d.value) }
        else if ["start", "target", "stay_above", "stay_below", "done"].contains(where: k.has) {
            // A measure was given but could not be read; that error is already reported.
        } else {
            context.emit(.krUnmeasurable, "key result '\(id.value)' has no target, threshold or milestone", at: title.range,
                         help: "add start and target, stay_above or stay_below, or done: false for a milestone")
        }
        UnitCheck.compatible([start, target, current, above, below], what: "key result '\(id.value)'", context)
        for c in k.list("checkins") {
            if let checkin = CheckinDecoder.decode(c, schema: PlanSchema.inlineCheckin, subject: .keyResult, target: Located(id.value, c.range), context) {
                context.plan.checkins.append(checkin)
            }
        }
        return KeyResult(id: id, objective: objective.id.value, title: title, description: k.text("description")?.value, owner: k.reference("owner") ?? objective.owner,
                         weight: k.quantity("weight"), measure: measure, current: current, range: k.headRange)
    }
}
