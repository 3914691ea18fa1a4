import Foundation
import Testing
@testable import Strata

/// Bugs found while writing the suite, now fixed: each test pins the behaviour we want.
@Suite struct RegressionTests {
    func check(_ files: [String: String]) throws -> [Diagnostic] {
        let root = try makeTemporaryFolder("strata-known")
        defer { try? FileManager.default.removeItem(at: root) }
        var all = files
        if all["strata.yaml"] == nil { all["strata.yaml"] = "organisation: Test\nrules: { checkin-stale: off, owner-idle: off, orphan-objective: off }\n" }
        for (path, text) in all { try write(text, to: root.appendingPathComponent(path)) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("plans"), withIntermediateDirectories: true)
        return try Pipeline.compile(root: root, asOf: fixedAsOf).diagnostics
    }

    @Test func swotSectionHelpKeepsTheListOfSections() throws {
        // SWOTDecoder: `a.map { $0 + " " } ?? "" + "use …"` parses as `a.map { … } ?? ("" + "use …")`.
        let d = try check(["plans/swot.md": "---\nkind: swot\n---\n## Weaknesess\n- Slow {#W1}\n"])
        let help = d.first { $0.rule == "markdown-structure" }?.help
        #expect(help == "did you mean 'weaknesses'? use Strengths, Weaknesses, Opportunities and Threats")
    }

    @Test func keyResultsUnderTheTitleHeadingAreReported() throws {
        // MarkdownOKRDecoder only reports lists in the section before any heading; a list
        // under the `# Title` heading (before the first objective) is silently dropped.
        let d = try check(["plans/okrs.md": "---\nkind: okrs\nperiod: 2026-Q4\n---\n# Sales OKRs\n\n- Grow ARR from $1M to $2M\n"])
        #expect(d.contains { $0.rule == "markdown-structure" && $0.range.start.line == 7 })
    }

    @Test func articlesBeforeVowels() throws {
        let d = try check(["plans/okrs.yaml": "kind: okrs\nperiod: 2026-Q4\nobjectives:\n  - { id: o1, title: T, colour: red, key_results: [{ title: A, done: false }, { title: B, done: true }] }\n"])
        #expect(d.contains { $0.message == "unknown key 'colour' in an objective" })
    }

    @Test func anInvalidPeriodIsNotAlsoAMissingOne() throws {
        let d = try check(["plans/okrs.yaml": "kind: okrs\nobjectives:\n  - { id: o1, title: T, period: 2026-Q5, key_results: [{ title: A, done: false }, { title: B, done: true }] }\n"])
        #expect(d.contains { $0.rule == "invalid-value" })
        #expect(!d.contains { $0.rule == "missing-field" })
    }

    @Test func anInvalidTargetIsNotAlsoAMissingOne() throws {
        let d = try check(["plans/okrs.yaml": "kind: okrs\nperiod: 2026-Q4\nobjectives:\n  - { id: o1, title: T, key_results: [{ title: A, start: 1, target: lots }, { title: B, done: true }] }\n"])
        #expect(d.contains { $0.rule == "invalid-value" })
        #expect(!d.contains { $0.rule == "missing-field" })
    }

    @Test func anEmptyRequiredValueIsReportedAtItsKey() throws {
        let d = try check(["plans/goals.yaml": "kind: goals\ngoals:\n  - id: G1\n    title:\n"])
        let missing = d.first { $0.rule == "missing-field" }
        #expect(missing?.message == "goal is missing 'title'")
        #expect(missing.map { position($0.range) } == "4:5")
    }

    @Test func unicodeLineSeparatorsAreRejectedBeforeParsing() throws {
        // libyaml counts U+2028/U+2029/U+0085 as line breaks and cmark does not; the loader
        // rejects them so every position stays true.
        let d = try check(["plans/org.yaml": "kind: org\npeople:\n  - { id: a, name: \"x\u{2028}y\" }\n"])
        #expect(d.contains { $0.rule == "input-encoding" && $0.message.contains("U+2028") && position($0.range) == "3:22" })
    }

}
