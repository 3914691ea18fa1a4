/// `kind: swot`, in YAML and Markdown. Items without an id get the quadrant letter and
/// their 1-based position (`W2`).
enum SWOTDecoder {
    static func decodeYAML(_ root: YAMLNode, _ context: DecodeContext) {
        guard let r = FieldReader(root, PlanSchema.swot, context) else { return }
        for quadrant in SWOTQuadrant.allCases {
            for (i, item) in r.list(quadrant.rawValue).enumerated() {
                let autoID = "\(quadrant.prefix)\(i + 1)"
                if case .scalar(let text) = item.value {
                    context.plan.swot.append(SWOTItem(id: Located(autoID, item.range), quadrant: quadrant, text: text.trimmed))
                } else if let f = FieldReader(item, PlanSchema.swotItem, context), let text = f.text("text") {
                    let id = f.id("id") ?? Located(autoID, item.range)
                    context.plan.swot.append(SWOTItem(id: id, quadrant: quadrant, text: text.value))
                }
            }
        }
    }

    static func decodeMarkdown(_ md: MarkdownFile, _ context: DecodeContext) {
        if let fm = md.frontMatter { _ = FieldReader(fm.root, KindSchema(name: "swot front matter", fields: [PlanSchema.swot.fields[0]]), context) }
        for section in MarkdownSections.split(md.body) {
            guard let heading = section.heading, heading.kind == .heading(level: 2) else { continue }
            let title = heading.plainText.trimmed.lowercased()
            guard let quadrant = SWOTQuadrant(rawValue: title) else {
                context.emit(.markdownStructure, "unknown SWOT section '\(heading.plainText.prefix(40))'", at: heading.range,
                             help: (Suggestion.didYouMean(title, in: SWOTQuadrant.allCases.map(\.rawValue)).map { $0 + " " } ?? "") + "use Strengths, Weaknesses, Opportunities and Threats")
                continue
            }
            for (i, item) in section.listItems.enumerated() {
                let (text, explicitID) = MarkdownSections.splitIDSuffix(item.plainText.trimmed, range: item.range, context)
                let id = explicitID ?? Located("\(quadrant.prefix)\(i + 1)", item.range)
                context.plan.swot.append(SWOTItem(id: id, quadrant: quadrant, text: text))
            }
        }
    }
}
