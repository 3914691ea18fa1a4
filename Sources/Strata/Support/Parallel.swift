import Foundation

/// Work spread over every core, with results in a fixed order, so output never depends on
/// which thread finished first.
enum Parallel {
    /// `body(i)` for every `i` in `0..<count`, on all cores; the results in index order.
    /// `body` must be safe to run concurrently. With `fromTheEnd`, the last indices start
    /// first (put the heaviest work there, so it does not run alone at the end); the
    /// results are still in index order.
    static func map<T>(_ count: Int, fromTheEnd: Bool = false, _ body: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: count) { started in
            let i = fromTheEnd ? count - 1 - started : started
            let result = body(i)
            lock.withLock { results[i] = result }
        }
        return results.map { $0! }
    }

    /// `map`, where each `body(i, collector)` reports into a collector of its own; the
    /// collectors' diagnostics are then added to `diagnostics` in index order.
    static func map<T>(_ count: Int, fromTheEnd: Bool = false, reportingInto diagnostics: DiagnosticCollector,
                       _ body: (Int, DiagnosticCollector) -> T) -> [T] {
        let results = map(count, fromTheEnd: fromTheEnd) { i -> (T, [Diagnostic]) in
            let local = DiagnosticCollector()
            let result = body(i, local)
            return (result, local.all)
        }
        for (_, found) in results { diagnostics.append(contentsOf: found) }
        return results.map(\.0)
    }
}
