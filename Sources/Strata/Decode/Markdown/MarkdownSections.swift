/// A heading and the blocks under it, up to the next heading of the same or a higher level.
struct MarkdownSection {
    var heading: MarkdownNode?
    var blocks: [MarkdownNode]

    /// The paragraphs' text, joined, located at the first paragraph.
    var paragraphText: Located<String>? {
        let paragraphs = blocks.filter { $0.kind == .paragraph }
        guard let first = paragraphs.first else { return nil }
        return Located(paragraphs.map { $0.plainText.trimmed }.joined(separator: "\n\n"), first.range)
    }

    /// The items of the first list.
    var listItems: [MarkdownNode] {
        blocks.first { if case .list = $0.kind { return true } else { return false } }?.children ?? []
    }
}

enum MarkdownSections {
    /// Splits a document at its level-1 and level-2 headings.
    static func split(_ document: MarkdownNode) -> [MarkdownSection] {
        var sections = [MarkdownSection(heading: nil, blocks: [])]
        for block in document.children {
            if case .heading(let level) = block.kind, level <= 2 {
                sections.append(MarkdownSection(heading: block, blocks: []))
            } else {
                sections[sections.count - 1].blocks.append(block)
            }
        }
        return sections
    }

    /// Splits a trailing `{#id}` from text, validating the id.
    static func splitIDSuffix(_ text: String, range: SourceRange, _ context: DecodeContext) -> (String, Located<String>?) {
        let t = text.trimmingTrailingSpaces
        guard t.hasSuffix("}"), let open = t.lastRange(ofASCII: "{#") else { return (text.trimmed, nil) }
        let raw = String(t[open.upperBound..<t.index(before: t.endIndex)])
        let rest = String(t[..<open.lowerBound]).trimmed
        guard let id = ValueReader.id(Located(raw.trimmed, range), field: "id", context) else { return (rest, nil) }
        return (rest, id)
    }
}
