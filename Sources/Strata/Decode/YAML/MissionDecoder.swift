/// `kind: mission`, in YAML and Markdown.
enum MissionDecoder {
    static func decodeYAML(_ root: YAMLNode, _ context: DecodeContext) {
        guard let r = FieldReader(root, PlanSchema.mission, context) else { return }
        var values: [MissionValue] = []
        for item in r.list("values") {
            guard let v = FieldReader(item, PlanSchema.missionValue, context), let name = v.text("name") else { continue }
            values.append(MissionValue(name: name.value, description: v.text("description")?.value ?? "", range: item.range))
        }
        set(Mission(mission: r.text("mission"), vision: r.text("vision"), values: values, range: r.headRange), context)
    }

    static func set(_ mission: Mission, _ context: DecodeContext) {
        // Within one file; across files, `PlanDecoder.merge` reports a second mission.
        if let existing = context.plan.mission {
            context.emit(.duplicateID, "the plan has a second mission", at: mission.range,
                         notes: [DiagnosticNote("the first mission is here", at: existing.range)],
                         help: "keep one file of kind mission")
            return
        }
        context.plan.mission = mission
    }

    static func decodeMarkdown(_ md: MarkdownFile, _ context: DecodeContext) {
        if let fm = md.frontMatter { _ = FieldReader(fm.root, KindSchema(name: "mission front matter", fields: [PlanSchema.mission.fields[0]]), context) }
        var mission: Located<String>?, vision: Located<String>?
        var values: [MissionValue] = []
        for section in MarkdownSections.split(md.body) {
            guard let heading = section.heading else { continue }
            let title = heading.plainText.trimmed.lowercased()
            switch title {
            case "mission": mission = section.paragraphText
            case "vision": vision = section.paragraphText
            case "values":
                for item in section.listItems {
                    let para = item.children.first
                    let strong = para?.children.first { $0.kind == .strong }
                    var name = strong?.plainText.trimmed ?? ""
                    var rest = para?.plainText ?? item.plainText
                    if let s = strong { rest = String(rest.dropFirst(rest.hasPrefix(s.plainText) ? s.plainText.count : 0)) }
                    if name.hasSuffix(".") || name.hasSuffix(":") { name.removeLast() }
                    rest = rest.trimmed
                    while let f = rest.first, f == "—" || f == "-" || f == ":" || f == "–" { rest = String(rest.dropFirst()).trimmed }
                    if name.isEmpty {
                        context.emit(.markdownStructure, "a value should start with its name in bold", at: item.range,
                                     help: "write '- **Customers first.** We measure ourselves by our customers' results.'")
                        name = rest
                        rest = ""
                    }
                    values.append(MissionValue(name: name, description: rest, range: item.range))
                }
            default:
                if heading.kind == .heading(level: 2) {
                    context.emit(.markdownStructure, "unknown section '\(heading.plainText.prefix(40))' in a mission", at: heading.range,
                                 help: (Suggestion.didYouMean(title, in: ["mission", "vision", "values"]).map { $0 + " " } ?? "") + "use the sections Mission, Vision and Values")
                }
            }
        }
        let head = md.frontMatter?.root.range ?? md.body.range
        set(Mission(mission: mission, vision: vision, values: values, range: head), context)
    }
}
