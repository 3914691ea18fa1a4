import Foundation
import Testing
@testable import Strata

/// The Markdown front end: front matter split with true line numbers, and the cmark tree
/// copied into located `MarkdownNode`s.
@Suite struct MarkdownParserTests {
    func errors(_ text: String, limits: InputLimits = InputLimits()) -> String {
        let r = parseMarkdown(text, limits: limits)
        return oneLine(r.diagnostics, r.source)
    }

    /// The first node of `kind` in depth-first order.
    func first(_ node: MarkdownNode, where match: (MarkdownNode) -> Bool) -> MarkdownNode? {
        if match(node) { return node }
        for c in node.children { if let found = first(c, where: match) { return found } }
        return nil
    }

    func heading(_ node: MarkdownNode, level: Int) -> MarkdownNode? {
        first(node) { $0.kind == .heading(level: level) }
    }

    // MARK: - Front matter

    @Test func bodyLinesAreFileLines() throws {
        let text = "---\nkind: okrs\nperiod: 2026-Q4\n---\n# Title\n\n## Objective {#o1}\n"
        let r = parseMarkdown(text)
        #expect(r.diagnostics.isEmpty)
        let md = try #require(r.file)
        #expect(span(try #require(heading(md.body, level: 1)).range) == "5:1-5:8")
        #expect(span(try #require(heading(md.body, level: 2)).range) == "7:1-7:19")
        // Front-matter nodes carry file lines too.
        let fm = try #require(md.frontMatter?.root)
        #expect(span(try #require(fm.keyNode("kind")).range) == "2:1-2:5")
        #expect(span(try #require(fm.at("period")).range) == "3:9-3:16")
        #expect(md.bodyText == "# Title\n\n## Objective {#o1}\n")
    }

    @Test func bodyLinesWithCRLF() throws {
        let r = parseMarkdown("---\r\nkind: okrs\r\n---\r\n\r\n## 漢字 😀 {#o1}\r\n- a\r\n")
        #expect(r.diagnostics.isEmpty)
        let md = try #require(r.file)
        #expect(span(try #require(heading(md.body, level: 2)).range) == "5:1-5:14")
        #expect(position(try #require(first(md.body) { $0.kind == .item }).range) == "6:1")
    }

    @Test func bodyLinesWithLoneCR() throws {
        let md = try #require(parseMarkdown("---\rkind: okrs\r---\r# T\r").file)
        #expect(position(try #require(heading(md.body, level: 1)).range) == "4:1")
        #expect(md.frontMatter?.root["kind"]?.scalar == "okrs")
    }

    @Test func byteOrderMarkBeforeFrontMatter() throws {
        let r = parseMarkdown("\u{FEFF}---\nkind: okrs\n---\n# T\n")
        #expect(r.diagnostics.isEmpty)
        let md = try #require(r.file)
        #expect(position(try #require(md.frontMatter?.root.keyNode("kind")).range) == "2:1")
        #expect(position(try #require(heading(md.body, level: 1)).range) == "4:1")
    }

    @Test func closingWithDotsAndTrailingSpaces() throws {
        let md = try #require(parseMarkdown("---  \nkind: okrs\n... \n# T\n").file)
        #expect(md.frontMatter?.root["kind"]?.scalar == "okrs")
        #expect(position(try #require(heading(md.body, level: 1)).range) == "4:1")
    }

    @Test func thematicBreakInTheBodyIsNotFrontMatter() throws {
        let md = try #require(parseMarkdown("---\nkind: okrs\n---\nText\n\n---\n\nMore\n").file)
        #expect(md.body.children.map(\.kind) == [.paragraph, .thematicBreak, .paragraph])
        #expect(position(md.body.children[1].range) == "6:1")
    }

