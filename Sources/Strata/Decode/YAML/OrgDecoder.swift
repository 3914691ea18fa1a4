/// `kind: org`: nested teams and people.
enum OrgDecoder {
    static func decode(_ root: YAMLNode, _ context: DecodeContext) {
        guard let r = FieldReader(root, PlanSchema.org, context) else { return }
        for item in r.list("teams") { decodeTeam(item, parent: nil, depth: 0, context) }
        for item in r.list("people") {
            guard let p = FieldReader(item, PlanSchema.person, context), let id = p.id("id"), let name = p.text("name") else { continue }
            context.plan.people.append(Person(id: id, name: name.value, team: p.reference("team"), role: p.text("role")?.value))
        }
    }

    static func decodeTeam(_ node: YAMLNode, parent: String?, depth: Int, _ context: DecodeContext) {
        guard let t = FieldReader(node, PlanSchema.team, context), let id = t.id("id"), let name = t.text("name") else { return }
        context.plan.teams.append(Team(id: id, name: name.value, lead: t.reference("lead"), parent: parent))
        for child in t.list("teams") { decodeTeam(child, parent: id.value, depth: depth + 1, context) }
    }
}
