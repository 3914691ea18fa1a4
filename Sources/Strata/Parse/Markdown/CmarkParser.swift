import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses Markdown with libcmark into `MarkdownNode` trees, and renders Markdown to safe
/// HTML. This is the only file that calls cmark. No cmark pointer outlives a call.
public enum CmarkParser {
    /// Parses `file.bytes[byteRange]`, which starts at the beginning of line `firstLine`.
    /// Returns nil (with a diagnostic) when nesting exceeds `maxDepth`.
    public static func parse(_ file: SourceFile, byteRange: Range<Int>, firstLine: Int, maxDepth: Int,
                             into diagnostics: DiagnosticCollector) -> MarkdownNode? {
        guard let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS) else { return nil }
        defer { cmark_parser_free(parser) }
        file.bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[byteRange])
            slice.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: slice.count) { cmark_parser_feed(parser, $0, slice.count) }
            }
        }
        guard let document = cmark_parser_finish(parser) else { return nil }
        defer { cmark_node_free(document) }
        guard let iterator = cmark_iter_new(document) else { return nil }
        defer { cmark_iter_free(iterator) }

        func location(line: Int32, column: Int32) -> SourceLocation {
            file.location(line: Int(line) + firstLine - 1, byteColumn: Int(column))
        }
        func range(_ node: OpaquePointer) -> SourceRange {
            let sl = cmark_node_get_start_line(node), sc = cmark_node_get_start_column(node)
            let el = cmark_node_get_end_line(node), ec = cmark_node_get_end_column(node)
            if sl <= 0 { let l = file.location(line: firstLine, column: 1); return file.range(l, l) }
            let start = location(line: sl, column: max(1, sc))
            // cmark's end column is inclusive; ours is exclusive.
            let end = el <= 0 ? start : location(line: el, column: ec + 1)
            return file.range(start, max(start, end))
        }

        var stack: [MarkdownNode] = []
        var result: MarkdownNode?
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            let isLeaf = type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_HTML_INLINE
                || type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK || type == CMARK_NODE_CODE_BLOCK
                || type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_THEMATIC_BREAK
            if event == CMARK_EVENT_ENTER {
                let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                var kind = MarkdownNode.Kind.other
                switch type {
                case CMARK_NODE_DOCUMENT: kind = .document
                case CMARK_NODE_BLOCK_QUOTE: kind = .blockQuote
                case CMARK_NODE_LIST: kind = .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST)
                case CMARK_NODE_ITEM: kind = .item
                case CMARK_NODE_CODE_BLOCK: kind = .codeBlock(info: cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "")
                case CMARK_NODE_HTML_BLOCK: kind = .htmlBlock
                case CMARK_NODE_PARAGRAPH: kind = .paragraph
                case CMARK_NODE_HEADING: kind = .heading(level: Int(cmark_node_get_heading_level(node)))
                case CMARK_NODE_THEMATIC_BREAK: kind = .thematicBreak
                case CMARK_NODE_TEXT: kind = .text
                case CMARK_NODE_SOFTBREAK: kind = .softBreak
                case CMARK_NODE_LINEBREAK: kind = .lineBreak
                case CMARK_NODE_CODE: kind = .code
                case CMARK_NODE_HTML_INLINE: kind = .htmlInline
                case CMARK_NODE_EMPH: kind = .emphasis
                case CMARK_NODE_STRONG: kind = .strong
                case CMARK_NODE_LINK: kind = .link(destination: cmark_node_get_url(node).map { String(cString: $0) } ?? "")
                case CMARK_NODE_IMAGE: kind = .image(source: cmark_node_get_url(node).map { String(cString: $0) } ?? "")
                default: kind = .other
                }
                var r = range(node)
                if isLeaf, r.start.line == firstLine && r.start == r.end, let parent = stack.last { r = parent.range }
                let built = MarkdownNode(kind: kind, literal: literal, range: r)
                if isLeaf {
                    if stack.isEmpty { result = built } else { stack[stack.count - 1].children.append(built) }
                } else {
                    if stack.count >= maxDepth {
                        diagnostics.emit(.inputLimit, "Markdown nesting is deeper than \(maxDepth) levels", at: r,
                                         help: "plan bodies need only a few levels of lists and quotes")
                        return nil
                    }
                    stack.append(built)
                }
            } else if event == CMARK_EVENT_EXIT {
                guard let done = stack.popLast() else { continue }
                if stack.isEmpty { result = done } else { stack[stack.count - 1].children.append(done) }
            }
        }
        return result
    }

    /// Renders Markdown to HTML with cmark's safe defaults: raw HTML is omitted and
    /// `javascript:`, `vbscript:`, `file:` and non-image `data:` links are emptied.
    /// Never passes `CMARK_OPT_UNSAFE`. Images become links (their alt text linking to a
    /// web source) or plain alt text (any other source, e.g. `data:`), so a report never
    /// fetches anything and carries no `data:` URL.
    public static func renderHTML(_ markdown: String) -> String {
        var utf8 = Array(markdown.utf8)
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART
        let document: OpaquePointer? = utf8.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parse_document($0, buffer.count, options) }
            } ?? cmark_parse_document("", 0, options)
        }
        guard let document else { return "" }
        defer { cmark_node_free(document) }
        // Collect images first: the tree must not change while it is being iterated.
        var images: [OpaquePointer] = []
        if let iterator = cmark_iter_new(document) {
            while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
                guard let node = cmark_iter_get_node(iterator), cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER else { continue }
                if cmark_node_get_type(node) == CMARK_NODE_IMAGE { images.append(node) }
                // Descriptions sit under the page's own headings: `#` becomes <h4>.
                if cmark_node_get_type(node) == CMARK_NODE_HEADING {
                    cmark_node_set_heading_level(node, min(6, cmark_node_get_heading_level(node) + 3))
                }
            }
            cmark_iter_free(iterator)
        }
        for image in images {
            let url = cmark_node_get_url(image).map { String(cString: $0) } ?? ""
            let lower = url.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else {
                // Not a web address (e.g. data:): keep only the alt text.
                while let child = cmark_node_first_child(image) {
                    cmark_node_unlink(child)
                    cmark_node_insert_before(image, child)
                }
                cmark_node_unlink(image)
                cmark_node_free(image)
                continue
            }
            guard let link = cmark_node_new(CMARK_NODE_LINK) else { continue }
            if let url = cmark_node_get_url(image) { cmark_node_set_url(link, url) }
            if let title = cmark_node_get_title(image) { cmark_node_set_title(link, title) }
            while let child = cmark_node_first_child(image) {
                cmark_node_unlink(child)
                cmark_node_append_child(link, child)
            }
            if cmark_node_first_child(link) == nil, let text = cmark_node_new(CMARK_NODE_TEXT) {
                cmark_node_set_literal(text, "image")
                cmark_node_append_child(link, text)
            }
            cmark_node_insert_before(image, link)
            cmark_node_unlink(image)
            cmark_node_free(image)
        }
        guard let out = cmark_render_html(document, options) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }
}