    @Test func missingFrontMatter() {
        #expect(errors("# Title\n") == """
            test.md:1:1: error: Markdown plan file does not start with YAML front matter [front-matter]
            help: begin the file with a line '---', then 'kind: okrs' (or another kind), then a closing '---'

            """)
        #expect(errors("").hasPrefix("test.md:1:1: error: Markdown plan file does not start with YAML front matter"))
        #expect(errors("\n---\nkind: okrs\n---\n").hasPrefix("test.md:1:1: error: Markdown plan file does not start"))
        #expect(errors("----\nkind: okrs\n---\n").hasPrefix("test.md:1:1: error: Markdown plan file does not start"))
    }

    @Test func unterminatedFrontMatter() {
        #expect(errors("---\nkind: okrs\n# Title\n") == """
            test.md:1:1: error: front matter is not closed [front-matter]
            help: add a line '---' after the front matter

            """)
        #expect(errors("---").hasPrefix("test.md:1:1: error: front matter is not closed"))
    }

    @Test func frontMatterThatIsNotAMapping() {
        #expect(errors("---\n- kind\n- okrs\n---\n") == "test.md:2:1: error: front matter must be a mapping with 'kind:', found a list [front-matter]\n")
        #expect(errors("---\nokrs\n---\n") == "test.md:2:1: error: front matter must be a mapping with 'kind:', found text [front-matter]\n")
    }

    @Test func emptyFrontMatter() {
        #expect(errors("---\n---\n# T\n") == """
            test.md:1:1: error: front matter is empty [front-matter]
            help: add 'kind: okrs' (or another kind)

            """)
        #expect(errors("---\n# just a comment\n---\n").hasPrefix("test.md:1:1: error: front matter is empty"))
    }

    @Test func yamlErrorsInFrontMatterHaveFileLines() {
        #expect(errors("---\nkind: okrs\nowner: a: b\n---\n# T\n").hasPrefix("test.md:3:9: error: YAML syntax error: mapping values are not allowed in this context [yaml-syntax]"))
        #expect(errors("---\nkind: okrs\nkind: swot\n---\n").hasPrefix("test.md:3:1: error: duplicate key 'kind' [yaml-duplicate-key]\ntest.md:2:1: note:"))
        #expect(errors("---\r\nkind: okrs\r\nx: *a\r\n---\r\n").hasPrefix("test.md:3:4: error: alias '*a' has no anchor"))
    }

    @Test func bodySizeLimit() {
        var limits = InputLimits()
        limits.maxMarkdownBytes = 16
        let text = "---\nkind: okrs\n---\n" + String(repeating: "x", count: 16) + "\n"
        #expect(errors(text, limits: limits) == """
            test.md:4:1: error: Markdown body of 17 bytes exceeds the limit of 16 bytes [input-limit]
            help: split the file, or raise limits.max_markdown_bytes in strata.yaml

            """)
        #expect(errors("---\nkind: okrs\n---\n0123456789abcde\n", limits: limits) == "")
    }

    @Test func defaultBodyLimitStopsTheQuadraticCmarkInput() {
        // `![[]()` × 40,000 is slow in Debian's cmark; it is 240 KB, over the 128 KiB default.
        let text = "---\nkind: okrs\n---\n" + String(repeating: "![[]()", count: 40_000)
        let r = parseMarkdown(text)
        #expect(r.diagnostics.map(\.rule) == ["input-limit"])
        #expect(r.file == nil)
    }

    @Test func deepMarkdownNestingIsRejected() {
        let text = "---\nkind: okrs\n---\n" + String(repeating: "> ", count: 100) + "deep\n"
        let r = parseMarkdown(text)
        #expect(r.diagnostics.map(\.rule) == ["input-limit"])
        #expect(r.diagnostics.first?.message == "Markdown nesting is deeper than 64 levels")
        #expect(r.diagnostics.first?.range.start.line == 4)
    }

    // MARK: - The tree

    @Test func treeDumpWithEmojiAndCJK() throws {
        let text = """
            ---
            kind: okrs
            period: 2026-Q4
            ---
            # Sales 😀 OKRs

            ## Grow in 日本 and 🇸🇪 {#sales-q4-1}
            Owner: maria
            Parent: G1

            Some *emphasis*, **strong**, `code` and a [link](https://example.com).
            A second line.

            - Grow ARR from $4.0M to $5.5M (now $4.6M) {#sales-q4-1.arr}
            - [ ] Launch the 漢字 portal
            \t- nested with a tab

            1. ordered

            > quoted

            ```swift
            let x = 1
            ```

            ---

            """
        let md = try #require(parseMarkdown(text).file)
        try assertGolden(md.body.dump(), at: TestPaths.snapshots.appendingPathComponent("MarkdownParserTests.treeDump.txt"))
    }

    @Test func textColumnsAreScalars() throws {
        let md = try #require(parseMarkdown("---\nkind: okrs\n---\n## 😀 漢字 x {#a}\n").file)
        let text = try #require(first(md.body) { $0.kind == .text })
        #expect(text.literal == "😀 漢字 x {#a}")
        #expect(span(text.range) == "4:4-4:15")
        #expect(text.range.start.offset == 19 + 3)  // line 4 starts at byte 19
    }

    @Test func softBreaksTakeTheirParagraphRange() throws {
        // cmark gives soft breaks no position; they must not point at the body's first line.
        let md = try #require(parseMarkdown("---\nkind: okrs\n---\n\n\nline one\nline two\n").file)
        let paragraph = try #require(first(md.body) { $0.kind == .paragraph })
        let soft = try #require(first(md.body) { $0.kind == .softBreak })
        #expect(soft.range == paragraph.range)
        #expect(paragraph.plainText == "line one line two")
    }

    @Test func plainTextDropsMarkupAndHTML() throws {
        let md = try #require(parseMarkdown("---\nkind: okrs\n---\n**Bold.** *it* `c` <b>x</b> [l](u)\n").file)
        #expect(md.body.plainText == "Bold. it c x l")
    }

    // MARK: - HTML rendering

    @Test func renderingIsSafe() {
        let html = CmarkParser.renderHTML("<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](https://example.com) \"q\"\n")
        #expect(!html.contains("<script>"))
        #expect(html.contains("raw HTML omitted"))
        #expect(html.contains("<a href=\"\">x</a>"))
        #expect(html.contains("<a href=\"https://example.com\">y</a>"))
        #expect(html.contains("“q”"))
    }

    /// An objective's metadata lines are read on their bytes when ASCII: on 4,000 random
    /// ASCII lines (letters, spaces, tabs and other whitespace, colons, underscores, digits)
    /// and hand-picked ones, the same key, key range, value and value range as reading by
    /// characters; other lines are left to the character reader.
    @Test func asciiMetadataLinesReadAsCharactersDo() {
        func show(_ l: MarkdownOKRDecoder.MetadataLine?) -> String {
            l.map { "\($0.key) \($0.keyRange.start.offset)-\($0.keyRange.end.offset) '\($0.value.value)' \($0.value.range.start.offset)-\($0.value.range.end.offset)" } ?? "none"
        }
        func compare(_ line: String, _ note: String = "") {
            let file = SourceFile(path: "t.md", text: "x\n" + line + "\n")
            let bytes = file.lineByteRange(2)
            guard let ascii = MarkdownOKRDecoder.asciiMetadataLine(file, bytes) else {
                Issue.record("ASCII line declined: \(line.debugDescription)")
                return
            }
            #expect(show(ascii) == show(MarkdownOKRDecoder.characterMetadataLine(file, bytes)), "\(line.debugDescription) \(note)")
        }
        for line in ["Owner: erik", "  Team :  sales  ", "\tParent:\tx", "Committed: yes\t", "owner:", ":x", "no colon", "Two Words: v",
                     "snake_case: v", "A123: v", "a b c d e f g h i j k: v", "abcdefghijklmnopqrstu: v", "abcdefghijklmnopqrst: v",
                     "Owner: a: b", " \u{0B}Owner\u{0C}: v \u{0B}", "Owner:   ", "   : v"] {
            compare(line)
        }
        let alphabet = Array("aBz_ :\t\u{0B}\u{0C}1.-#")
        var rng = SplitMix(seed: 5_280)
        for i in 0..<4000 {
            let line = String((0..<(1 + rng.next(upTo: 26))).map { _ in alphabet[rng.next(upTo: alphabet.count)] })
            compare(line, "(random \(i))")
        }
        let file = SourceFile(path: "t.md", text: "Ägare: li\n")
        #expect(MarkdownOKRDecoder.asciiMetadataLine(file, file.lineByteRange(1)) == nil)
    }
}
