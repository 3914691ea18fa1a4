import Foundation
import Testing
@testable import Strata

/// Keeps `docs/rules.md` true: every rule has a section, the severities it states are the
/// catalogue's, and every example there compiles to exactly the diagnostics shown.
///
/// The page marks examples with fenced blocks, inside the `### <rule-id>` section they
/// belong to:
///
///     ```yaml file=plans/plan.yaml        a plan file (any language; `file=` is the path
///     …                                   relative to the repository root; may be
///     ```                                 strata.yaml)
///
///     ```text diagnostics                 what `strata check --format one-line` prints,
///     …                                   without the summary line
///     ```
///
/// A `text diagnostics` block closes an example: it is checked against the files given
/// since the previous one in the same section. Examples without `file=strata.yaml` get
/// `organisation: Example`. Everything runs as of 2026-11-20, like the page says.
@Suite struct RuleDocsTests {
    /// `docs/rules.md`, found from this file: `Tests/StrataTests/RuleDocsTests.swift`.
    static let docURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs").appendingPathComponent("rules.md")

    static let asOf = Day(year: 2026, month: 11, day: 20)!
    static let defaultConfig = "organisation: Example\n"

    /// Rules a set of plan files cannot trigger, and why. Their sections show real output
    /// in plain ```text blocks instead.
    static let exempt: [String: String] = [
        "input-encoding": "needs bytes (UTF-16, NUL, control characters) that a Markdown page cannot hold",
        "io-error": "needs an unreadable file or a symbolic link out of the repository",
        "template-syntax": "reported by strata build for template overrides, not by compiling a plan",
        "output-path": "reported by strata build for the output folder, not by compiling a plan",
        "period-locked": "compares two git revisions (strata check --against, strata diff)",
    ]

    struct Example: Sendable, CustomTestStringConvertible {
        var rule: String
        /// 1-based line of the `text diagnostics` fence in the page.
        var line: Int
        var files: [(path: String, text: String)]
        var expected: String

        var testDescription: String { "\(rule) (docs/rules.md:\(line))" }
    }

    /// What the page says about one rule.
    struct Section: Sendable {
        var rule: String
        var line: Int
        /// The `**Default:** … · **Configurable:** …` line, if any.
        var header: String?
    }

    struct Page: Sendable {
        var sections: [Section] = []
        var examples: [Example] = []
        /// Problems with the markup itself (files outside a section, unclosed fences, …).
        var problems: [String] = []
        /// Rows of the summary table: rule id → the row's cells.
        var tableRows: [String: [String]] = [:]
    }

    static func loadPage() -> Page? {
        guard let data = FileManager.default.contents(atPath: docURL.path) else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    static let page = loadPage()

    static func parse(_ text: String) -> Page {
        var page = Page()
        let lines = text.components(separatedBy: "\n")
        var rule: String?
        var files: [(path: String, text: String)] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("## ") || line.hasPrefix("### ") {
                if !files.isEmpty {
                    page.problems.append("line \(i + 1): files of an example without a ```text diagnostics block: \(files.map(\.path))")
                    files = []
                }
                rule = nil
                if line.hasPrefix("### ") {
                    let name = line.dropFirst(4).trimmingCharacters(in: .whitespaces)
                    rule = name
                    page.sections.append(Section(rule: name, line: i + 1, header: nil))
                }
            } else if let r = rule, line.hasPrefix("**Default:**"), page.sections.last?.header == nil, page.sections.last?.rule == r {
                page.sections[page.sections.count - 1].header = line
            } else if line.hasPrefix("| [`") {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                if let first = cells.first, let open = first.range(of: "[`"), let close = first.range(of: "`]") {
                    page.tableRows[String(first[open.upperBound..<close.lowerBound])] = Array(cells.dropFirst())
                }
            }
            guard line.hasPrefix("```") else { i += 1; continue }
            let info = line.drop { $0 == "`" }.split(separator: " ").map(String.init)
            var body: [String] = []
            var j = i + 1
            while j < lines.count, !lines[j].hasPrefix("```") {
                body.append(lines[j])
                j += 1
            }
            if j == lines.count {
                page.problems.append("line \(i + 1): fence is never closed")
                break
            }
            if let file = info.first(where: { $0.hasPrefix("file=") }) {
                if rule == nil { page.problems.append("line \(i + 1): example file outside a rule section") }
                files.append((String(file.dropFirst(5)), body.joined(separator: "\n") + "\n"))
            } else if info.count >= 2, info[0] == "text", info[1] == "diagnostics" {
                if let r = rule {
                    let expected = body.isEmpty ? "" : body.joined(separator: "\n") + "\n"
                    page.examples.append(Example(rule: r, line: i + 1, files: files, expected: expected))
                } else {
                    page.problems.append("line \(i + 1): diagnostics block outside a rule section")
                }
                files = []
            }
            i = j + 1
        }
        if !files.isEmpty { page.problems.append("end of page: files of an example without a ```text diagnostics block") }
        return page
    }

