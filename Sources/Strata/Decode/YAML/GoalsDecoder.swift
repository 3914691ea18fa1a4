/// `kind: goals`: strategic goals.
enum GoalsDecoder {
    static func decode(_ root: YAMLNode, _ context: DecodeContext) {
        guard let r = FieldReader(root, PlanSchema.goals, context) else { return }
        let perspectives = context.plan.config.perspectives.map(\.id)
        for item in r.list("goals") {
            guard let g = FieldReader(item, PlanSchema.goal, context), let id = g.id("id"), let title = g.text("title") else { continue }
            var metric: Metric?
            if let m = g.value("metric"), let mr = FieldReader(m, PlanSchema.metric, context, label: "the metric of goal '\(id.value)'") {
                metric = Metric(start: mr.quantity("start"), target: mr.quantity("target"), current: mr.quantity("current"))
                UnitCheck.compatible([metric?.start, metric?.target, metric?.current], what: "goal '\(id.value)'", context)
            }
            context.plan.goals.append(Goal(
                id: id, title: title, description: g.text("description")?.value, owner: g.reference("owner"),
                perspective: g.scalar("perspective").flatMap { ValueReader.choice($0, perspectives, field: "perspective", context) },
                metric: metric, metricRange: g.keyRange("metric"), due: g.date("due"), dueKey: g.keyRange("due"), addresses: g.references("addresses")))
        }
    }
}

/// Reports values of one measure whose units cannot be compared.
enum UnitCheck {
    /// `what` names the node in the message; it is only made when units clash.
    static func compatible(_ values: [Located<Quantity>?], what: @autoclosure () -> String, help: String = "use the same unit for start, target and current", _ context: DecodeContext) {
        // By position, without copying the values into a list of those present (each
        // key result has this check; most have no unit or one unit throughout).
        guard let f = values.firstIndex(where: { $0.map { $0.value.unit != .none } ?? false }), let first = values[f] else { return }
        for i in values.indices {
            guard let v = values[i], !v.value.unit.isCompatible(with: first.value.unit) else { continue }
            context.emit(.incompatibleUnits, "'\(v.value.text)' (\(v.value.unit)) cannot be compared with '\(first.value.text)' (\(first.value.unit)) in \(what())",
                         at: v.range, notes: [DiagnosticNote("'\(first.value.text)' is here", at: first.range)],
                         help: help)
        }
    }
}
