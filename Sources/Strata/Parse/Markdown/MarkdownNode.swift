/// A CommonMark node copied out of cmark, with its source range in the plan file.
public struct MarkdownNode: Sendable {
    public enum Kind: Sendable, Equatable {
        case document, blockQuote, list(ordered: Bool), item, codeBlock(info: String), htmlBlock
        case paragraph, heading(level: Int), thematicBreak
        case text, softBreak, lineBreak, code, htmlInline, emphasis, strong
        case link(destination: String), image(source: String)
        case other
    }

    public var kind: Kind
    /// Literal text of text, code, code-block and HTML nodes.
    public var literal: String
    public var range: SourceRange
    public var children: [MarkdownNode]

    public init(kind: Kind, literal: String = "", range: SourceRange, children: [MarkdownNode] = []) {
        self.kind = kind
        self.literal = literal
        self.range = range
        self.children = children
    }

    /// The node's text without markup (soft breaks become spaces).
    public var plainText: String {
        switch kind {
        case .text, .code: return literal
        case .softBreak, .lineBreak: return " "
        case .htmlInline, .htmlBlock: return ""
        default:
            var s = ""
            for c in children { s += c.plainText }
            return s
        }
    }

    /// A tree dump with ranges, one node per line, for golden tests.
    public func dump(indent: Int = 0) -> String {
        let r = "\(range.start.line):\(range.start.column)-\(range.end.line):\(range.end.column)"
        var line = String(repeating: "  ", count: indent) + "\(kind) @\(r)"
        if !literal.isEmpty { line += " \"\(literal)\"" }
        var out = line + "\n"
        for c in children { out += c.dump(indent: indent + 1) }
        return out
    }
}

/// A Markdown plan file split into its YAML front matter and its body.
public struct MarkdownFile: Sendable {
    public var file: SourceFile
    public var frontMatter: YAMLDocument?
    public var body: MarkdownNode
    /// The body's Markdown text, for rendering into reports.
    public var bodyText: String
}
