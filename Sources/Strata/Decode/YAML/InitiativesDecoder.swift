/// `kind: initiatives`.
enum InitiativesDecoder {
    static func decode(_ root: YAMLNode, _ context: DecodeContext) {
        guard let r = FieldReader(root, PlanSchema.initiatives, context) else { return }
        for item in r.list("initiatives") {
            guard let i = FieldReader(item, PlanSchema.initiative, context), let id = i.id("id"), let title = i.text("title") else { continue }
            var milestones: [Milestone] = []
            for m in i.list("milestones") {
                guard let mr = FieldReader(m, PlanSchema.milestone, context), let t = mr.text("title") else { continue }
                milestones.append(Milestone(title: t.value, due: mr.date("due"), done: mr.bool("done")?.value ?? false))
            }
            let status = i.choice("status", InitiativeStatus.allCases.map(\.rawValue)).flatMap { InitiativeStatus(rawValue: $0.value) } ?? .proposed
            let start = i.date("start"), due = i.date("due")
            if let s = start, let d = due, d.value < s.value {
                context.emit(.invalidValue, "initiative '\(id.value)' is due (\(d.value)) before it starts (\(s.value))", at: d.range)
            }
            context.plan.initiatives.append(Initiative(
                id: id, title: title, description: i.text("description")?.value, owner: i.reference("owner"), team: i.reference("team"),
                status: status, start: start, due: due, budget: i.quantity("budget"), supports: i.references("supports"), milestones: milestones))
        }
    }
}
