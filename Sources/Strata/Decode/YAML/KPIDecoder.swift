/// `kind: kpis`: health metrics with thresholds and readings.
enum KPIDecoder {
    static func decode(_ root: YAMLNode, _ context: DecodeContext) {
        guard let r = FieldReader(root, PlanSchema.kpis, context) else { return }
        for item in r.list("kpis") {
            guard let k = FieldReader(item, PlanSchema.kpi, context), let id = k.id("id"), let title = k.text("title") else { continue }
            let target = k.quantity("target"), alert = k.quantity("alert")
            UnitCheck.compatible([target, alert], what: "KPI '\(id.value)'", help: "use the same unit for target and alert", context)
            var direction = KPIDirection.higher
            if let d = k.choice("direction", KPIDirection.allCases.map(\.rawValue)).flatMap({ KPIDirection(rawValue: $0.value) }) {
                direction = d
            } else if let t = target, let a = alert, t.value.value < a.value.value {
                direction = .lower
            }
            for reading in k.list("readings") {
                if let c = CheckinDecoder.decode(reading, schema: PlanSchema.inlineCheckin, subject: .kpi, target: Located(id.value, reading.range), context) {
                    context.plan.checkins.append(c)
                }
            }
            context.plan.kpis.append(KPI(id: id, title: title, description: k.text("description")?.value, owner: k.reference("owner"), team: k.reference("team"),
                                         target: target, alert: alert, direction: direction))
        }
    }
}
