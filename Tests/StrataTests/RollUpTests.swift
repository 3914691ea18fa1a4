import Foundation
import Testing
@testable import Strata

/// Progress maths, pace-based status, as-of dates, `strata explain` and the graph dump.
@Suite struct RollUpTests {
    static let fixture = TestPaths.fixtures.appendingPathComponent("rollup")

    func rollUp(asOf: String, configure: (inout Config) -> Void = { _ in }) throws -> RollUp {
        let c = try Pipeline.compile(root: Self.fixture, asOf: Day(asOf)!)
        #expect(!c.hasErrors, "fixture has errors: \(c.diagnostics.filter { $0.severity == .error }.map(\.message))")
        var config = c.config
        configure(&config)
        return RollUp(graph: c.graph, config: config, asOf: c.asOf)
    }

    // MARK: - Key-result maths, checked against the formula on many generated cases

    /// A deterministic generator of (start, target, current) triples.
    struct Triples: Sequence, IteratorProtocol {
        var state: UInt64 = 42
        var remaining = 500
        mutating func next() -> (Double, Double, Double)? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            func r() -> Double {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Double(Int64(bitPattern: state >> 11) % 2000) / 10
            }
            return (r(), r(), r())
        }
    }

    func keyResult(start: Double, target: Double, current: Double, cap: Bool) throws -> NodeProgress {
        let c = try compilePlan([
            "strata.yaml": "organisation: T\nrollup: { cap: \(cap) }\nrules: { orphan-objective: off, checkin-stale: off }\n",
            "plans/o.yaml": """
                kind: okrs
                period: 2026-Q4
                objectives:
                  - id: o
                    title: O
                    key_results:
                      - { id: k, title: K, start: "\(start)", target: "\(target)", current: "\(current)" }
                      - { id: m, title: M, done: true }
                """,
        ], asOf: Day("2026-11-15")!)
        return try #require(RollUp(graph: c.graph, config: c.config, asOf: c.asOf).explained("k"))
    }

    @Test func increaseAndDecreaseFollowTheFormula() throws {
        // The pipeline is exercised end to end on a sample; the formula itself on all triples.
        var sample = 0
        for (s, t, c) in Triples() where s != t {
            let expected = (c - s) / (t - s)
            if sample < 12 {
                let p = try keyResult(start: s, target: t, current: c, cap: true)
                #expect(abs(p.raw - expected) < 1e-9, "start \(s) target \(t) current \(c)")
                #expect(p.rolled == min(1, max(0, expected)))
                sample += 1
            }
            // Properties of the formula: reaching the target is 100%, the start is 0%,
            // and direction does not matter (a decrease is the mirror of an increase).
            #expect(abs((t - s) / (t - s) - 1) < 1e-12)
            let mirrored = ((-c) - (-s)) / ((-t) - (-s))
            #expect(abs(mirrored - expected) < 1e-9)
        }
    }

    @Test func overAchievementIsShownRawAndCappedInRollUp() throws {
        let capped = try keyResult(start: 10, target: 20, current: 25, cap: true)
        #expect(capped.raw == 1.5)
        #expect(capped.rolled == 1)
        let uncapped = try keyResult(start: 10, target: 20, current: 25, cap: false)
        #expect(uncapped.rolled == 1.5)
        let backwards = try keyResult(start: 10, target: 20, current: 5, cap: true)
        #expect(backwards.raw == -0.5)
        #expect(backwards.rolled == 0)
    }

    @Test func decreasingKeyResults() throws {
        let p = try keyResult(start: 10, target: 4, current: 7, cap: true)
        #expect(p.raw == 0.5)
    }

    @Test func zeroLengthRangeIsAllOrNothing() throws {
        #expect(try keyResult(start: 5, target: 5, current: 5, cap: true).raw == 1)
        #expect(try keyResult(start: 5, target: 5, current: 4, cap: true).raw == 0)
    }

    // MARK: - Objectives

    @Test func weightedMeanOfKeyResultsAndChildren() throws {
        let r = try rollUp(asOf: "2026-11-15")
        // co-1: ARR (10→12, now 11) = 50% × 3; latency 280 ≤ 300 = 100% × 1; launch not done = 0% × 1.
        let krMean: Double = (0.5 * 3.0 + 1.0 + 0.0) / 5.0
        // eng-1 hangs under co-1's ARR key result, so it counts as co-1's child; it uses key results only:
        // lead time 10→4 now 7 = 50%, deploys 20→60 now 30 = 25%.
        let eng: Double = (0.5 + 0.25) / 2.0
        #expect(abs(try #require(r["eng-1"]).raw - eng) < 1e-9)
        #expect(abs(try #require(r["co-1"]).raw - (krMean + eng) / 2) < 1e-9)
        // cy-1 is under eng-1, but eng-1 counts key results only.
        #expect(try #require(r["cy-1"]).raw == 0.6)
        #expect(try #require(r.explained("eng-1")).contributions.allSatisfy { $0.kind == .keyResult })
        // Shares add up to 1.
        let shares: Double = try #require(r.explained("co-1")).contributions.reduce(0.0) { $0 + $1.share }
        #expect(abs(shares - 1) < 1e-9)
        // The goal is the mean of the objectives under it.
        #expect(try #require(r["G1"]).raw == r["co-1"]!.rolled)
    }

    /// Child objectives are worked out once per objective when the roll-up is made; they
    /// must be what finding them on request gives, for every objective and for ids that
    /// are not objectives, also in a cycle and with an id defined twice.
    @Test func childObjectivesWorkedOutOnceAsOnRequest() throws {
        let cyclic = try compilePlan([
            "strata.yaml": "organisation: T\nplans: plans\n",
            "plans/okrs.yaml": """
                kind: okrs
                period: 2026-Q4
                objectives:
                  - { id: a, title: A, parent: c }
                  - { id: b, title: B, parent: a }
                  - { id: c, title: C, parent: b }
                  - { id: d, title: D, parent: a }
                  - { id: d, title: D again, parent: b }
                """,
        ])
        #expect(cyclic.diagnostics.contains { $0.rule == "cascade-cycle" } && cyclic.diagnostics.contains { $0.rule == "duplicate-id" })
        for c in [try Pipeline.compile(root: TestPaths.packageRoot, asOf: fixedAsOf), try Pipeline.compile(root: Self.fixture, asOf: fixedAsOf), cyclic] {
            let r = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
            let ids = c.plan.objectives.map(\.id.value) + c.plan.keyResults.map(\.id.value) + c.plan.goals.map(\.id.value) + ["nothing"]
            for id in ids { #expect(r.childObjectives(of: id) == r.findChildObjectives(of: id), "\(id)") }
            #expect(c.plan.objectives.contains { !r.childObjectives(of: $0.id.value).isEmpty })
        }
    }

    /// Objectives get their figures in rounds, children first, each round on every core;
    /// the post-order walk the rounds replaced must give the same figures for every node:
    /// the demo, the fixture, a large generated plan with a deep chain, and plans with
    /// parent cycles, a chain running into a cycle, key results under another objective's
    /// tree and ids defined twice.
    @Test func objectivesInRoundsAgreeWithThePostOrderWalk() throws {
        let large = FileManager.default.temporaryDirectory.appendingPathComponent("strata-rounds-\(getpid())")
        defer { try? FileManager.default.removeItem(at: large) }
        try LargePlanTests.write(to: large)
        let tangled = try compilePlan([
            "strata.yaml": "organisation: T\nplans: plans\n",
            "plans/okrs.yaml": """
                kind: okrs
                period: 2026-Q4
                objectives:
                  - { id: a, title: A, parent: c, key_results: [{ id: a1, title: A1, start: 0, target: 10, current: 4 }] }
                  - { id: b, title: B, parent: a, key_results: [{ id: b1, title: B1, start: 0, target: 10, current: 8 }] }
                  - { id: c, title: C, parent: b }
                  - { id: d, title: D, parent: a }
                  - { id: d, title: D again, parent: b }
                  - { id: e, title: E, parent: c, key_results: [{ id: e1, title: E1, start: 0, target: 4, current: 1 }] }
                  - { id: f, title: F, parent: e }
                  - { id: g, title: G, parent: b1, key_results: [{ id: g1, title: G1, start: 10, target: 0, current: 5 }] }
                  - { id: h, title: H, parent: h }
                  - { id: i, title: I, parent: h }
                  - { id: top, title: Top }
                  - { id: mid, title: Mid, parent: top, key_results: [{ id: m1, title: M1, start: 0, target: 1, current: 1 }] }
                  - { id: low, title: Low, parent: mid, key_results: [{ id: l1, title: L1, start: 0, target: 3, current: 2 }] }
                """,
        ])
        #expect(tangled.diagnostics.contains { $0.rule == "cascade-cycle" } && tangled.diagnostics.contains { $0.rule == "duplicate-id" })
        let plans = [try Pipeline.compile(root: TestPaths.packageRoot, asOf: fixedAsOf), try Pipeline.compile(root: Self.fixture, asOf: fixedAsOf),
                     try Pipeline.compile(root: large, asOf: fixedAsOf), tangled]
        for c in plans {
            let rounds = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
            let walk = RollUp(graph: c.graph, config: c.config, asOf: c.asOf, objectivesInRounds: false)
            #expect(rounds.results.count == walk.results.count)
            #expect(c.plan.objectives.allSatisfy { rounds.results[$0.id.value] != nil })
            for (id, figures) in walk.results { #expect(rounds.results[id] == figures, "\(id)") }
        }
        // The tangled plan's objectives depend on one another: roll-up is not all zeros.
        let r = RollUp(graph: tangled.graph, config: tangled.config, asOf: tangled.asOf)
        #expect(try #require(r["top"]).raw > 0 && r["g"]!.raw > 0)
    }

    /// The roll-up keeps only figures; `explained` works a node out again with its reasons.
    /// Its figures must be the stored ones, for every node of the demo plan and the fixture,
    /// at dates before, inside and after the periods, and every explanation must say something.
    @Test func explanationsAgreeWithTheStoredFigures() throws {
        for root in [TestPaths.packageRoot, Self.fixture] {
            for asOf in ["2026-06-01", "2026-11-15", "2027-02-01"] {
                let c = try Pipeline.compile(root: root, asOf: Day(asOf)!)
                for worstChild in [true, false] {
                    var config = c.config
                    config.worstChild = worstChild
                    let r = RollUp(graph: c.graph, config: config, asOf: c.asOf)
                    #expect(r.results.count > 10)
                    for (id, figures) in r.results {
                        let full = try #require(r.explained(id), "\(id) has figures but no explanation")
                        #expect(full.figures == figures, "\(id) as of \(asOf)")
                        #expect(!full.statusReason.isEmpty && !full.formula.isEmpty, "\(id) as of \(asOf)")
                        #expect(!full.inputs.isEmpty || full.kind == .goal, "\(id) as of \(asOf)")
                        let sentences = try #require(r.explained(id, .sentences))
                        #expect(sentences.figures == figures && sentences.statusReason == full.statusReason && sentences.formula == full.formula)
                        #expect(sentences.inputs.isEmpty && sentences.contributions.isEmpty)
                        let reason = try #require(r.explained(id, .reason))
                        #expect(reason.figures == figures && reason.statusReason == full.statusReason && reason.formula.isEmpty)
                        #expect(reason.inputs.isEmpty && reason.contributions.isEmpty)
                    }
                }
            }
        }
    }

    /// A plan with errors still gets explained (`strata explain` runs on it): with an id
    /// given twice, the figures and the explanation must be of the same definition, the
    /// first, which the graph keeps.
    @Test func explanationsOfDuplicateIDsAgreeWithTheFigures() throws {
        let c = try compilePlan([
            "strata.yaml": "organisation: T\n",
            "plans/goals.yaml": """
                kind: goals
                goals:
                  - { id: G, title: First, due: 2026-10-01 }
                  - { id: G, title: Second }
                """,
            "plans/o.yaml": """
                kind: okrs
                period: 2026-Q4
                objectives:
                  - id: o
                    title: O
                    parent: G
                    key_results:
                      - { id: k, title: K, start: 0, target: 10, current: 5 }
                      - { id: k, title: K again, start: 0, target: 10, current: 10 }
                """,
        ], asOf: Day("2026-11-15")!)
        #expect(c.hasErrors)
        let r = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        for id in ["G", "o", "k"] {
            let figures = try #require(r[id], "\(id)")
            #expect(try #require(r.explained(id)).figures == figures, "\(id)")
        }
        // The first G is due before the as-of date; the second is not.
        #expect(r["G"]?.status == .missed)
    }

    @Test func weightsScaleAndOrderDoNotMatter() throws {
        let r = try rollUp(asOf: "2026-11-15")
        let p = try #require(r.explained("co-1"))
        let krs = p.contributions.filter { $0.kind == .keyResult }
        let weights: Double = krs.reduce(0.0) { $0 + $1.weight }
        let mean: Double = krs.reduce(0.0) { $0 + $1.weight * $1.progress } / weights
        let scaled: Double = krs.reduce(0.0) { $0 + 10.0 * $1.weight * $1.progress } / (10.0 * weights)
        let reversed: Double = krs.reversed().reduce(0.0) { $0 + $1.weight * $1.progress } / weights
        #expect(abs(mean - scaled) < 1e-12)
        #expect(abs(mean - reversed) < 1e-12)
    }

    @Test func progressSourceSettings() throws {
        let krOnly = try rollUp(asOf: "2026-11-15") { $0.objectiveProgress = .keyResults }
        let childrenOnly = try rollUp(asOf: "2026-11-15") { $0.objectiveProgress = .children }
        let expected: Double = (0.5 * 3.0 + 1.0) / 5.0
        #expect(abs(try #require(krOnly["co-1"]).raw - expected) < 1e-9)
        #expect(try #require(childrenOnly["co-1"]).raw == childrenOnly["eng-1"]!.rolled)
    }

    // MARK: - Status and time

    @Test func theSamePlanAtThreeDates() throws {
        // Before the period: nothing has started.
        let before = try rollUp(asOf: "2026-09-20")
        #expect(before["co-1"]?.status == .notStarted)
        #expect(before["co-1.arr"]?.expected == 0)
        #expect(before["co-1.arr"]?.current == "$10M", "no check-in yet: the start")
        // Mid-period: pace decides.
        let mid = try rollUp(asOf: "2026-11-15")
        let arr = try #require(mid["co-1.arr"])
        #expect(arr.current == "$11M", "the latest check-in on or before the as-of date")
        #expect(arr.confidence == 0.7)
        #expect(abs(try #require(arr.expected) - 46.0 / 92.0) < 1e-9)
        #expect(arr.status == .onTrack)  // 50% vs 50% expected
        #expect(mid["co-1.latency"]?.status == .onTrack)
        #expect(mid["co-1"]?.grade == nil, "no grade before the period ends")
        // After the period: done or missed, graded on 0.0–1.0.
        let after = try rollUp(asOf: "2027-01-10")
        #expect(after["co-1.arr"]?.status == .done)
        #expect(after["co-1.arr"]?.raw == 1.2)
        #expect(after["co-1.latency"]?.status == .missed, "320 ms breaks the 300 ms threshold")
        #expect(after["co-1.launch"]?.status == .done)
        #expect(after["co-1.arr"]?.grade == 1.0)
        #expect(after["cy-1"]?.grade == 0.6)
    }

    @Test func checkinsAfterTheAsOfDateAreIgnored() throws {
        let r = try rollUp(asOf: "2026-12-19")
        #expect(r["co-1.arr"]?.current == "$11M")
        #expect(r["co-1.latency"]?.current == "280 ms")
        #expect(r["co-1.launch"]?.raw == 1, "done on 2026-12-18")
    }

    @Test func statusThresholds() throws {
        // eng-1.deploys: 25% at 46/92 = 50% expected → ratio 0.5 → at risk with the defaults…
        let r = try rollUp(asOf: "2026-11-15")
        #expect(r["eng-1.deploys"]?.status == .atRisk)
        // …behind when the threshold for "behind" is lowered to 0.5…
        let lenient = try rollUp(asOf: "2026-11-15") { $0.behindRatio = 0.5 }
        #expect(lenient["eng-1.deploys"]?.status == .behind)
        // …and on track when on_track is 0.5 too.
        let generous = try rollUp(asOf: "2026-11-15") { $0.behindRatio = 0.4; $0.onTrackRatio = 0.5 }
        #expect(generous["eng-1.deploys"]?.status == .onTrack)
    }

    @Test func worstChildOption() throws {
        let plain = try rollUp(asOf: "2026-11-15")
        let strict = try rollUp(asOf: "2026-11-15") { $0.worstChild = true }
        #expect(plain["eng-1"]?.status != .atRisk)
        #expect(strict["eng-1"]?.status == .atRisk, "no better than eng-1.deploys")
    }

    // MARK: - Goldens

    @Test func explainGoldens() throws {
        let r = try rollUp(asOf: "2026-11-15")
        var text = ""
        for id in ["co-1", "co-1.arr", "co-1.latency", "eng-1", "G1"] {
            text += try #require(ExplainRenderer(rollUp: r).render(id)) + "\n"
        }
        try assertGolden(text, at: TestPaths.snapshots.appendingPathComponent("RollUpTests.explain.txt"))
    }

    @Test func graphDumpGolden() throws {
        let r = try rollUp(asOf: "2026-11-15")
        try assertGolden(GraphDump.render(r.graph, rollUp: r), at: TestPaths.snapshots.appendingPathComponent("RollUpTests.graph.txt"))
    }

    @Test func demoGraphDumpGolden() throws {
        let c = try Pipeline.compile(root: TestPaths.packageRoot, asOf: fixedAsOf)
        let r = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        try assertGolden(GraphDump.render(c.graph, rollUp: r), at: TestPaths.snapshots.appendingPathComponent("RollUpTests.demoGraph.txt"))
    }

    /// Status slugs are the status names with hyphens for spaces (CSS classes, file names).
    @Test func statusSlugs() {
        for status in Status.allCases {
            #expect(status.slug == status.rawValue.split(separator: " ").joined(separator: "-"))
        }
    }
}