    /// Builds the example's repository in a temporary folder and compiles it.
    static func run(_ example: Example) throws -> String {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("strata-rule-docs-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: root) }
        try fm.createDirectory(at: root.appendingPathComponent("plans"), withIntermediateDirectories: true)
        var files = example.files
        if !files.contains(where: { $0.path == "strata.yaml" }) { files.append(("strata.yaml", defaultConfig)) }
        for f in files {
            #expect(!f.path.hasPrefix("/") && !f.path.split(separator: "/").contains(".."), "example file '\(f.path)' must stay inside the repository")
            let url = root.appendingPathComponent(f.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(f.text.utf8).write(to: url)
        }
        let compilation = try Pipeline.compile(root: root, asOf: asOf)
        return DiagnosticFormatter(format: .oneline, sources: { compilation.sources[$0] }).render(compilation.diagnostics)
    }

    // MARK: - Tests

    @Test func pageIsWellFormed() throws {
        let page = try #require(Self.page, "cannot read \(Self.docURL.path)")
        #expect(page.problems.isEmpty, "\(page.problems.joined(separator: "\n"))")
        for s in page.sections {
            #expect(Rule.byID[s.rule] != nil, "docs/rules.md:\(s.line): section '\(s.rule)' names no rule in Rule.all")
        }
        let ids = page.sections.map(\.rule)
        #expect(Set(ids).count == ids.count, "a rule has two sections")
    }

    @Test func everyRuleHasASectionAndAnExample() throws {
        let page = try #require(Self.page, "cannot read \(Self.docURL.path)")
        let sections = Set(page.sections.map(\.rule))
        let withExamples = Set(page.examples.map(\.rule))
        for rule in Rule.all {
            if !sections.contains(rule.id) {
                Issue.record("docs/rules.md has no '### \(rule.id)' section")
            }
            if let reason = Self.exempt[rule.id] {
                if withExamples.contains(rule.id) {
                    Issue.record("\(rule.id) is exempt (\(reason)) but has a checked example; remove the exemption")
                }
            } else if !withExamples.contains(rule.id) {
                Issue.record("docs/rules.md has no checked example (```text diagnostics) for \(rule.id)")
            }
        }
        for id in Self.exempt.keys.sorted() {
            #expect(Rule.byID[id] != nil, "exemption for '\(id)', which is not in Rule.all")
        }
    }

    @Test func severitiesMatchTheCatalogue() throws {
        let page = try #require(Self.page, "cannot read \(Self.docURL.path)")
        for s in page.sections {
            guard let rule = Rule.byID[s.rule] else { continue }
            let expected = "**Default:** \(rule.defaultSeverity.rawValue) · **Configurable:** \(rule.configurable ? "yes" : "no")"
            let header = s.header ?? "(none)"
            #expect(header.hasPrefix(expected), "docs/rules.md:\(s.line): \(s.rule) says '\(header)', expected it to start with '\(expected)'")
        }
        for rule in Rule.all {
            guard let row = page.tableRows[rule.id] else {
                Issue.record("the table of all rules has no row for \(rule.id)")
                continue
            }
            #expect(row.count >= 2 && row[0] == rule.defaultSeverity.rawValue && row[1] == (rule.configurable ? "yes" : "no"),
                    "table row of \(rule.id) says \(row.prefix(2)), expected [\(rule.defaultSeverity.rawValue), \(rule.configurable ? "yes" : "no")]")
        }
    }

    @Test(arguments: RuleDocsTests.page?.examples ?? [])
    func exampleOutputIsExact(_ example: Example) throws {
        let actual = try Self.run(example)
        #expect(actual.contains("[\(example.rule)]\n"), "the example of \(example.rule) does not trigger it")
        if actual != example.expected {
            Issue.record("""
                docs/rules.md:\(example.line): the example of \(example.rule) prints something else.
                documented:
                \(example.expected)
                actual:
                \(actual)
                """)
        }
    }
}
