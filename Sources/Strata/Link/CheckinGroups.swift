/// The plan's check-ins grouped by the key result or KPI they are for, each group in
/// (date, file order) order: one list of check-in indices, group after group, and each
/// group's bounds by the position of its key result or KPI in the plan.
///
/// Built by `Linker.linkCheckins` from the ledgers' runs (a ledger lists a target's
/// check-ins one after another), without a list or a table entry of its own per target:
/// a 20k plan has 80,000 key results with check-ins.
public struct CheckinGroups: Sendable {
    /// The node table the ids are read from (the graph's; shared, not copied).
    let nodes: [String: NodeRef]
    /// Check-in indices, group after group.
    let order: [Int]
    /// By key result / KPI position: its group's bounds in `order` (empty: no check-ins).
    let keyResultGroups: [Range<Int>]
    let kpiGroups: [Range<Int>]

    init(nodes: [String: NodeRef] = [:], order: [Int] = [], keyResultGroups: [Range<Int>] = [], kpiGroups: [Range<Int>] = []) {
        self.nodes = nodes
        self.order = order
        self.keyResultGroups = keyResultGroups
        self.kpiGroups = kpiGroups
    }

    /// The check-ins of the key result or KPI with this id; nil when it has none.
    public subscript(id: String) -> ArraySlice<Int>? {
        guard let ref = nodes[id] else { return nil }
        switch ref.kind {
        case .keyResult: return ofKeyResult(ref.index)
        case .kpi: return ofKPI(ref.index)
        default: return nil
        }
    }

    /// The check-ins of the key result at this position in `plan.keyResults` (as the graph
    /// keeps its id: a duplicate's are under the first definition); nil when it has none.
    public func ofKeyResult(_ position: Int) -> ArraySlice<Int>? { group(keyResultGroups, position) }

    public func ofKPI(_ position: Int) -> ArraySlice<Int>? { group(kpiGroups, position) }

    private func group(_ groups: [Range<Int>], _ position: Int) -> ArraySlice<Int>? {
        guard groups.indices.contains(position), !groups[position].isEmpty else { return nil }
        return order[groups[position]]
    }
}
