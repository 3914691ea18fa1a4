import Foundation
import Testing
@testable import Strata

/// Hostile input through the built binary: for each case, `strata check` exits 1 with an
/// error of the right rule at the right file, line and column, and `strata build` exits 1
/// and writes nothing. The parser-level behaviour of many of these is pinned by
/// LibYAMLParserTests, MarkdownParserTests and the golden fixtures; these cases add the
/// end-to-end guarantees (exit status, nothing written, it finishes) and fill the gaps.
@Suite struct HostileInputTests {
    /// One hostile plan and the error it must produce.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var files: [String: [UInt8]]
        var rule: String
        var at: String  // file:line:column
        var message: String = ""

        var description: String { name }

        init(_ name: String, _ files: [String: [UInt8]], _ rule: String, at: String, message: String = "") {
            self.name = name
            self.files = files
            self.rule = rule
            self.at = at
            self.message = message
        }

        init(_ name: String, _ files: [String: String], _ rule: String, at: String, message: String = "") {
            self.init(name, files.mapValues { Array($0.utf8) }, rule, at: at, message: message)
        }
    }

    /// `l0` … `l9`, each a list of ten aliases of the one before: 10^10 nodes if expanded.
    static let billionLaughs = "kind: org\n" + (0..<10).map { i in
        "l\(i): &l\(i) [" + Array(repeating: i == 0 ? "x" : "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
    }.joined() + "people: []\n"

    static let cases: [Case] = [
        // YAML structure
        Case("duplicate key", ["plans/org.yaml": "kind: org\npeople:\n  - id: a\n    name: A\n    name: B\n"], "yaml-duplicate-key", at: "plans/org.yaml:5:5"),
        Case("merge key", ["plans/org.yaml": "kind: org\nbase: &b {name: A}\npeople:\n  - <<: *b\n    id: a\n"], "yaml-merge-key", at: "plans/org.yaml:4:5"),
        Case("billion laughs", ["plans/org.yaml": billionLaughs], "yaml-alias", at: "plans/org.yaml:5:45", message: "aliases expand to more than 10000 nodes"),
        Case("self-referencing alias", ["plans/org.yaml": "kind: org\npeople: &p\n  - id: a\n    name: *p\n"], "yaml-alias", at: "plans/org.yaml:4:11"),
        Case("undefined alias", ["plans/org.yaml": "kind: org\npeople:\n  - id: a\n    name: *nope\n"], "yaml-alias", at: "plans/org.yaml:4:11"),
        Case("python tag", ["plans/org.yaml": "kind: org\npeople:\n  - id: a\n    name: !!python/object/apply:os.system [\"echo pwned\"]\n"],
             "yaml-tag", at: "plans/org.yaml:4:11", message: "YAML tag '!!python/object/apply:os.system' is not supported"),
        Case("ruby tag", ["plans/org.yaml": "kind: org\npeople:\n  - !ruby/object:Gem::Installer\n    id: a\n"], "yaml-tag", at: "plans/org.yaml:3:5"),
        Case("tag directive", ["plans/org.yaml": "%TAG !e! tag:evil.example,2000:\n---\nkind: org\npeople:\n  - id: a\n    name: !e!cmd x\n"],
             "yaml-tag", at: "plans/org.yaml:6:11", message: "YAML tag 'tag:evil.example,2000:cmd' is not supported"),
        Case("two documents in strata.yaml", ["strata.yaml": "organisation: X\n---\norganisation: Y\n"], "wrong-type", at: "strata.yaml:3:1",
             message: "strata.yaml must hold one YAML document, found 2"),
        Case("two documents in front matter", ["plans/o.md": "---\nkind: okrs\n--- {kind: swot}\n---\n# T\n"], "front-matter", at: "plans/o.md:3:5",
             message: "front matter holds 2 YAML documents; it must hold one mapping"),
        Case("tab indentation", ["plans/org.yaml": "kind: org\npeople:\n\t- {id: a, name: A}\n"], "yaml-syntax", at: "plans/org.yaml:3:1"),
        Case("unclosed double quote", ["plans/org.yaml": "kind: org\npeople:\n  - {id: a, name: \"A}\n"], "yaml-syntax", at: "plans/org.yaml:4:1"),
        Case("unclosed single quote", ["plans/org.yaml": "kind: org\npeople:\n  - {id: a, name: 'A}\n"], "yaml-syntax", at: "plans/org.yaml:4:1"),
        Case("unclosed flow mapping", ["plans/org.yaml": "kind: org\npeople:\n  - {id: a, name: A\n"], "yaml-syntax", at: "plans/org.yaml:4:1"),
        Case("100k open brackets", ["plans/org.yaml": "kind: org\npeople: " + String(repeating: "[", count: 100_000) + "\n"], "input-limit", at: "plans/org.yaml:2:72",
             message: "YAML nesting is deeper than 64 levels"),
        Case("key over 1024 characters", ["plans/org.yaml": "kind: org\n" + String(repeating: "k", count: 1100) + ": v\n"], "yaml-syntax", at: "plans/org.yaml:2:1101",
             message: "YAML syntax error: could not find expected ':'"),
        Case("scalar over 1 MiB", ["plans/org.yaml": "kind: org\npeople:\n  - id: a\n    name: " + String(repeating: "x", count: (1 << 20) + 10) + "\n"],
             "input-limit", at: "plans/org.yaml:4:11", message: "text value of 1048586 bytes exceeds the limit of 1048576 bytes"),
        // Encodings and bytes
        Case("UTF-16 without BOM", ["plans/org.yaml": Array("kind: org\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }], "input-encoding", at: "plans/org.yaml:1:2",
             message: "file contains a NUL byte; it looks binary"),
        Case("UTF-16 big-endian with BOM", ["plans/org.yaml": [0xFE, 0xFF] + Array("kind: org\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }], "input-encoding",
             at: "plans/org.yaml:1:1", message: "file is UTF-16 text"),
        Case("UTF-32 with BOM", ["plans/org.yaml": [0xFF, 0xFE, 0, 0] + Array("kind: org\n".unicodeScalars).flatMap { [UInt8($0.value), 0, 0, 0] }], "input-encoding", at: "plans/org.yaml:1:1",
             message: "file is UTF-32 text"),
        Case("UTF-32 big-endian with BOM", ["plans/org.yaml": [0, 0, 0xFE, 0xFF] + Array("kind: org\n".unicodeScalars).flatMap { [0, 0, 0, UInt8($0.value)] }], "input-encoding",
             at: "plans/org.yaml:1:1", message: "file is UTF-32 text"),
        Case("folders nested 70 deep", ["plans/" + String(repeating: "d/", count: 70) + "org.yaml": Array("kind: org\npeople: []\n".utf8)], "input-limit",
             at: "plans" + String(repeating: "/d", count: 64) + ":1:1", message: "folder 'plans" + String(repeating: "/d", count: 64) + "' is nested more than 64 levels deep; its files are not read"),
        Case("NUL in a quoted string", ["plans/org.yaml": Array("kind: org\npeople:\n  - {id: a, name: \"A".utf8) + [0] + Array("\"}\n".utf8)], "input-encoding", at: "plans/org.yaml:3:21"),
        Case("terminal escape", ["plans/org.yaml": Array("kind: org\npeople:\n  - {id: a, name: \"A".utf8) + [0x1B] + Array("[31m\"}\n".utf8)], "input-encoding",
             at: "plans/org.yaml:3:21", message: "control character U+1B is not allowed"),
        Case("PNG named .yaml", ["plans/logo.yaml": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]], "input-encoding",
             at: "plans/logo.yaml:1:1", message: "invalid UTF-8 byte sequence"),
        Case("gzip named .md", ["plans/archive.md": [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0]], "input-encoding", at: "plans/archive.md:1:1"),
        Case("invalid UTF-8 in Markdown", ["plans/o.md": Array("---\nkind: okrs\n---\n# T".utf8) + [0xC3, 0x28, 0x0A]], "input-encoding", at: "plans/o.md:4:4"),
        // Markdown
        Case("unterminated front matter", ["plans/o.md": "---\nkind: okrs\n# T\n"], "front-matter", at: "plans/o.md:1:1", message: "front matter is not closed"),
        Case("front matter not a mapping", ["plans/o.md": "---\n- kind\n---\n"], "front-matter", at: "plans/o.md:2:1"),
        Case("quadratic cmark input", ["plans/o.md": "---\nkind: okrs\n---\n" + String(repeating: "![[]()", count: 20_000) + "\n"], "input-limit", at: "plans/o.md:4:1",
             message: "Markdown body has 40000 '[' brackets, more than the limit of 4000"),
        Case("Markdown body over 128 KiB", ["plans/o.md": "---\nkind: okrs\n---\n" + String(repeating: String(repeating: "x", count: 99) + "\n", count: 1400)],
             "input-limit", at: "plans/o.md:4:1", message: "Markdown body of 140000 bytes exceeds the limit of 131072 bytes"),
        // Found by fuzzing (CI, stop 16): the unit's description turned the scale into an Int and trapped.
        Case("rating out of 10^20", ["plans/o.md": "---\nkind: okrs\nperiod: 2026-Q4\n---\n# O\n\n## Delight {#o1}\n- Raise CSAT from 4.1/99999999999999999999 to 4.5/5\n"],
             "invalid-value", at: "plans/o.md:8:19", message: "'4.1/99999999999999999999' is too large"),
        Case("empty YAML file", ["plans/e.yaml": ""], "unknown-kind", at: "plans/e.yaml:1:1", message: "file is empty"),
        Case("empty Markdown file", ["plans/e.md": ""], "front-matter", at: "plans/e.md:1:1"),
    ]

    @Test(arguments: cases)
    func checkFailsAtTheRightPlaceAndBuildWritesNothing(_ c: Case) throws {
        let repo = try HostileRepo(c.name.replacingOccurrences(of: " ", with: "-"), files: c.files)
        defer { repo.remove() }
        let checked = try repo.check()
        #expect(checked.status == 1, "\(c.name): check exited \(checked.status)\n\(checked.stderr.prefix(2000))")
        let errors = checked.diagnostics.filter { $0.severity == "error" }
        let match = errors.first { "\($0.range.file):\($0.range.start.line):\($0.range.start.column)" == c.at && $0.rule == c.rule }
        #expect(match != nil, "\(c.name): no \(c.rule) error at \(c.at); found:\n\(errors.map(\.description).joined(separator: "\n"))")
        if !c.message.isEmpty, let m = match { #expect(m.message.hasPrefix(c.message), "\(c.name): \(m.message)") }

        let built = try repo.build()
        #expect(built.status == 1, "\(c.name): build exited \(built.status)\n\(built.stderr.prefix(2000))")
        #expect(built.stderr.contains("the output was not changed"))
        repo.assertNothingWritten()
    }

    // MARK: - In process

    /// YAML 1.1 would read these as booleans, octal or sexagesimal numbers, floats, dates
    /// or null-like words; every text field keeps exactly what was written.
    @Test func yaml11ImplicitValuesAreTextWhereTextIsExpected() throws {
        let repo = try HostileRepo("yaml11", texts: [
            "plans/org.yaml": """
                kind: org
                teams:
                  - { id: t1, name: NO }
                  - { id: t2, name: 0x1F }
                people:
                  - { id: p1, name: yes, role: 1e3, team: t1 }
                  - { id: p2, name: 010, role: 1:30, team: t2 }
                  - { id: p3, name: 2026-11-20, role: 2001-12-14t21:59:43.10-05:00 }
                  - { id: p4, name: Off, role: .inf }
                  - { id: p5, name: "~", role: -.NaN }
                """,
            "plans/okrs.yaml": """
                kind: okrs
                period: 2026-Q4
                owner: p1
                objectives:
                  - id: o1
                    title: 1e3
                    description: 010
                    key_results:
                      - { title: NO, done: false }
                      - { title: 1:30, done: y }
                """,
        ])
        defer { repo.remove() }
        let c = try repo.compile()
        #expect(c.positions().isEmpty, "\(c.positions())")
        #expect(c.plan.teams.map(\.name) == ["NO", "0x1F"])
        #expect(c.plan.people.map(\.name) == ["yes", "010", "2026-11-20", "Off", "~"])
        #expect(c.plan.people.map { $0.role ?? "" } == ["1e3", "1:30", "2001-12-14t21:59:43.10-05:00", ".inf", "-.NaN"])
        let o = try #require(c.plan.objectives.first)
        #expect(o.title.value == "1e3" && o.description == "010")
        #expect(c.plan.keyResults.map(\.title.value) == ["NO", "1:30"])
        // A boolean field still understands yes/no words.
        #expect(c.plan.keyResults.map(\.measure.kindName) == ["milestone", "milestone"])
    }

    @Test func quadraticCmarkInputUnderTheSizeLimitIsStoppedByTheBracketLimit() {
        // 120 KB, under the 128 KiB body limit, so only the bracket count can stop it.
        let text = "---\nkind: okrs\n---\n" + String(repeating: "![[]()", count: 20_000)
        #expect(text.utf8.count < InputLimits().maxMarkdownBytes)
        let r = parseMarkdown(text)
        #expect(r.file == nil)
        #expect(r.diagnostics.map { "\(position($0.range)) [\($0.rule)]" } == ["4:1 [input-limit]"])
        #expect(r.diagnostics.first?.message.contains("'[' brackets") == true)
    }

    /// A UTF-8 BOM on strata.yaml and on plan files is accepted, and columns do not count it.
    @Test func byteOrderMarksAreAcceptedEverywhere() throws {
        let repo = try HostileRepo("bom", files: [
            "strata.yaml": [0xEF, 0xBB, 0xBF] + Array("organisation: BOM\nas_of: 2026-11-20\n".utf8),
            "plans/org.yaml": [0xEF, 0xBB, 0xBF] + Array("kind: org\npeople:\n  - {id: a, name: A, team: nope}\n".utf8),
            "plans/mission.md": [0xEF, 0xBB, 0xBF] + Array("---\nkind: mission\n---\n## Mission\nM.\n".utf8),
        ])
        defer { repo.remove() }
        let c = try repo.compile()
        #expect(c.config.organisation == "BOM")
        #expect(c.plan.mission?.mission?.value == "M.")
        #expect(c.positions() == ["plans/org.yaml:3:28 [dangling-reference]"])
    }

    /// Every limit in strata.yaml's `limits:` is applied: raised, the input that the
    /// default rejects is read; lowered, ordinary input is rejected.
    @Test func limitsInStrataYAMLTakeEffect() throws {
        let deep = "kind: org\nx: " + String(repeating: "[", count: 80) + String(repeating: "]", count: 80) + "\npeople: []\n"
        let laughs = "kind: org\n" + (0..<5).map { i in
            "l\(i): &l\(i) [" + Array(repeating: i == 0 ? "x" : "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }.joined() + "people: []\n"
        let scalar = "kind: org\npeople:\n  - { id: a, name: \(String(repeating: "x", count: (1 << 20) + 10)) }\n"
        let body = "---\nkind: mission\n---\n## Mission\n" + String(repeating: String(repeating: "x", count: 99) + "\n", count: 1400)
        let brackets = "---\nkind: mission\n---\n## Mission\n" + String(repeating: "[a] ", count: 5000) + "\n"
        let cases: [(String, String, String)] = [
            ("max_depth: 100", "plans/deep.yaml", deep),
            ("alias_budget: 200000", "plans/laughs.yaml", laughs),
            ("max_scalar_bytes: 2000000", "plans/scalar.yaml", scalar),
            ("max_markdown_bytes: 200000", "plans/body.md", body),
            ("max_markdown_brackets: 6000", "plans/brackets.md", brackets),
        ]
        for (limit, path, text) in cases {
            for raised in [false, true] {
                let config = "organisation: Limits\n" + (raised ? "limits: { \(limit) }\n" : "")
                let repo = try HostileRepo("limits", texts: [path: text], config: config)
                defer { repo.remove() }
                let c = try repo.compile()
                let limited = c.diagnostics.filter { ["input-limit", "yaml-alias"].contains($0.rule) }.map { "\($0.range.file) \($0.message)" }
                if raised {
                    #expect(limited.isEmpty, "\(limit): \(limited)")
                    #expect(c.config.limits != InputLimits(), "\(limit) was not read")
                } else {
                    #expect(limited.count == 1 && limited.first?.hasPrefix(path) == true, "default limits let \(path) through: \(limited)")
                }
            }
        }
        // Lowered limits that the loader applies: file size, file count, total size.
        let small = ["plans/a.yaml": "kind: org\npeople: []\n", "plans/b.yaml": "kind: org\nteams: []\n", "plans/c.yaml": "kind: org\n# " + String(repeating: "c", count: 200) + "\n"]
        for (limit, expected) in [("max_file_bytes: 100", "plans/c.yaml:1:1 [input-limit]"), ("max_files: 2", "plans:1:1 [input-limit]"), ("max_total_bytes: 40", "plans/b.yaml:1:1 [input-limit]")] {
            let repo = try HostileRepo("limits-low", texts: small, config: "organisation: Limits\nlimits: { \(limit) }\n")
            defer { repo.remove() }
            let c = try repo.compile()
            #expect(c.positions() == [expected], "\(limit): \(c.positions())")
        }
    }

    /// Source positions are 32-bit, so the file-size limit cannot be raised past 4 GiB.
    @Test func fileSizeLimitStopsAtFourGiB() throws {
        let repo = try HostileRepo("limits-huge", texts: ["plans/org.yaml": "kind: org\npeople: []\n"],
                                   config: "organisation: X\nas_of: 2026-11-20\nlimits: { max_file_bytes: 5000000000 }\n")
        defer { repo.remove() }
        let c = try repo.compile()
        #expect(c.positions() == ["strata.yaml:3:27 [invalid-value]"])
        #expect(c.config.limits.maxFileBytes == InputLimits().maxFileBytes)
        #expect(c.diagnostics.first?.message.contains("at most 4294967295") == true)
    }

    /// Raised limits work through the binary too (exit 1 with the default, 0 raised).
    @Test func raisedDepthLimitThroughTheBinary() throws {
        let deep = "kind: org\nx: " + String(repeating: "[", count: 80) + String(repeating: "]", count: 80) + "\npeople: []\n"
        let strict = try HostileRepo("depth-default", texts: ["plans/org.yaml": deep])
        defer { strict.remove() }
        #expect(try strict.check().diagnostics.map(\.rule).contains("input-limit"))
        let raised = try HostileRepo("depth-raised", texts: ["plans/org.yaml": deep], config: "organisation: X\nas_of: 2026-11-20\nlimits:\n  max_depth: 100\n")
        defer { raised.remove() }
        let r = try raised.check()
        #expect(!r.diagnostics.map(\.rule).contains("input-limit"), "\(r.diagnostics)")
    }

    /// Regression: every diagnostic on a long line used to print the whole line (and a
    /// marker as long) in the human format, so 2,000 errors on one 59 KB line printed
    /// 176 MB. Snippets now show a window of the line.
    @Test func diagnosticsOnOneLongLineStayShort() throws {
        let line = "kind: org\npeople: [" + (0..<2000).map { "{id: \"bad id \($0)\", name: N}" }.joined(separator: ", ") + "]\n"
        let repo = try HostileRepo("long-line", texts: ["plans/org.yaml": line])
        defer { repo.remove() }
        let r = try CLITests.run(["check", "--root", repo.root.path, "--no-color"])
        #expect(r.status == 1)
        let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 2000)
        let longest = r.stderr.split(separator: "\n").map(\.count).max() ?? 0
        #expect(longest < 300, "a snippet line of \(longest) characters")
        #expect(r.stderr.utf8.count < 2_000 * 1_000, "\(r.stderr.utf8.count) bytes of diagnostics")
        // The window still marks the right text.
        let snippet = r.stderr.components(separatedBy: "plans/org.yaml:2:").dropFirst(1000).first ?? ""
        let lines = snippet.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 4)
        if lines.count > 4, let caret = lines[3].firstIndex(of: "^") {
            let column = lines[3].distance(from: lines[3].startIndex, to: caret)
            let marked = lines[2].dropFirst(column).prefix(14)
            #expect(marked == "\"bad id 999\", ", "marker under '\(marked)'")
        }
    }

    /// Regression: YAML escapes put line breaks and terminal escapes into plan text, and
    /// messages quote plan text; printed raw they forged diagnostic lines (and CI workflow
    /// commands) and coloured the terminal. The text formats now show them as escapes.
    @Test func messagesCannotForgeLinesOrDriveTheTerminal() throws {
        let key = #""x\n::error file=plans/fake.yaml,line=9::forged\nplans/fake.yaml:9:9: error: forged [fake-rule]\e[2J\u202E""#
        let repo = try HostileRepo("forged", texts: ["plans/org.yaml": "kind: org\n\(key): 1\npeople: []\n"])
        defer { repo.remove() }
        for format in ["one-line", "human", "github"] {
            let r = try CLITests.run(["check", "--root", repo.root.path, "--format", format, "--no-color"])
            #expect(r.status == 1)
            let output = r.stdout + r.stderr  // machine formats go to stdout
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(!lines.contains { $0.hasPrefix("::error file=plans/fake.yaml") || $0.hasPrefix("plans/fake.yaml") }, "\(format): a forged line\n\(output)")
            #expect(lines.filter { $0.hasPrefix("::") }.count == (format == "github" ? 1 : 0), "\(format): \(output)")
            if format != "github" {
                #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E }, "\(format): raw control characters")
            }
        }
        let r = try CLITests.run(["check", "--root", repo.root.path, "--format", "one-line"])
        #expect(r.stderr.hasPrefix(#"plans/org.yaml:2:1: error: unknown key 'x\n::error file=plans/fake.yaml,line=9::forged\nplans/fake.yaml:9:9: error: forged [fake-rule]\u{1B}[2J\u{202E}' in an org file [unknown-key]"#), "\(r.stderr)")
    }

    @Test func snippetWindowKeepsShortLinesWhole() {
        let file = SourceFile(path: "t.yaml", text: "a: 😀 漢字 x\n" + String(repeating: "é", count: 500) + "Z\n")
        let f = DiagnosticFormatter(format: .human, sources: { _ in file })
        let short = f.render([Diagnostic(rule: .yamlSyntax, message: "m", at: file.range(file.location(line: 1, column: 6), file.location(line: 1, column: 8)))])
        #expect(short.contains("1 | a: 😀 漢字 x\n  |       ^~~~\n"))
        let long = f.render([Diagnostic(rule: .yamlSyntax, message: "m", at: file.range(file.location(line: 2, column: 501), file.location(line: 2, column: 502)))])
        let lines = long.split(separator: "\n")
        #expect(lines[2].hasPrefix("2 | …") && lines[2].hasSuffix("éZ"))
        #expect(lines[3].count == lines[2].count, "\(lines[3].count) vs \(lines[2].count)")
        #expect(lines[3].hasSuffix("^"))
    }
}

/// The loader reads files in parallel batches; what it returns must not depend on that.
@Suite struct ParallelLoadTests {
    /// 700 files (three batches): the plan keeps path order, and the total-size limit stops
    /// at the same file as reading one by one would, with files that fail to read (here,
    /// invalid UTF-8) not counted.
    @Test func batchesKeepPathOrderAndTheTotalLimit() throws {
        var texts: [String: [UInt8]] = [:]
        for i in 0..<700 {
            let id = String(format: "p%04d", i)  // every file the same size
            texts["plans/\(id).yaml"] = Array("kind: org\npeople: [{ id: \(id), name: P }]\n".utf8)
        }
        texts["plans/p0300.yaml"] = [0x6B, 0x3A, 0xFF, 0x0A]  // invalid UTF-8: reported, not counted
        let perFile = texts["plans/p0000.yaml"]!.count
        // Room for exactly 600 readable files: the limit is passed at p0601 (p0300 is skipped).
        let config = "organisation: Batches\nas_of: 2026-11-20\nlimits: { max_total_bytes: \(perFile * 600 + 5) }\n"
        let repo = try HostileRepo("batches", files: texts, config: config)
        defer { repo.remove() }
        let c = try repo.compile()
        #expect(c.positions() == ["plans/p0300.yaml:1:3 [input-encoding]", "plans/p0601.yaml:1:1 [input-limit]"])
        let paths = c.plan.files.map(\.path)
        #expect(paths.count == 600)
        #expect(paths == paths.sorted())
        #expect(paths.first == "plans/p0000.yaml" && paths.last == "plans/p0600.yaml")
        #expect(c.plan.people.map(\.id.value) == (0..<601).filter { $0 != 300 }.map { String(format: "p%04d", $0) })
    }
}
