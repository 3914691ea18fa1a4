import Foundation
import Testing
@testable import Strata

/// The libyaml front end: located nodes, scalars kept as text, and the limits and checks
/// libyaml lacks (duplicate keys, merge keys, tags, aliases, nesting depth).
@Suite struct LibYAMLParserTests {
    func root(_ text: String) -> YAMLNode? {
        let r = parseYAML(text)
        #expect(r.diagnostics.isEmpty, "\(oneLine(r.diagnostics, r.file))")
        return r.docs.first?.root
    }

    /// The one-line diagnostics of parsing `text`.
    func errors(_ text: String, limits: InputLimits = InputLimits()) -> String {
        let r = parseYAML(text, limits: limits)
        return oneLine(r.diagnostics, r.file)
    }

    // MARK: - Located nodes

    @Test func rangesOfScalarsSequencesAndMappings() throws {
        let doc = try #require(root("kind: okrs\nlist: [x, yy]\nmap:\n  - {k: v}\n"))
        #expect(span(doc.range).hasPrefix("1:1-"))
        #expect(span(try #require(doc.keyNode("kind")).range) == "1:1-1:5")
        #expect(span(try #require(doc.at("kind")).range) == "1:7-1:11")
        #expect(span(try #require(doc.at("list")).range) == "2:7-2:14")
        #expect(span(try #require(doc.at("list.1")).range) == "2:11-2:13")
        #expect(span(try #require(doc.at("map.0")).range) == "4:5-4:11")
        #expect(span(try #require(doc.at("map.0.k")).range) == "4:9-4:10")
        #expect(doc.at("map.0")?.shapeName == "a mapping")
        #expect(doc.at("list")?.shapeName == "a list")
    }

    @Test func rangesWithEmojiAndCJK() throws {
        // Columns count scalars: 😀 and 漢 are one column each.
        let doc = try #require(root("name: 😀漢字 x\nnext: [é, 字]\n\"键\": 值\n"))
        #expect(doc.at("name")?.scalar == "😀漢字 x")
        #expect(span(try #require(doc.at("name")).range) == "1:7-1:12")
        #expect(span(try #require(doc.at("next.1")).range) == "2:11-2:12")
        #expect(span(try #require(doc.keyNode("键")).range) == "3:1-3:4")
        #expect(span(try #require(doc.at("键")).range) == "3:6-3:7")
        // Offsets stay bytes.
        #expect(doc.at("name")?.range.start.offset == 6)
        #expect(doc.at("name")?.range.end.offset == 6 + 4 + 3 + 3 + 2)
    }

    @Test func rangesWithCRLF() throws {
        let doc = try #require(root("a: 1\r\nb:\r\n  - 漢字\r\n  - x\r\n"))
        #expect(span(try #require(doc.keyNode("b")).range) == "2:1-2:2")
        #expect(span(try #require(doc.at("b.0")).range) == "3:5-3:7")
        #expect(span(try #require(doc.at("b.1")).range) == "4:5-4:6")
        #expect(doc.at("b.1")?.range.start.offset == 26)
    }

    /// ASCII input takes libyaml's character index as the byte offset, without the line
    /// table; every position must be the one the line table gives.
    @Test(arguments: [
        "kind: okrs\nlist: [x, yy]\nmap:\n  - {k: v}\n",
        "a: 1\r\nb:\r\n  - x\r\n  - \"y\\tz\"\r\n",
        "a: 1\rb: [2, 3]\r",
        "# note\ntext: |\n  line one\n  line two\nfolded: >\n  a\n  b\nlast: 'q'",
        "---\na: 1\n...\n---\nb: {c: [d, e]}\n",
        "key:\t value\nother: \"a b\"  # comment\n",
    ])
    func asciiPositionsMatchTheLineTable(_ text: String) throws {
        let r = parseYAML(text)
        #expect(r.diagnostics.isEmpty)
        #expect(!r.docs.isEmpty)
        var checked = 0
        func visit(_ node: YAMLNode) {
            for loc in [node.range.start, node.range.end] {
                #expect(loc == r.file.location(line: loc.line, column: loc.column), "\(loc) in \(text.debugDescription)")
                checked += 1
            }
            switch node.value {
            case .scalar: break
            case .sequence(let items): items.forEach(visit)
            case .mapping(let pairs): for p in pairs { visit(p.key); visit(p.value) }
            }
        }
        for d in r.docs { visit(d.root) }
        #expect(checked >= 4)
    }

