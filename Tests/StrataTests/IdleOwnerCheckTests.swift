import Foundation
import Testing
@testable import Strata

/// `owner-idle` over two periods: people who own an objective or (apart from its owner) a
/// key result in one period and nothing in the other, teams likewise, and teams with no
/// objective at all. The check finds each objective's key results by their place in the
/// plan when the graph has it, and by id when it does not: both give the same notes.
@Suite struct IdleOwnerCheckTests {
    static let files = [
        "strata.yaml": "organisation: Test\nrules: { checkin-stale: off, orphan-objective: off }\n",
        "plans/org.yaml": """
            kind: org
            teams:
              - { id: t1, name: One, lead: ana }
              - { id: t2, name: Two, lead: bob }
              - { id: t3, name: Three, lead: bob }
            people:
              - { id: ana, name: Ana, team: t1 }
              - { id: bob, name: Bob, team: t2 }
              - { id: carl, name: Carl, team: t2 }
              - { id: dana, name: Dana, team: t3 }
            """,
        "plans/q3.yaml": """
            kind: okrs
            period: 2026-Q3
            objectives:
              - id: a3
                title: Ana in Q3
                owner: ana
                team: t1
                key_results:
                  - { title: K, done: false }
                  - { title: L, done: true, owner: dana }
            """,
        "plans/q4.yaml": """
            kind: okrs
            period: 2026-Q4
            objectives:
              - id: t4
                title: Team two in Q4
                owner: carl
                team: t2
                key_results:
                  - { title: K, done: false, owner: bob }
                  - { title: L, done: true, owner: dana }
            """,
    ]

    static let expected = [
        "Ana (ana) owns no objective or key result in 2026-Q4",
        "Bob (bob) owns no objective or key result in 2026-Q3",
        "Carl (carl) owns no objective or key result in 2026-Q3",
        "team 't1' has no objectives in 2026-Q4",
        "team 't2' has no objectives in 2026-Q3",
        "team 't3' has no objectives in any period",
    ]

    @Test func peopleAndTeamsIdleInAPeriod() throws {
        let root = try makeTemporaryFolder("strata-idle")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, text) in Self.files { try write(text, to: root.appendingPathComponent(path)) }
        let compiled = try Pipeline.compile(root: root, asOf: fixedAsOf)
        let idle = compiled.diagnostics.filter { $0.rule == "owner-idle" }.map(\.message)
        #expect(idle.sorted() == Self.expected)
        #expect(compiled.graph.keyResultPositions?.count == 2)

        // The same without the graph's key-result positions: each id is looked up.
        compiled.graph.keyResultPositions = nil
        let collector = DiagnosticCollector()
        IdleOwnerCheck.run(CheckContext(graph: compiled.graph, config: compiled.config, asOf: compiled.asOf, diagnostics: collector))
        #expect(collector.all.map(\.message).sorted() == Self.expected)
    }
}
