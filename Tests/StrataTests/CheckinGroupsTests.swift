import Testing
@testable import Strata

/// `CheckinGroups`: each key result's and KPI's check-ins in (date, file order) order,
/// whether a ledger lists them in order, backwards, split over files or between others.
@Suite struct CheckinGroupsTests {
    @Test func groupsInDateOrderWhateverTheLedgers() throws {
        let org = "kind: org\npeople:\n  - { id: maria, name: Maria }\n"
        let okrs = """
            kind: okrs
            period: 2026-Q4
            owner: maria
            objectives:
              - id: o1
                title: Grow
                key_results:
                  - { id: o1.kr1, title: Users, start: 0, target: 100 }
                  - { id: o1.kr2, title: Revenue, start: 0, target: 10 }
                  - { id: o1.kr3, title: Quiet, start: 0, target: 10 }
            """
        let kpis = "kind: kpis\nkpis:\n  - { id: k1, title: Uptime, owner: maria, target: 99% }\n"
        // kr1: backwards in one run; kr2: two runs in one file with kr1 between, the second
        // earlier; k1: split over two files, the later file's reading earlier; one unknown target.
        let a = """
            kind: checkins
            checkins:
              - { kr: o1.kr1, date: 2026-10-16, value: 30 }
              - { kr: o1.kr1, date: 2026-10-09, value: 20 }
              - { kr: o1.kr1, date: 2026-10-02, value: 10 }
              - { kr: o1.kr2, date: 2026-10-09, value: 2 }
              - { kr: o1.kr1, date: 2026-10-23, value: 40 }
              - { kr: o1.kr2, date: 2026-10-02, value: 1 }
              - { kpi: k1, date: 2026-10-09, value: 99.5% }
              - { kr: o1.kr9, date: 2026-10-09, value: 5 }
              - { kr: o1.kr9, date: 2026-10-16, value: 6 }
            """
        let b = "kind: checkins\ncheckins:\n  - { kpi: k1, date: 2026-10-02, value: 99.1% }\n  - { kpi: k1, date: 2026-10-16, value: 99.9% }\n"
        let c = try compilePlan(["plans/org.yaml": org, "plans/okrs.yaml": okrs, "plans/kpis.yaml": kpis,
                                 "plans/checkins/a.yaml": a, "plans/checkins/b.yaml": b])
        func values(_ id: String) -> [String] {
            (c.graph.checkins[id] ?? []).map { c.plan.checkins[$0].value.value.description }
        }
        #expect(values("o1.kr1") == ["10", "20", "30", "40"])
        #expect(values("o1.kr2") == ["1", "2"])
        #expect(values("k1") == ["99.1%", "99.5%", "99.9%"])
        #expect(c.graph.checkins["o1.kr3"] == nil)
        #expect(c.graph.checkins["o1"] == nil && c.graph.checkins["nothing"] == nil)
        // By position, as the checks read them.
        let kr1 = try #require(c.plan.keyResults.firstIndex { $0.id.value == "o1.kr1" })
        #expect(c.graph.checkins.ofKeyResult(kr1).map(Array.init) == c.graph.checkins["o1.kr1"].map(Array.init))
        #expect(c.graph.checkins.ofKPI(0)?.count == 3)
        // Each check-in of the unknown target is reported.
        #expect(c.diagnostics.filter { $0.rule == "dangling-reference" && $0.message.contains("o1.kr9") }.count == 2)
    }
}
