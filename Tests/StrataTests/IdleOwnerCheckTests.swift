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

/// An objective's own key results read from the graph's key-result positions are the ones
/// looking each listed id up gives, with the positions and without, also when an id is
/// defined twice (the second definition is not the one its id names).
@Suite struct OwnKeyResultTests {
    static func lookedUp(_ graph: CascadeGraph, _ id: String) -> [String] {
        (graph.keyResultIDs(ofObjective: id) ?? []).filter { graph.objectiveID(ofKeyResult: $0) == id }
    }

    @Test func samePositionsOrIds() throws {
        let root = try makeTemporaryFolder("strata-own-krs")
        defer { try? FileManager.default.removeItem(at: root) }
        try write("organisation: T\nplans: plans\n", to: root.appendingPathComponent("strata.yaml"))
        try write("""
            kind: org
            teams:
              - { id: t1, name: Team }
            people:
              - { id: ana, name: Ana, team: t1 }
            """, to: root.appendingPathComponent("plans/org.yaml"))
        try write("""
            kind: okrs
            period: 2026-Q4
            objectives:
              - id: a
                title: A
                owner: ana
                key_results:
                  - { id: a.kr1, title: K, done: false }
                  - { id: shared, title: L, done: true }
              - id: b
                title: B
                owner: ana
                key_results:
                  - { id: shared, title: M, done: false }
                  - { id: b.kr2, title: N, done: true }
            """, to: root.appendingPathComponent("plans/q4.yaml"))
        let compiled = try Pipeline.compile(root: root, asOf: fixedAsOf)
        #expect(compiled.diagnostics.contains { $0.rule == "duplicate-id" })
        #expect(compiled.graph.keyResultPositions != nil)
        for id in ["a", "b", "nothing"] {
            #expect(compiled.graph.ownKeyResultIDs(ofObjective: id) == Self.lookedUp(compiled.graph, id), "\(id)")
        }
        #expect(compiled.graph.ownKeyResultIDs(ofObjective: "a") == ["a.kr1", "shared"])
        #expect(compiled.graph.ownKeyResultIDs(ofObjective: "b") == ["b.kr2"])

        let demo = try Pipeline.compile(root: TestPaths.packageRoot, asOf: fixedAsOf)
        for graph in [demo.graph, compiled.graph] {
            let withPositions = graph.plan.objectives.map { graph.ownKeyResultIDs(ofObjective: $0.id.value) }
            graph.keyResultPositions = nil
            #expect(graph.plan.objectives.map { graph.ownKeyResultIDs(ofObjective: $0.id.value) } == withPositions)
            #expect(graph.plan.objectives.map { Self.lookedUp(graph, $0.id.value) } == withPositions)
        }
    }
}

/// The linker's owner and team tables are built a run of equal keys at a time; they must
/// be what grouping position by position gives, whatever the order of the keys.
@Suite struct PositionsByKeyTests {
    @Test func runsGiveTheSameTablesAsOneByOne() {
        var rng = SplitMix(seed: 3)
        for round in 0..<500 {
            let keys: [String?] = (0..<rng.next(upTo: 60)).map { _ in
                let k = rng.next(upTo: round % 2 == 0 ? 4 : 12)
                return k == 0 ? nil : "p\(k)"
            }
            var runs = Linker.PositionsByKey()
            var expected: [String: [Int]] = [:]
            for (i, key) in keys.enumerated() {
                runs.add(i, under: key)
                if let key { expected[key, default: []].append(i) }
            }
            #expect(runs.finished() == expected, "\(keys)")
        }
    }
}
