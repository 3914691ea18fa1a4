import Testing
@testable import Strata

/// The fast path for check-in ledgers (`CheckinLedgerReader`, straight from libyaml's
/// events) against the tree's decoder: on every input the same check-ins, field for field
/// and range for range, and the same diagnostics; and it takes only ledgers that decode
/// without a diagnostic.
@Suite struct CheckinLedgerReaderTests {
    static let ledger = """
        kind: checkins
        # Weekly readings.
        checkins:
          - { kr: d1-1.kr1, date: 2026-10-02, value: 43%, confidence: 0.8 }
          - { kr: d1-1.kr1, date: 2026-10-09, value: "47%", confidence: 60%, note: on track }
          - { kr: d1-1.kr2, date: 2026-10-02, value: 11 d, note: ~ }
          - { kpi: nps, date: 2026-10-02, value: 4.5/5, confidence: }
          - kr: d1-1.kr3
            date: 2026-10-09
            value: done
            note: 'shipped — “beta” 🚀'
          - { kr: "  d1-1.kr4 ", date: 2026-10-16, value: not done, note: "two\\nlines" }
          - { kr: d1-1.kr5, date: 2026-10-16, value: "$4.2M", confidence: 1 }

        """

    struct Outcome {
        /// Every check-in in full (`dump`: each field, each range), then the diagnostics:
        /// read by the fast path whole, by the fast path in pieces of `pieceBytes`, and
        /// through the tree.
        var fast: String, pieced: String, tree: String
        /// How many pieces the file was cut into (0: too small or not a ledger's shape), and
        /// whether the reader took every one (else the file was read whole).
        var pieces: Int, piecesTaken: Bool
        /// Whether the fast path took the file whole.
        var took: Bool
        var treeHasDiagnostics: Bool
    }

    /// Pieces this small cut the test ledgers after every record or two.
    static let pieceBytes = 40

    func bothPaths(_ text: String, path: String = "plans/checkins/q4.yaml", config: Config = Config()) -> Outcome {
        let file = SourceFile(path: path, text: text)
        func run(_ fastPath: Bool, pieceBytes: Int = CheckinLedgerReader.pieceBytes) -> (String, Bool) {
            let collector = DiagnosticCollector()
            let plans = Pipeline.parseAndDecode([file], config: config, ledgerFastPath: fastPath, ledgerPieceBytes: pieceBytes, into: collector)
            var out = ""
            for plan in plans { for c in plan.checkins { dump(c, to: &out) } }
            return (out + oneLine(collector.sorted, file), !collector.all.isEmpty)
        }
        let (fast, _) = run(true), (pieced, _) = run(true, pieceBytes: Self.pieceBytes), (tree, treeHasDiagnostics) = run(false)
        let cut = CheckinLedgerReader.pieces(of: file, size: Self.pieceBytes)
        return Outcome(fast: fast, pieced: pieced, tree: tree, pieces: cut.count,
                       piecesTaken: !cut.isEmpty && cut.allSatisfy { CheckinLedgerReader.decode(file, piece: $0, config: config) != nil },
                       took: CheckinLedgerReader.decode(file, config: config) != nil, treeHasDiagnostics: treeHasDiagnostics)
    }

    @Test func takesAWellFormedLedgerAndReadsItAsTheTreeDoes() throws {
        let o = bothPaths(Self.ledger)
        #expect(o.took)
        #expect(o.pieces > 5 && o.piecesTaken, "\(o.pieces) pieces")
        #expect(!o.treeHasDiagnostics)
        #expect(o.fast == o.tree, "\(lineDiff(expected: o.tree, actual: o.fast))")
        #expect(o.pieced == o.tree, "\(lineDiff(expected: o.tree, actual: o.pieced))")
        let plan = try #require(CheckinLedgerReader.decode(SourceFile(path: "q4.yaml", text: Self.ledger), config: Config()))
        #expect(plan.checkins.count == 7)
        #expect(plan.checkins[3].subject == .kpi)
        #expect(plan.checkins[2].note == nil && plan.checkins[3].confidence == nil)
        #expect(plan.checkins[4].note == "shipped — “beta” 🚀")
        #expect(plan.checkins[5].target.value == "d1-1.kr4")
        #expect(span(plan.checkins[0].range) == "4:7-4:9")
        #expect(span(plan.checkins[4].value.range) == "10:12-10:16")
    }

