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
}