    @Test func rangesWithLoneCR() throws {
        let doc = try #require(root("a: 1\rb: 2\r"))
        #expect(span(try #require(doc.at("b")).range) == "2:4-2:5")
    }

    @Test func byteOrderMarkIsSkipped() throws {
        // A BOM must neither shift columns nor break the indentation of later lines.
        let doc = try #require(root("\u{FEFF}kind: okrs\nowner: maria\n"))
        #expect(span(try #require(doc.keyNode("kind")).range) == "1:1-1:5")
        #expect(doc.keyNode("kind")?.range.start.offset == 3)
        #expect(span(try #require(doc.at("owner")).range) == "2:8-2:13")
        // Errors are located exactly as without the BOM.
        for text in ["a: [\n", "a: 1\n b: 2\n", "a: 1\nb: \"x\u{0080}\"\n", "x: 1\nx: 2\n"] {
            #expect(errors("\u{FEFF}" + text) == errors(text))
            #expect(!errors(text).isEmpty)
        }
    }

    @Test func multipleDocuments() throws {
        let r = parseYAML("kind: a\n---\nkind: b\n...\n---\nkind: c\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.docs.map { $0.root["kind"]?.scalar } == ["a", "b", "c"])
        #expect(position(r.docs[1].root.range) == "3:1")
        #expect(position(r.docs[2].root.range) == "6:1")
    }

    @Test func emptyInputHasNoDocuments() {
        #expect(parseYAML("").docs.isEmpty)
        #expect(parseYAML("# only a comment\n").docs.isEmpty)
        #expect(parseYAML("").diagnostics.isEmpty)
    }

    // MARK: - Scalars stay text

    @Test func scalarsAreNeverImplicitlyTyped() throws {
        let doc = try #require(root("""
            owner: no
            id: 010
            t: 1:30
            due: 2026-11-20
            flag: yes
            hex: 0x1F
            big: .inf
            f: 1e3
            q: "no"
            """))
        #expect(doc["owner"]?.scalar == "no")
        #expect(doc["id"]?.scalar == "010")
        #expect(doc["t"]?.scalar == "1:30")
        #expect(doc["due"]?.scalar == "2026-11-20")
        #expect(doc["flag"]?.scalar == "yes")
        #expect(doc["hex"]?.scalar == "0x1F")
        #expect(doc["big"]?.scalar == ".inf")
        #expect(doc["f"]?.scalar == "1e3")
        #expect(doc["q"]?.scalar == "no")
    }

    @Test func nullsArePlainOnly() throws {
        let doc = try #require(root("a:\nb: ~\nc: null\nd: \"~\"\ne: ''\nf: NULL\n"))
        #expect(doc["a"]?.isNull == true)
        #expect(doc["b"]?.isNull == true)
        #expect(doc["c"]?.isNull == true)
        #expect(doc["f"]?.isNull == true)
        #expect(doc["d"]?.isNull == false)
        #expect(doc["e"]?.isNull == false)
        #expect(doc["a"]?.shapeName == "an empty value")
    }

    @Test func blockScalarsKeepTheirText() throws {
        let doc = try #require(root("d: |\n  line one\n  line two\ne: >\n  folded\n  text\n"))
        #expect(doc["d"]?.scalar == "line one\nline two\n")
        #expect(doc["e"]?.scalar == "folded text\n")
    }

    // MARK: - Duplicate keys, merge keys, tags

    @Test func duplicateKeyIsAnErrorWithANoteAtTheFirst() {
        let r = parseYAML("kind: org\nname: A\nteams: []\nname: B\n")
        #expect(oneLine(r.diagnostics, r.file) == """
            test.yaml:4:1: error: duplicate key 'name' [yaml-duplicate-key]
            test.yaml:2:1: note: 'name' is first defined here
            help: remove one of them; YAML would silently keep only one

            """)
        // Parsing goes on, so later problems are reported too.
        #expect(r.docs.count == 1)
        let later = parseYAML("a: 1\na: 2\nb: !!int 3\n")
        #expect(later.diagnostics.map(\.rule) == ["yaml-duplicate-key", "yaml-tag"])
    }

    @Test func sameKeyInDifferentMappingsIsFine() {
        #expect(errors("a: {id: 1}\nb: {id: 2}\nlist:\n  - id: 1\n  - id: 2\n") == "")
    }

    @Test func duplicateKeysInFlowMappingsAndInsideLists() {
        #expect(errors("x: {id: 1, id: 2}\n").hasPrefix("test.yaml:1:12: error: duplicate key 'id' [yaml-duplicate-key]\ntest.yaml:1:5: note:"))
        #expect(errors("- id: 1\n  title: a\n  id: 2\n").hasPrefix("test.yaml:3:3: error: duplicate key 'id'"))
    }

    @Test func mergeKeyIsRejected() {
        #expect(errors("base: &b {owner: li}\nitem:\n  <<: *b\n  id: x\n") == """
            test.yaml:3:3: error: merge keys ('<<') are not supported [yaml-merge-key]
            help: write the fields out in full

            """)
    }

    @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
        let doc = try #require(root("\"<<\": text\n"))
        #expect(doc["<<"]?.scalar == "text")
    }

    @Test(arguments: [
        ("a: !!int 5\n", "test.yaml:1:4: error: YAML tag '!!int' is not supported [yaml-tag]"),
        ("a: !foo 5\n", "test.yaml:1:4: error: YAML tag '!foo' is not supported [yaml-tag]"),
        ("a: !!map {x: 1}\n", "test.yaml:1:4: error: YAML tag '!!map' is not supported [yaml-tag]"),
        ("a: !!seq [1]\n", "test.yaml:1:4: error: YAML tag '!!seq' is not supported [yaml-tag]"),
        ("a: !<tag:example.com,2000:x> 5\n", "test.yaml:1:4: error: YAML tag 'tag:example.com,2000:x' is not supported [yaml-tag]"),
    ])
    func tagsAreRejected(_ text: String, _ expected: String) {
        #expect(errors(text) == expected + "\nhelp: remove the tag; each field reads its value by its own type\n")
    }

    @Test func stringTagsAreAllowed() throws {
        let doc = try #require(root("a: !!str 010\nb: ! 5\n"))
        #expect(doc["a"]?.scalar == "010")
        #expect(doc["b"]?.scalar == "5")
    }

    // MARK: - Aliases

    @Test func aliasCopiesTheAnchoredNodeAtTheAliasPosition() throws {
        let doc = try #require(root("a: &x [1, 2]\nb: *x\n"))
        guard case .sequence(let items)? = doc["b"]?.value else {
            Issue.record("b is not a sequence")
            return
        }
        #expect(items.map(\.scalar) == ["1", "2"])
        #expect(span(try #require(doc["b"]).range) == "2:4-2:6")
    }

    @Test func undefinedAlias() {
        #expect(errors("a: *nope\n") == """
            test.yaml:1:4: error: alias '*nope' has no anchor '&nope' before it [yaml-alias]
            help: define '&nope' on a node earlier in the same document

            """)
    }

    @Test func anchorsDoNotCrossDocuments() {
        #expect(errors("a: &x 1\n---\nb: *x\n").hasPrefix("test.yaml:3:4: error: alias '*x' has no anchor"))
    }

    @Test func aliasBeforeItsAnchorIsUndefined() {
        #expect(errors("a: *x\nb: &x 1\n").hasPrefix("test.yaml:1:4: error: alias '*x' has no anchor"))
    }

    @Test func selfReferencingAlias() {
        #expect(errors("a: &a [*a]\n") == """
            test.yaml:1:8: error: alias '*a' refers to the node that contains it, which would be infinite [yaml-alias]
            test.yaml:1:4: note: anchor '&a' is defined here

            """)
        #expect(errors("a: &m {b: {c: *m}}\n").hasPrefix("test.yaml:1:15: error: alias '*m' refers to the node that contains it"))
    }

    @Test func billionLaughsStopsAtTheAliasBudget() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (name, previous) in zip(["b", "c", "d", "e", "f", "g", "h", "i"], ["a", "b", "c", "d", "e", "f", "g", "h"]) {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        let r = parseYAML(text)
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics.first?.rule == "yaml-alias")
        #expect(r.diagnostics.first?.message == "aliases expand to more than 10000 nodes")
        // a = 11 nodes, b = 111, c = 1111, d = 11111: the budget runs out inside d (line 4).
        #expect(r.diagnostics.first.map { $0.range.start.line } == 4)
        var small = InputLimits()
        small.aliasBudget = 20
        #expect(errors("a: &a [1, 2, 3]\nb: [*a, *a, *a, *a, *a, *a]\n", limits: small)
            .hasPrefix("test.yaml:2:25: error: aliases expand to more than 20 nodes [yaml-alias]"))
    }

    // MARK: - Limits

    @Test func deepFlowNestingIsRejectedQuickly() {
        let text = String(repeating: "[", count: 100_000)
        let r = parseYAML(text)
        #expect(oneLine(r.diagnostics, r.file) == """
            test.yaml:1:65: error: YAML nesting is deeper than 64 levels [input-limit]
            help: plan files need only a few levels; raise limits.max_depth in strata.yaml if this is intended

            """)
        let mappings = parseYAML(String(repeating: "{a: ", count: 100_000))
        #expect(mappings.diagnostics.map(\.rule) == ["input-limit"])
    }

    @Test func deepBlockNestingIsRejected() {
        var text = ""
        for depth in 0..<70 { text += String(repeating: " ", count: depth * 2) + "k\(depth):\n" }
        text += String(repeating: " ", count: 140) + "leaf\n"
        let r = parseYAML(text)
        #expect(r.diagnostics.map(\.rule) == ["input-limit"])
        #expect(r.diagnostics.first?.range.start.line == 65)  // the root mapping is level 1
    }

    @Test func configurableDepth() {
        var limits = InputLimits()
        limits.maxDepth = 3
        #expect(errors("a: [[1]]\n", limits: limits) == "")
        #expect(errors("a: [[[1]]]\n", limits: limits).hasPrefix("test.yaml:1:6: error: YAML nesting is deeper than 3 levels"))
    }

    @Test func scalarSizeLimit() {
        var limits = InputLimits()
        limits.maxScalarBytes = 8
        #expect(errors("a: 12345678\n", limits: limits) == "")
        #expect(errors("a: 123456789\n", limits: limits).hasPrefix("test.yaml:1:4: error: text value of 9 bytes exceeds the limit of 8 bytes [input-limit]"))
    }

    // MARK: - Syntax errors

    @Test func colonInPlainScalar() {
        #expect(errors("title: Phase 2: launch\n") == """
            test.yaml:1:15: error: YAML syntax error: mapping values are not allowed in this context [yaml-syntax]
            help: quote text that contains ': ', e.g. title: "Phase 2: launch"

            """)
    }

    @Test func unclosedFlowSequence() {
        // In flow context "y c" is one scalar, so the first unexpected token is the ':' on line 3.
        #expect(errors("a: 1\nb: [x, y\nc: 2\n") == """
            test.yaml:3:2: error: YAML syntax error: did not find expected ',' or ']' [yaml-syntax]
            test.yaml:2:4: note: while parsing a flow sequence

            """)
    }

    @Test func unclosedQuoteAfterEmoji() {
        #expect(errors("a: 😀\nb: \"open\n").hasPrefix("test.yaml:3:1: error: YAML syntax error: found unexpected end of stream [yaml-syntax]\ntest.yaml:2:4: note: while scanning a quoted scalar\n"))
    }

    @Test func tabIndentation() {
        #expect(errors("a:\n\tb: 1\n").hasPrefix("test.yaml:2:1: error: YAML syntax error: found character that cannot start any token [yaml-syntax]"))
        #expect(errors("a: x\n\tc: 1\n") == """
            test.yaml:2:1: error: YAML syntax error: found a tab character that violates indentation [yaml-syntax]
            test.yaml:1:4: note: while scanning a plain scalar
            help: indent with spaces; YAML does not allow tabs in indentation

            """)
    }

    @Test func syntaxErrorAfterCJKIsLocatedInScalars() {
        // libyaml counts characters; the column must not be a byte column.
        #expect(errors("名前: 漢字: x\n").hasPrefix("test.yaml:1:7: error: YAML syntax error: mapping values are not allowed"))
    }

    @Test func documentsBeforeTheErrorAreKept() {
        let r = parseYAML("kind: a\n---\nkind: [\n")
        #expect(r.docs.count == 1)
        #expect(r.diagnostics.map(\.rule) == ["yaml-syntax"])
    }

    // MARK: - Reader errors

    @Test func readerErrorIsLocatedFromTheByteOffset() {
        // libyaml reports reader errors with a byte offset and a useless mark (1:1).
        // U+0080 passes Strata's text validation but libyaml refuses it.
        #expect(errors("a: 1\nb: 😀 漢\u{0080}\n") == "test.yaml:2:7: error: YAML syntax error: control characters are not allowed [yaml-syntax]\n")
        #expect(errors("a: 1\r\nb: é\u{FFFE}\r\n") == "test.yaml:2:5: error: YAML syntax error: control characters are not allowed [yaml-syntax]\n")
    }

    @Test func readerErrorInsideASubrange() {
        // The front matter of a Markdown file is parsed as a byte range starting at line 2.
        let file = SourceFile(path: "f.md", text: "---\nkind: okrs\nowner: \"é\u{0080}\"\n---\n")
        let collector = DiagnosticCollector()
        _ = LibYAMLParser().parse(file, byteRange: file.lineStarts[1]..<file.lineStarts[3], firstLine: 2, into: collector)
        #expect(collector.all.map { "\(position($0.range)) \($0.message)" } == ["3:10 YAML syntax error: control characters are not allowed"])
    }

    @Test func invalidUTF8ReachesLibYAMLOnlyAsReplacementCharacters() {
        // A SourceFile holds valid UTF-8 by construction (PlanLoader rejects invalid bytes
        // first), so libyaml never sees them: U+FFFD is ordinary text.
        let file = SourceFile(path: "t", text: String(decoding: [0x61, 0x3A, 0x20, 0xFF, 0x0A] as [UInt8], as: UTF8.self))
        let collector = DiagnosticCollector()
        let docs = LibYAMLParser().parse(file, into: collector)
        #expect(collector.all.isEmpty)
        #expect(docs.first?.root["a"]?.scalar == "\u{FFFD}")
    }

    // MARK: - The flat tree

    @Test func largeDocumentsSpanManyChunksOfTheFlatTree() throws {
        // 3,000 keys with lists of two: over 12,000 entries, several 2,048-entry chunks,
        // with an anchored list and its aliases placed across chunk boundaries.
        var text = "big: &big [" + (0..<1_500).map { "v\($0)" }.joined(separator: ", ") + "]\n"
        for i in 0..<3_000 { text += "k\(i): [a\(i), {n: \(i)}]\n" }
        text += "copy1: *big\ncopy2: [*big, *big]\nlast: end\n"
        let doc = try #require(root(text))
        guard case .mapping(let pairs) = doc.value else { Issue.record("not a mapping"); return }
        #expect(pairs.count == 3_004)
        #expect(pairs.map { $0.key.scalar ?? "" }.dropFirst().prefix(3) == ["k0", "k1", "k2"])
        for i in [0, 1, 681, 682, 2_047, 2_999] {
            #expect(doc.at("k\(i).0")?.scalar == "a\(i)")
            #expect(doc.at("k\(i).1.n")?.scalar == "\(i)")
            #expect(doc.at("k\(i)").map { position($0.range) } == "\(i + 2):\(4 + "\(i)".count)")
        }
        for path in ["big", "copy1", "copy2.0", "copy2.1"] {
            guard case .sequence(let items)? = doc.at(path)?.value else { Issue.record("\(path) is not a list"); continue }
            #expect(items.count == 1_500)
            #expect(items.map { $0.scalar ?? "" } == (0..<1_500).map { "v\($0)" }, "\(path)")
            // The copied items keep the anchored ones' ranges (line 1).
            #expect(items.allSatisfy { $0.range.start.line == 1 })
        }
        #expect(doc.at("copy1").map { position($0.range) } == "3002:8")
        #expect(doc["last"]?.scalar == "end")
        #expect(doc.at("copy2.2") == nil)
    }

    @Test func documentsWithMoreNodesThanTheTreeHoldsAreRejected() {
        // The real bound is 2^31 nodes; a small one shows the same check, for plain nodes
        // and for an alias whose copy would not fit.
        var parser = LibYAMLParser()
        parser.maxNodes = 7
        for (text, line) in [("a: [1, 2, 3]\nb: 4\n", "2:4"), ("a: &x [1, 2]\nb: *x\n", "2:4")] {
            let file = SourceFile(path: "t.yaml", text: text)
            let collector = DiagnosticCollector()
            #expect(parser.parse(file, into: collector).isEmpty)
            #expect(collector.sorted.map { "\(position($0.range)) \($0.rule) \($0.message)" } == ["\(line) input-limit YAML document has more than 7 nodes"], "\(text)")
        }
        parser.maxNodes = 8  // the mapping, a, the list, 1, 2, 3, b, 4
        let file = SourceFile(path: "t.yaml", text: "a: [1, 2, 3]\nb: 4\n")
        let collector = DiagnosticCollector()
        #expect(parser.parse(file, into: collector).count == 1)
        #expect(collector.all.isEmpty)
    }

    // MARK: - Known problems

    @Test func unicodeLineSeparatorsShiftLibYAMLLines() {
        // libyaml treats U+0085, U+2028 and U+2029 as line breaks; SourceFile does not, so
        // every position after one is a line too far. See the test report.
        withKnownIssue("libyaml counts U+2028 as a line break, SourceFile does not") {
            let r = parseYAML("a: \"x\u{2028}y\"\nb: 2\n")
            let b = r.docs.first?.root.keyNode("b")
            #expect(b.map { position($0.range) } == "2:1")
        }
    }
}