    @Test func takesLedgersWrittenOtherWays() {
        for text in [
            // The list before the kind; CRLF line ends; a byte-order mark; an empty list.
            "checkins:\n  - { kr: a.kr1, date: 2026-10-02, value: 1 }\nkind: checkins\n",
            "kind: checkins\r\ncheckins:\r\n  - kr: a.kr1\r\n    date: 2026-10-02\r\n    value: 5 users\r\n",
            "\u{FEFF}kind: checkins\ncheckins: [{ kr: a.kr1, date: 2026-10-02, value: 2 }]\n",
            "kind: checkins\ncheckins: []\n",
            "---\nkind: \"checkins\"\ncheckins:\n- {kpi: k, date: 2026-10-02, value: 3, note: ''}\n...\n",
        ] {
            let o = bothPaths(text)
            #expect(o.took, "\(text)")
            #expect(o.fast == o.tree, "\(text)\n\(lineDiff(expected: o.tree, actual: o.fast))")
            #expect(o.pieced == o.tree, "\(text)\n\(lineDiff(expected: o.tree, actual: o.pieced))")
        }
    }

    /// Records are decoded a batch at a time (`CheckinLedgerReader.batchSize`): a ledger of
    /// several batches and a part batch reads as the tree does, in order; a bad record in
    /// any batch, at its first or last place or inside it, makes the reader decline.
    @Test func readsLedgersOfManyBatches() throws {
        let size = CheckinLedgerReader.batchSize
        func ledger(_ count: Int, badAt bad: Int? = nil) -> String {
            "kind: checkins\ncheckins:\n" + (0..<count).map { i in
                i == bad ? "  - { kr: a.kr\(i % 5), date: 2026-13-01, value: \(i) }\n"
                         : "  - { kr: a.kr\(i % 5), date: 2026-10-\(String(format: "%02d", 1 + i % 28)), value: \(i)%, confidence: 0.\(i % 10) }\n"
            }.joined()
        }
        for count in [size - 1, size, size + 1, 2 * size + 44] {
            let o = bothPaths(ledger(count))
            #expect(o.took && !o.treeHasDiagnostics, "\(count) records")
            #expect(o.fast == o.tree, "\(count) records\n\(lineDiff(expected: o.tree, actual: o.fast))")
            #expect(o.pieced == o.tree, "\(count) records\n\(lineDiff(expected: o.tree, actual: o.pieced))")
            let plan = try #require(CheckinLedgerReader.decode(SourceFile(path: "q4.yaml", text: ledger(count)), config: Config()))
            #expect(plan.checkins.map(\.value.value.description) == (0..<count).map { "\($0)%" })
        }
        for bad in [0, size - 1, size, size + 7, 2 * size + 43] {
            let o = bothPaths(ledger(2 * size + 44, badAt: bad))
            #expect(!o.took && o.treeHasDiagnostics, "bad record \(bad)")
            #expect(o.fast == o.tree, "bad record \(bad)\n\(lineDiff(expected: o.tree, actual: o.fast))")
            #expect(o.pieced == o.tree, "bad record \(bad)\n\(lineDiff(expected: o.tree, actual: o.pieced))")
        }
    }

