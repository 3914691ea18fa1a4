import Foundation

/// Work spread over every core, with results in a fixed order, so output never depends on
/// which thread finished first.
enum Parallel {
    /// `body(i)` for every `i` in `0..<count`, on all cores; the results in index order.
    /// `body` must be safe to run concurrently. With `fromTheEnd`, the last indices start
    /// first (put the heaviest work there, so it does not run alone at the end); the
    /// results are still in index order.
    static func map<T>(_ count: Int, fromTheEnd: Bool = false, _ body: (Int) -> T) -> [T] {
        map(count, startOrder: fromTheEnd ? Array((0..<count).reversed()) : nil, body)
    }

    /// `body` for `0..<count` cut into ranges of `size` (the last one shorter), a range at a
    /// time on all cores; the results in range order.
    static func map<T>(_ count: Int, inRangesOf size: Int, _ body: (Range<Int>) -> T) -> [T] {
        precondition(size > 0, "ranges must hold at least one index")
        return map((count + size - 1) / size) { r in body(r * size..<min(count, (r + 1) * size)) }
    }

    /// `body(i)` for every `i` in `0..<count`, handed to the cores `size` indices at a time
    /// (for work too small to hand out index by index); the results in index order. Each
    /// range writes its results in place in the one array (joining per-range arrays
    /// afterwards made the roll-up's key results 5–10 % slower at 20k).
    static func mapEach<T>(_ count: Int, inRangesOf size: Int, _ body: (Int) -> T) -> [T] {
        Array(unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = buffer.baseAddress
            // Ranges are disjoint, so no two threads touch the same element.
            _ = map(count, inRangesOf: size) { range in
                for i in range { (base! + i).initialize(to: body(i)) }
            }
            initialized = count
        }
    }

    /// `map`, where the indices start in `startOrder` (a permutation of `0..<count`; put
    /// the longest first); the results are still in index order.
    static func map<T>(_ count: Int, startOrder: [Int]?, _ body: (Int) -> T) -> [T] {
        precondition(startOrder.map { $0.sorted() == Array(0..<count) } ?? true, "startOrder must be a permutation of the indices")
        var results = [T?](repeating: nil, count: count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: count) { started in
            let i = startOrder?[started] ?? started
            let result = body(i)
            lock.withLock { results[i] = result }
        }
        return results.map { $0! }
    }

    /// `map`, where each `body(i, collector)` reports into a collector of its own; the
    /// collectors' diagnostics are then added to `diagnostics` in index order.
    static func map<T>(_ count: Int, fromTheEnd: Bool = false, reportingInto diagnostics: DiagnosticCollector,
                       _ body: (Int, DiagnosticCollector) -> T) -> [T] {
        map(count, startOrder: fromTheEnd ? Array((0..<count).reversed()) : nil, reportingInto: diagnostics, body)
    }

    /// `map(_:startOrder:_:)`, each `body(i, collector)` reporting as in `map(_:fromTheEnd:reportingInto:_:)`.
    static func map<T>(_ count: Int, startOrder: [Int]?, reportingInto diagnostics: DiagnosticCollector,
                       _ body: (Int, DiagnosticCollector) -> T) -> [T] {
        let results = map(count, startOrder: startOrder) { i -> (T, [Diagnostic]) in
            let local = DiagnosticCollector()
            let result = body(i, local)
            return (result, local.all)
        }
        for (_, found) in results { diagnostics.append(contentsOf: found) }
        return results.map(\.0)
    }
}

/// Values by index that parallel work claims and then fills, each at most once, behind a lock.
final class LockedTable<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed: Set<Int> = []
    private var values: [Int: Value] = [:]

    /// True for the first caller for `index` only, which is then to `store` its value.
    func claim(_ index: Int) -> Bool { lock.withLock { claimed.insert(index).inserted } }

    func isClaimed(_ index: Int) -> Bool { lock.withLock { claimed.contains(index) } }

    func store(_ value: Value, for index: Int) { lock.withLock { values[index] = value } }

    func value(for index: Int) -> Value? { lock.withLock { values[index] } }
}
