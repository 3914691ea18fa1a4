import Foundation
import Testing
@testable import Strata

/// Work spread over cores comes back, with its diagnostics, in index order.
@Suite struct ParallelTests {
    @Test func resultsAndDiagnosticsKeepIndexOrder() {
        #expect(Parallel.map(0) { $0 }.isEmpty)
        #expect(Parallel.map(1000) { $0 * 2 } == (0..<1000).map { $0 * 2 })
        let diagnostics = DiagnosticCollector()
        let results = Parallel.map(200, reportingInto: diagnostics) { i, local -> Int in
            local.emit(.invalidValue, "item \(i)", at: .wholeFile("f\(i).yaml"))
            return i
        }
        #expect(results == Array(0..<200))
        #expect(diagnostics.all.map(\.message) == (0..<200).map { "item \($0)" })
    }

    /// Ranges cover every index once, in order, the last one shorter; `mapEach` gives one
    /// result per index in index order, whatever the range size.
    @Test func rangesCoverEveryIndexInOrder() {
        #expect(Parallel.map(0, inRangesOf: 4) { $0 }.isEmpty)
        #expect(Parallel.map(10, inRangesOf: 4) { $0 } == [0..<4, 4..<8, 8..<10])
        #expect(Parallel.map(8, inRangesOf: 4) { $0 } == [0..<4, 4..<8])
        for (count, size) in [(0, 3), (1, 1), (7, 3), (4_097, 4_096), (1_000, 1_000), (999, 1)] {
            #expect(Parallel.mapEach(count, inRangesOf: size) { $0 * 2 } == (0..<count).map { $0 * 2 }, "\(count) in ranges of \(size)")
        }
    }

    /// `fromTheEnd` starts the last items first, and still returns everything, with its
    /// diagnostics, in index order.
    @Test func fromTheEndStartsWithTheLastItems() {
        let count = 500
        let lock = NSLock()
        var started: [Int] = []
        let diagnostics = DiagnosticCollector()
        let results = Parallel.map(count, fromTheEnd: true, reportingInto: diagnostics) { i, local -> Int in
            lock.withLock { started.append(i) }
            local.emit(.invalidValue, "item \(i)", at: .wholeFile("f\(i).yaml"))
            return i * 3
        }
        #expect(results == (0..<count).map { $0 * 3 })
        #expect(diagnostics.all.map(\.message) == (0..<count).map { "item \($0)" })
        // Each core takes the next unstarted item, so the first start is among the last few.
        #expect((started.first ?? 0) >= count - ProcessInfo.processInfo.activeProcessorCount)
        #expect(Set(started) == Set(0..<count))
    }
}
