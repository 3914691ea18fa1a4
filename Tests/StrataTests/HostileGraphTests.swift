import Foundation
import Testing
@testable import Strata

/// Hostile shapes of the cascade graph: parent cycles of length 1 and 500, a long chain
/// that runs into a cycle, 5,000 siblings under one goal, and ids that differ only by
/// letter case or Unicode normalisation.
@Suite struct HostileGraphTests {
    static let org = "kind: org\npeople:\n  - {id: maria, name: Maria}\n"
    static let goals = "kind: goals\ngoals:\n  - {id: G1, title: Grow, owner: maria, metric: {start: 1, target: 2}, due: 2027-06-30}\n"
    static let quiet = "organisation: Graph\nas_of: 2026-11-20\nrules: {checkin-stale: off, okr-owner-load: off, goal-unsupported: off}\n"

    /// An objective (6 lines) with two milestone key results.
    static func objective(_ id: String, parent: String) -> String {
        "  - id: \(id)\n    title: Objective \(id)\n    parent: \(parent)\n    key_results:\n      - {title: K, done: false}\n      - {title: L, done: true}\n"
    }

    static func okrs(_ objectives: [(String, String)]) -> String {
        "kind: okrs\nperiod: 2026-Q4\nowner: maria\nobjectives:\n" + objectives.map { objective($0.0, parent: $0.1) }.joined()
    }

    func repo(_ name: String, _ objectives: [(String, String)]) throws -> HostileRepo {
        try HostileRepo(name, texts: ["plans/org.yaml": Self.org, "plans/goals.yaml": Self.goals, "plans/okrs.yaml": Self.okrs(objectives)], config: Self.quiet)
    }

    @Test func objectiveThatIsItsOwnParent() throws {
        let r = try repo("cycle-1", [("o0", "o0")])
        defer { r.remove() }
        let checked = try r.check()
        #expect(checked.status == 1)
        #expect(checked.diagnostics.map(\.description) == ["plans/okrs.yaml:7:13: error: objective 'o0' is its own parent [cascade-cycle]"])
        #expect(try r.build().status == 1)
        r.assertNothingWritten()
    }

    @Test func fiveHundredLongCycle() throws {
        // o0 → o1 → … → o499 → o0.
        let r = try repo("cycle-500", (0..<500).map { ("o\($0)", "o\(($0 + 1) % 500)") })
        defer { r.remove() }
        let checked = try r.check()
        #expect(checked.status == 1)
        let cycles = checked.diagnostics.filter { $0.rule == "cascade-cycle" }
        #expect(cycles.count == 1, "the cycle is reported \(cycles.count) times")
        // Reported once, at o0's parent, naming every hop.
        #expect(cycles.first.map { "\($0.range.file):\($0.range.start.line):\($0.range.start.column)" } == "plans/okrs.yaml:7:13")
        #expect(cycles.first?.message.hasPrefix("parent links form a cycle: o0 → o1 → o2") == true)
        #expect(cycles.first?.message.components(separatedBy: " → ").count == 501)
        #expect(cycles.first?.message.hasSuffix("o498 → o499 → o0") == true)
        #expect(try r.build().status == 1)
        r.assertNothingWritten()
        // Roll-up, explain and the graph dump terminate on the cycle.
        let explained = try CLITests.run(["explain", "o250", "--root", r.root.path])
        #expect(explained.stdout.contains("o250"), "\(explained.stderr)")
        let graph = try CLITests.run(["graph", "--root", r.root.path])
        #expect(graph.stdout.contains("o499"))
    }

    @Test func longChainRunningIntoACycle() throws {
        // c0 ⇄ c1 is a cycle; a0 ← a1 ← … ← a499 hangs below it.
        var objectives: [(String, String)] = [("c0", "c1"), ("c1", "c0"), ("a0", "c0")]
        objectives += (1..<500).map { ("a\($0)", "a\($0 - 1)") }
        let r = try repo("chain-into-cycle", objectives)
        defer { r.remove() }
        let c = try r.compile()
        let cycles = c.diagnostics.filter { $0.rule == "cascade-cycle" }
        #expect(cycles.map(\.message) == ["parent links form a cycle: c0 → c1 → c0"])
        #expect(c.positions() == ["plans/okrs.yaml:7:13 [cascade-cycle]"])
        let rollUp = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        #expect(rollUp["a499"] != nil)
        #expect(ExplainRenderer(rollUp: rollUp).render("a499")?.contains("a499") == true)
        #expect(!GraphDump.render(c.graph, rollUp: rollUp).isEmpty)
    }

    /// A duplicate objective id: the parent links are by id, the later definition's parent
    /// replacing the first's, so `a` (first under G1, then again under `b`) and `b` (under
    /// `a`) form a cycle; the duplicate is reported too.
    @Test func duplicateObjectiveWhoseParentClosesACycle() throws {
        let r = try repo("duplicate-cycle", [("a", "G1"), ("b", "a"), ("a", "b")])
        defer { r.remove() }
        let c = try r.compile()
        #expect(c.diagnostics.filter { $0.rule == "cascade-cycle" }.map(\.message) == ["parent links form a cycle: a → b → a"])
        #expect(c.diagnostics.contains { $0.rule == "duplicate-id" && $0.message.hasPrefix("id 'a' is already used") })
        #expect(c.graph.parent["a"] == "b" && c.graph.inCycle == ["a", "b"])
    }