    /// Whatever the tree's decoder reports, the fast path declines, so the file is read the
    /// usual way and the diagnostics are the tree's own.
    @Test func declinesAnythingTheTreeWouldReport() {
        let record = "  - { kr: a.kr1, date: 2026-10-02, value: 1 }\n"
        var tight = Config()
        tight.limits.maxScalarBytes = 8
        var shallow = Config()
        shallow.limits.maxDepth = 2
        let cases: [(String, Config)] = [
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, dat: 2026-10-02, value: 1 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02, date: 2026-10-03, value: 1 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, kpi: k, date: 2026-10-02, value: 1 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { date: 2026-10-02, value: 1 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: ~, date: 2026-10-02, value: 1 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-13-02, value: 1 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02, value: lots }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02, value: 1e99 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02, value: 1, confidence: 1.5 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02, value: 1, confidence: high }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02, value: [1] }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02, value: }\n", Config()),
            ("kind: checkins\ncheckins:\n  - {}\n", Config()),
            ("kind: checkins\ncheckins:\n  - a.kr1\n", Config()),
            ("kind: checkins\ncheckins:\n  - { <<: {kr: a.kr1}, date: 2026-10-02, value: 1 }\n", Config()),
            ("kind: checkins\ncheckins:\n  - { ? [kr] : a.kr1, date: 2026-10-02, value: 1 }\n", Config()),
            ("kind: checkins\ncheckins: none\n", Config()),
            ("kind: checkins\nowner: p1\ncheckins:\n" + record, Config()),
            ("kind: checkins\nkind: checkins\ncheckins:\n" + record, Config()),
            ("checkins:\n" + record, Config()),
            ("kind: okrs\ncheckins:\n" + record, Config()),
            ("kind: checkin\ncheckins:\n" + record, Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02, value: 1 \n", Config()),
            ("kind: checkins\ncheckins:\n\t- { kr: a.kr1, date: 2026-10-02, value: 1 }\n", Config()),
            ("", Config()),
            ("# only a comment mentioning checkins\n", Config()),
            ("kind: checkins\ncheckins:\n  - { kr: a.kr1, date: 2026-10-02, value: 1, note: a long note }\n", tight),
            ("kind: checkins\ncheckins:\n" + record, shallow),
        ]
        for (text, config) in cases {
            let o = bothPaths(text, config: config)
            #expect(!o.took, "taken: \(text)")
            #expect(o.treeHasDiagnostics, "no diagnostic: \(text)")
            #expect(o.fast == o.tree, "\(text)\n\(lineDiff(expected: o.tree, actual: o.fast))")
            #expect(o.pieced == o.tree, "\(text)\n\(lineDiff(expected: o.tree, actual: o.pieced))")
        }
    }

    /// What the tree takes without a word but the fast path leaves to it: tags, anchors and
    /// aliases, several documents, an empty list written as nothing.
    @Test func leavesRarerFormsToTheTree() {
        let record = "  - { kr: a.kr1, date: 2026-10-02, value: 1 }\n"
        for text in [
            "kind: checkins\ncheckins:\n  - { kr: !!str a.kr1, date: 2026-10-02, value: 1 }\n",
            "kind: checkins\ncheckins:\n  - &r { kr: a.kr1, date: 2026-10-02, value: 1 }\n  - *r\n",
            "kind: checkins\ncheckins:\n" + record + "---\nkind: checkins\ncheckins:\n" + record,
            "kind: checkins\ncheckins:\n",
        ] {
            let o = bothPaths(text)
            #expect(!o.took, "taken: \(text)")
            #expect(!o.treeHasDiagnostics, "\(text)")
            #expect(o.fast == o.tree, "\(text)\n\(lineDiff(expected: o.tree, actual: o.fast))")
            #expect(o.pieced == o.tree, "\(text)\n\(lineDiff(expected: o.tree, actual: o.pieced))")
        }
    }

    /// 3,000 seeded mutations of a ledger (bytes deleted, YAML punctuation, keys and
    /// values inserted, lines doubled or swapped): the two paths agree on every one, and
    /// the fast path takes only mutants without a diagnostic.
    @Test func agreesWithTheTreeOnMutatedLedgers() {
        let pieces = [":", "-", " ", "\n", "{", "}", "[", "]", ",", "~", "'", "\"", "#", "&a ", "*a", "!!int ", "? ",
                      "kpi: k, ", "kr: x, ", "note: n, ", "confidence: 2, ", "value: done, ", "date: 2026-02-30, ",
                      "%", "é", "\t", "\r", "1e99", "---\n", "null", "<<: ", "checkins", "kind: okrs\n"]
        var rng = SplitMix(seed: 20261128)
        var taken = 0, declined = 0, piecesTaken = 0, piecesDeclined = 0
        for _ in 0..<3000 {
            var bytes = Array(Self.ledger.utf8)
            for _ in 0..<(1 + rng.next(upTo: 2)) {
                let at = rng.next(upTo: bytes.count)
                switch rng.next(upTo: 4) {
                case 0: bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.next(upTo: 6)))
                case 1: bytes.insert(contentsOf: Array(pieces[rng.next(upTo: pieces.count)].utf8), at: at)
                case 2:
                    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                    let i = rng.next(upTo: lines.count), j = rng.next(upTo: lines.count)
                    lines.swapAt(i, j)
                    bytes = Array(lines.joined(separator: [0x0A]))
                default:
                    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                    let i = rng.next(upTo: lines.count)
                    lines.insert(lines[i], at: i)
                    bytes = Array(lines.joined(separator: [0x0A]))
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let o = bothPaths(text)
            if o.took { taken += 1 } else { declined += 1 }
            if o.pieces > 0 { if o.piecesTaken { piecesTaken += 1 } else { piecesDeclined += 1 } }
            #expect(!(o.took && o.treeHasDiagnostics), "taken with diagnostics: \(text)")
            #expect(o.fast == o.tree, "\(text)\n\(lineDiff(expected: o.tree, actual: o.fast))")
            #expect(o.pieced == o.tree, "\(text)\n\(lineDiff(expected: o.tree, actual: o.pieced))")
        }
        // Both kinds of mutant are common, so both ways through the reader are tried.
        #expect(taken > 300 && declined > 300, "taken \(taken), declined \(declined)")
        #expect(piecesTaken > 300 && piecesDeclined > 300, "in pieces: taken \(piecesTaken), declined \(piecesDeclined)")
    }

    /// Cut into pieces, a ledger reads as it does whole, however its records are written.
    /// Every piece must be taken, so a cut inside a record (at a line inside a quoted note
    /// or a flow mapping that only looks like a record) makes the file be read whole.
    @Test func piecesReadAsTheWholeFile() {
        let records = (0..<12).map { "  - { kr: a.kr\($0 % 3), date: 2026-10-\(String(format: "%02d", $0 + 1)), value: \($0) }\n" }.joined()
        let head = "kind: checkins\ncheckins:\n"
        var shallow = Config()
        shallow.limits.maxDepth = 2
        let cases: [(text: String, config: Config, piecesTaken: Bool)] = [
            (head + records, Config(), true),
            // The list at the left edge; comments, blank lines, CRLF and a byte-order mark.
            (head + records.replacingOccurrences(of: "  - ", with: "- "), Config(), true),
            ("\u{FEFF}kind: checkins\r\ncheckins: # weekly\r\n\r\n" + records.replacingOccurrences(of: "\n", with: "\r\n  # c\r\n\r\n"), Config(), true),
            // Block records whose notes hold lines like records, deeper than the list.
            (head + (0..<8).map { "  - kr: a.kr\($0)\n    date: 2026-10-02\n    value: 1\n    note: |\n      - not a record\n        - nor this\n" }.joined(), Config(), true),
            (head + (0..<8).map { "  - kr: a.kr\($0)\n    date: 2026-10-02\n    value: 1\n    note: >\n     folded\n\n     - text\n" }.joined(), Config(), true),
            // Non-ASCII text, whose positions come from the line table.
            (head + records.replacingOccurrences(of: "value:", with: "note: “é” 🚀, value:"), Config(), true),
            // A quoted note over lines, one shaped like a record at the list's column.
            (head + records + "  - { kr: a.kr1, date: 2026-10-02, value: 1, note: \"first\n  - { kr: b.kr1, date: 2026-10-03, value: 2 }\n  end\" }\n" + records, Config(), false),
            (head + records + "  - { kr: a.kr1, date: 2026-10-02, value: 1, note: 'first\n  - { kr: b.kr1 }\n  end' }\n" + records, Config(), false),
            // A flow mapping over lines, broken by a line like a record.
            (head + records + "  - { kr: a.kr1,\n  - date: 2026-10-02, value: 1 }\n" + records, Config(), false),
            // The kind after the list; a second document; an anchor; a bad date; records
            // less or more indented than the list; the depth limit.
            ("checkins:\n" + records + "kind: checkins\n", Config(), false),
            // Something that closes the list before a cut, so that the cut's line does not
            // continue it in the whole file: a key after the list (a syntax error there; or,
            // with the records written without ": ", more lines of the kind's text; or a
            // block text), or the end of the document. At the end of the file, a `...` is fine.
            ("checkins:\n  - { kr: a.kr1, date: 2026-10-02, value: 1 }\nkind: checkins\n" + records, Config(), false),
            ("checkins:\n  - { kr: a.kr1, date: 2026-10-02, value: 1 }\nkind: checkins\n"
                + (0..<12).map { "  - {\"kr\":\"a.kr1\",\"date\":\"2026-10-\(String(format: "%02d", $0 + 1))\",\"value\":\($0)}\n" }.joined(), Config(), false),
            ("checkins:\n- { kr: a.kr1, date: 2026-10-02, value: 1 }\nkind: checkins\n"
                + (0..<12).map { "- {\"kr\":\"a.kr1\",\"date\":\"2026-10-\(String(format: "%02d", $0 + 1))\",\"value\":\($0)}\n" }.joined(), Config(), false),
            ("checkins:\n  - { kr: a.kr1, date: 2026-10-02, value: 1 }\nkind: |-\n  checkins\n" + records, Config(), false),
            (head + "  - { kr: a.kr1, date: 2026-10-02, value: 1 }\n...\n" + records, Config(), false),
            (head + records + "...\n" + records, Config(), false),
            (head + records + "...\n", Config(), true),
            (head + records + "---\n" + head + records, Config(), false),
            (head + records + "...\n---\n" + head + records, Config(), false),
            (head + records + "  - &r { kr: a.kr1, date: 2026-10-02, value: 1 }\n" + records, Config(), false),
            (head + records + "  - { kr: a.kr1, date: 2026-13-02, value: 1 }\n" + records, Config(), false),
            (head + records + " - { kr: a.kr1, date: 2026-10-02, value: 1 }\n" + records, Config(), false),
            (head + records + "    - { kr: a.kr1, date: 2026-10-02, value: 1 }\n" + records, Config(), false),
            (head + records, shallow, false),
        ]
        for (text, config, piecesTaken) in cases {
            let o = bothPaths(text, config: config)
            #expect(o.pieces > 2, "\(o.pieces) pieces: \(text)")
            #expect(o.piecesTaken == piecesTaken, "\(text)")
            #expect(o.pieced == o.tree, "\(text)\n\(lineDiff(expected: o.tree, actual: o.pieced))")
        }
        // Too small to cut, or not a ledger's shape: read whole.
        for text in [head + "  - { kr: a.kr1, date: 2026-10-02, value: 1 }\n",
                     "kind: checkins\ncheckins: [\n" + records.replacingOccurrences(of: "}\n", with: "},\n") + "]\n",
                     "kind: okrs\nperiod: 2026-Q4\nobjectives:\n" + records] {
            #expect(CheckinLedgerReader.pieces(of: SourceFile(path: "p.yaml", text: text), size: Self.pieceBytes).isEmpty, "\(text)")
        }
    }

    /// Several files at once, cut, cut and declined, and whole (a small ledger, OKRs in YAML
    /// and in Markdown): the plans and diagnostics in file order, as through the tree.
    @Test func piecesAmongOtherFiles() {
        let records = (0..<20).map { "  - { kr: o1.kr1, date: 2026-10-\(String(format: "%02d", $0 + 1)), value: \($0) }\n" }.joined()
        let files = [
            SourceFile(path: "plans/a-okrs.yaml", text: "kind: okrs\nperiod: 2026-Q4\nowner: maria\nobjectives:\n  - id: o1\n    title: Grow\n    key_results:\n      - { id: o1.kr1, title: ARR, start: 0, target: 10 }\n"),
            SourceFile(path: "plans/b-ledger.yaml", text: "kind: checkins\ncheckins:\n" + records),
            SourceFile(path: "plans/c-broken.yaml", text: "kind: checkins\ncheckins:\n" + records + "  - { kr: o1.kr1, date: 2026-13-01, value: 1 }\n" + records),
            SourceFile(path: "plans/d-small.yaml", text: "kind: checkins\ncheckins:\n  - { kr: o1.kr1, date: 2026-10-30, value: 9 }\n"),
            SourceFile(path: "plans/e-team.md", text: "---\nkind: okrs\nperiod: 2026-Q4\nowner: nobody\n---\n## Ship {#o2}\n- Ship 3 releases\n"),
            SourceFile(path: "plans/f-broken.yaml", text: "kind: checkins\ncheckins:\n  - { kr: o1.kr1, date: someday, value: 1 }\n"),
        ]
        #expect(CheckinLedgerReader.pieces(of: files[1], size: Self.pieceBytes).count > 5)
        #expect(CheckinLedgerReader.pieces(of: files[2], size: Self.pieceBytes).count > 5)
        func run(_ fastPath: Bool, pieceBytes: Int) -> String {
            let collector = DiagnosticCollector()
            var out = ""
            for plan in Pipeline.parseAndDecode(files, config: Config(), ledgerFastPath: fastPath, ledgerPieceBytes: pieceBytes, into: collector) {
                for o in plan.objectives { out += "objective \(o.id.value) \(span(o.range))\n" }
                for c in plan.checkins { dump(c, to: &out) }
            }
            // In the order they were reported, which is file order.
            for d in collector.all { out += "\(d.rule) \(d.range.file):\(span(d.range)) \(d.message)\n" }
            return out
        }
        let tree = run(false, pieceBytes: Self.pieceBytes), pieced = run(true, pieceBytes: Self.pieceBytes)
        #expect(tree.contains("c-broken.yaml") && tree.contains("f-broken.yaml"))
        #expect(pieced == tree, "\(lineDiff(expected: tree, actual: pieced))")
        #expect(run(true, pieceBytes: CheckinLedgerReader.pieceBytes) == tree)
    }

    /// The cuts cover the file from its first byte (after a byte-order mark) to its last,
    /// each at the start of a line with the list's `-` at its column.
    @Test func piecesAreCutAtRecords() throws {
        let text = "\u{FEFF}kind: checkins\ncheckins:\n" + (0..<40).map { "  - { kr: a.kr1, date: 2026-10-02, value: \($0) }\n" }.joined()
        let file = SourceFile(path: "p.yaml", text: text)
        let cut = CheckinLedgerReader.pieces(of: file, size: 200)
        try #require(cut.count > 5)
        #expect(cut.first!.lowerBound == 3 && cut.last!.upperBound == file.bytes.count)
        for (a, b) in zip(cut, cut.dropFirst()) {
            #expect(a.upperBound == b.lowerBound)
            #expect(a.count >= 200)
            #expect(Array(file.bytes[b.lowerBound..<(b.lowerBound + 4)]) == Array("  - ".utf8))
            #expect(file.bytes[b.lowerBound - 1] == 0x0A)
        }
        #expect(cut.last!.count < 300)
    }
}
