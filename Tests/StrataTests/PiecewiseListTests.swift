import Testing
@testable import Strata

/// `PiecewiseList`, the plan's check-ins kept in the pieces the files were decoded in:
/// read by index, in order and by count exactly as the one array they stand for.
@Suite struct PiecewiseListTests {
    /// Every way of reading `list` gives `expected`.
    func expectSame(_ list: PiecewiseList<Int>, _ expected: [Int], _ comment: Comment? = nil) {
        #expect(list.count == expected.count, comment)
        #expect(Array(list) == expected, comment)
        #expect(list.indices.map { list[$0] } == expected, comment)
        #expect(list.map { $0 } == expected, comment)
        #expect(list.enumerated().map(\.offset) == Array(expected.indices), comment)
        #expect(list.isEmpty == expected.isEmpty, comment)
        #expect(list.first == expected.first && list.last == expected.last, comment)
        // Backwards and by stride: random access, not only iteration.
        #expect(list.indices.reversed().map { list[$0] } == expected.reversed(), comment)
        #expect(Swift.stride(from: 0, to: list.count, by: 3).map { list[$0] } == Swift.stride(from: 0, to: expected.count, by: 3).map { expected[$0] }, comment)
    }

    @Test func emptyAndSingle() {
        expectSame([], [])
        expectSame(PiecewiseList([]), [])
        expectSame(PiecewiseList(joining: []), [])
        expectSame(PiecewiseList(joining: [[], []]), [])
        expectSame([7], [7])
        expectSame(PiecewiseList([1, 2, 3]), [1, 2, 3])
    }

    @Test func joinedPiecesReadAsOneList() {
        // Pieces of many sizes, empty ones among them (a file without check-ins).
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<200 {
            var lists: [PiecewiseList<Int>] = []
            var expected: [Int] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                let size = [0, 0, 1, 2, 5, 40, 63, 64, 65, 200].randomElement(using: &generator)!  // around and over a block (64)
                let piece = (0..<size).map { _ in Int.random(in: -1000...1000, using: &generator) }
                lists.append(PiecewiseList(piece))
                expected += piece
            }
            let joined = PiecewiseList(joining: lists)
            expectSame(joined, expected, "trial \(trial)")
            expectSame(joined.joined(), expected, "trial \(trial), in one piece")
            #expect(joined.joined().pieces.count <= 1)
            // Joined again with more: the pieces carry over.
            expectSame(PiecewiseList(joining: [joined, [99], joined]), expected + [99] + expected, "trial \(trial), twice")
            #expect(joined.pieces.allSatisfy { !$0.isEmpty })
        }
    }

    @Test func appendAndReserve() {
        var list = PiecewiseList<Int>()
        list.reserveCapacity(10)
        expectSame(list, [])
        for i in 0..<25 { list.append(i) }
        expectSame(list, Array(0..<25))
        #expect(list.pieces.count == 1)
        // Appending after a join grows the last piece.
        var joined = PiecewiseList(joining: [PiecewiseList([1, 2]), PiecewiseList([3])])
        joined.reserveCapacity(10)
        joined.reserveCapacity(1)  // less than it holds: nothing to do
        joined.append(4)
        expectSame(joined, [1, 2, 3, 4])
        #expect(joined.pieces.count == 2)
        // Appended past several blocks after a join and a reserve (an empty last piece).
        var long = PiecewiseList(joining: [PiecewiseList(Array(0..<70)), PiecewiseList(Array(70..<130))])
        long.reserveCapacity(400)
        for i in 130..<300 { long.append(i) }
        expectSame(long, Array(0..<300))
    }

    /// Check-ins from several ledgers and an OKR file, through the whole pipeline: the
    /// plan's list is in file order, and each key result's check-ins are found across files.
    @Test func checkinsFromSeveralFilesInFileOrder() throws {
        let org = "kind: org\npeople:\n  - { id: maria, name: Maria }\n"
        let okrs = """
            kind: okrs
            period: 2026-Q4
            objectives:
              - id: o1
                title: Grow
                owner: maria
                key_results:
                  - { id: o1.kr1, title: Users, start: 0, target: 100 }
                  - id: o1.kr2
                    title: Revenue
                    start: 0
                    target: 10
                    checkins:
                      - { date: 2026-10-05, value: 2 }
            """
        let a = "kind: checkins\ncheckins:\n  - { kr: o1.kr1, date: 2026-10-02, value: 10 }\n  - { kr: o1.kr1, date: 2026-10-09, value: 20 }\n"
        let b = "kind: checkins\ncheckins:\n  - { kr: o1.kr1, date: 2026-10-16, value: 30 }\n  - { kr: o1.kr2, date: 2026-10-16, value: 4 }\n"
        let c = try compilePlan(["plans/org.yaml": org, "plans/okrs.yaml": okrs, "plans/checkins/a.yaml": a, "plans/checkins/b.yaml": b])
        let plan = c.plan
        #expect(plan.checkins.count == 5)
        #expect(plan.checkins.pieces.count == 3)
        let files = plan.checkins.map { $0.range.file }
        #expect(files == ["plans/checkins/a.yaml", "plans/checkins/a.yaml", "plans/checkins/b.yaml", "plans/checkins/b.yaml", "plans/okrs.yaml"])
        let kr1 = c.graph.checkins["o1.kr1"] ?? []
        #expect(kr1.map { plan.checkins[$0].value.value.description } == ["10", "20", "30"])
        let kr2 = c.graph.checkins["o1.kr2"] ?? []
        #expect(kr2.map { plan.checkins[$0].date.value.description } == ["2026-10-05", "2026-10-16"])
    }
}