    /// 5,000 objectives under one goal: check and build succeed and every objective is in
    /// the output.
    @Test func fiveThousandSiblings() throws {
        let r = try repo("siblings", (0..<5000).map { ("o\($0)", "G1") })
        defer { r.remove() }
        let checked = try r.check()
        #expect(checked.status == 0, "\(checked.diagnostics.prefix(5))")
        #expect(checked.diagnostics.isEmpty, "\(checked.diagnostics.prefix(5))")
        let built = try r.build()
        #expect(built.status == 0, "\(built.stderr.suffix(2000))")
        let data = try Data(contentsOf: r.output.appendingPathComponent("data/plan.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let objectives = try #require(json["objectives"] as? [[String: Any]])
        #expect(objectives.count == 5000)
        #expect(Set(objectives.compactMap { $0["parent"] as? String }) == ["G1"])
        let csv = try String(contentsOf: r.output.appendingPathComponent("data/scorecard-2026-q4.csv"), encoding: .utf8)
        #expect(csv.utf8.filter { $0 == 0x0A }.count > 5000)
        for path in ["index.html", "people/maria.html", "scorecards/2026-q4.html", "reports/2026-q4.md"] {
            #expect(FileManager.default.fileExists(atPath: r.output.appendingPathComponent(path).path), "\(path) missing")
        }
    }

    /// Ids of goals, objectives and key results that differ only by case are a warning
    /// (each located, with a note at the other); teams and people may differ by case and
    /// get distinct pages (OutputSafetyTests).
    @Test func idsThatDifferOnlyByCase() throws {
        let goals = Self.goals + "  - {id: g1, title: Grow too, owner: maria, metric: {start: 1, target: 2}, due: 2027-06-30}\n"
        let r = try HostileRepo("case", texts: ["plans/org.yaml": Self.org + "  - {id: Maria, name: Maria Two}\n", "plans/goals.yaml": goals,
                                                "plans/okrs.yaml": Self.okrs([("Win", "G1"), ("win", "g1")])], config: Self.quiet)
        defer { r.remove() }
        let c = try r.compile()
        #expect(c.positions(.error).isEmpty, "\(c.positions())")
        let lookalikes = c.diagnostics.filter { $0.rule == "id-lookalike" }
        #expect(lookalikes.map { "\($0.range.file):\($0.range.start.line):\($0.range.start.column) \($0.message)" } == [
            "plans/goals.yaml:4:10 id 'g1' differs from 'G1' only by letter case",
            "plans/okrs.yaml:11:9 id 'win' differs from 'Win' only by letter case",
            "plans/okrs.yaml:15:10 id 'win.kr1' differs from 'Win.kr1' only by letter case",
            "plans/okrs.yaml:16:10 id 'win.kr2' differs from 'Win.kr2' only by letter case",
        ])
        #expect(lookalikes.first?.notes.first.map { "\($0.range.map(position) ?? "") \($0.message)" } == "3:10 'G1' is defined here")
        #expect(c.plan.people.map(\.id.value) == ["maria", "Maria"])
    }

    /// Only ids that share a fold with an id that changes when folded go into the
    /// look-alike table: a lower-case id defined first is still found by the upper-case ones
    /// after it (each warned against the first), and an id with no look-alike gets nothing.
    @Test func idsThatDifferOnlyByCaseAfterTheLowerCaseOne() throws {
        let r = try repo("case-order", [("lose", "G1"), ("keep", "G1"), ("LOSE", "G1"), ("Lose", "G1")])
        defer { r.remove() }
        let c = try r.compile()
        let lookalikes = c.diagnostics.filter { $0.rule == "id-lookalike" }
        #expect(Set(lookalikes.map(\.message)) == [
            "id 'LOSE' differs from 'lose' only by letter case", "id 'Lose' differs from 'lose' only by letter case",
            "id 'LOSE.kr1' differs from 'lose.kr1' only by letter case", "id 'Lose.kr1' differs from 'lose.kr1' only by letter case",
            "id 'LOSE.kr2' differs from 'lose.kr2' only by letter case", "id 'Lose.kr2' differs from 'lose.kr2' only by letter case",
        ])
        #expect(lookalikes.count == 6)
        #expect(lookalikes.allSatisfy { $0.notes.first?.message.hasPrefix("'lose") == true })
    }

    /// Unicode normalisation: a decomposed 'é' (e + U+0301) is not a valid id, and ids that
    /// are canonically equivalent (Hangul syllable vs its jamo) are the same id.
    @Test func idsThatDifferOnlyByNormalisation() throws {
        let nfc = "\u{D55C}", nfd = "\u{1112}\u{1161}\u{11AB}"
        #expect(nfc.unicodeScalars.count == 1 && nfd.unicodeScalars.count == 3)
        let org = """
            kind: org
            people:
              - {id: josé, name: NFC}
              - {id: "jose\u{301}", name: NFD}
              - {id: \(nfc), name: Han NFC}
              - {id: \(nfd), name: Han NFD}

            """
        let r = try HostileRepo("normalisation", texts: ["plans/org.yaml": org], config: Self.quiet)
        defer { r.remove() }
        let c = try r.compile()
        #expect(c.positions() == ["plans/org.yaml:4:10 [invalid-value]", "plans/org.yaml:6:10 [duplicate-id]"])
        let duplicate = try #require(c.diagnostics.first { $0.rule == "duplicate-id" })
        #expect(duplicate.notes.first?.range.map(position) == "5:10")
        #expect(c.plan.people.count == 3)
    }
}
