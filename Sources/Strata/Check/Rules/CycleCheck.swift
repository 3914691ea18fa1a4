/// Parent links must not loop; the message shows the whole cycle, each hop located.
enum CycleCheck: PlanCheck {
    static let rules: [Rule] = [.cascadeCycle]

    static func run(_ c: CheckContext) {
        for cycle in c.graph.cycles {
            // Start the path at the smallest id so the message is stable.
            guard let minIndex = cycle.indices.min(by: { cycle[$0] < cycle[$1] }) else { continue }
            let path = Array(cycle[minIndex...] + cycle[..<minIndex])
            let objectives = path.compactMap { c.graph.objective($0) }
            guard let first = objectives.first, let firstParent = first.parent else { continue }
            let shown = (path + [path[0]]).joined(separator: " → ")
            let notes = objectives.dropFirst().compactMap { o in
                o.parent.map { DiagnosticNote("'\(o.id.value)' has parent '\($0.value)'", at: $0.range) }
            }
            c.emit(.cascadeCycle, path.count == 1 ? "objective '\(path[0])' is its own parent" : "parent links form a cycle: \(shown)",
                   at: firstParent.range, notes: notes,
                   help: "point one of these parents at an objective or goal higher up the cascade")
        }
    }
}
