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

    @Test func numbersBeyondTenToTheFifteenthAreRefusedWhereTheyAre() throws {
        // Found by fuzzing: a rating out of 10^20 in a Markdown key result trapped while its
        // unit was described (Double → Int). Every reader now refuses such numbers, naming them.
        let d = try check([
            "strata.yaml": "organisation: Test\ncheckins: { cadence_days: 1.5 }\nrules: { checkin-stale: off, owner-idle: off, orphan-objective: off }\n",
            "plans/okrs.md": """
            ---
            kind: okrs
            period: 2026-Q4
            owner: ana
            ---
            # OKRs

            ## Delight customers {#o1}
            - Raise CSAT from 4.1/99999999999999999999 to 4.5/5 {#k1}
            - Grow users from 10 to 20,000,000,000,000,000 users (weight 99999999999999999999) {#k2}
            - Keep churn below 3%
            """,
            "plans/org.yaml": "kind: org\npeople:\n  - { id: ana, name: Ana }\n",
            "plans/more.yaml": "kind: okrs\nperiod: 2026-Q4\nobjectives:\n  - { id: o2, title: T, owner: ana, key_results: [{ id: k3, title: A, start: 0, target: 99999999999999999999 }, { title: B, done: true }] }\n",
            "plans/checkins.yaml": "kind: checkins\ncheckins:\n  - { kr: k1, date: 2026-10-05, value: 4.2/5 }\n  - kr: k2\n    date: 2026-10-05\n    value: 1,000,000,000,000,001 users\n",
        ])
        let tooLarge = d.filter { $0.message.contains("is too large") }.map { "\($0.range.file):\(position($0.range)) \($0.message.prefix(28))" }
        #expect(tooLarge == [
            "plans/checkins.yaml:6:12 '1,000,000,000,000,001 users",
            "plans/more.yaml:4:89 '99999999999999999999' is to",
            "plans/okrs.md:9:19 '4.1/99999999999999999999' i",
            "plans/okrs.md:10:25 '20,000,000,000,000,000 user",
            "plans/okrs.md:10:62 '99999999999999999999' is to",
        ])
        // The key results stay (their check-ins still find them), without a second error.
        #expect(!d.contains { $0.rule == "kr-unmeasurable" || $0.rule == "dangling-reference" })
        #expect(d.contains { $0.message == "cadence_days must be a whole number of days, at least 1" && $0.range.file == "strata.yaml" })
    }

    @Test func unicodeLineSeparatorsAreRejectedBeforeParsing() throws {
        // libyaml counts U+2028/U+2029/U+0085 as line breaks and cmark does not; the loader
        // rejects them so every position stays true.
        let d = try check(["plans/org.yaml": "kind: org\npeople:\n  - { id: a, name: \"x\u{2028}y\" }\n"])
        #expect(d.contains { $0.rule == "input-encoding" && $0.message.contains("U+2028") && position($0.range) == "3:22" })
    }

}
