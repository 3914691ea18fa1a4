/// Weights are all-or-nothing per objective; percentage weights must add up to 100%.
enum KeyResultWeightCheck: PlanCheck {
    static let rules: [Rule] = [.krWeights]

    static func run(_ c: CheckContext) {
        let plan = c.plan
        // Most plans weigh few key results or none: only the objectives those name are
        // looked at (the rest without copying an objective or looking up its key results).
        var weighing: Set<String> = []
        for k in plan.keyResults.indices where plan.keyResults[k].weight != nil && c.graph.keyResultOfID[k] == k {
            weighing.insert(plan.keyResults[k].objective)
        }
        guard !weighing.isEmpty else { return }
        for i in plan.objectives.indices where weighing.contains(plan.objectives[i].id.value) {
            let objectiveID = plan.objectives[i].id.value
            let anyWeight = plan.objectives[i].keyResults.contains { id in
                c.graph.keyResultIndex(id).map { plan.keyResults[$0].weight != nil && plan.keyResults[$0].objective == objectiveID } ?? false
            }
            guard anyWeight else { continue }
            let o = plan.objectives[i]
            let krs = o.keyResults.compactMap { c.graph.keyResult($0) }.filter { $0.objective == o.id.value }
            let weighted = krs.filter { $0.weight != nil }
            guard !weighted.isEmpty else { continue }
            let percents = weighted.filter { $0.weight!.value.unit == .percent }
            if !percents.isEmpty, percents.count < krs.count {
                let others = krs.filter { $0.weight?.value.unit != .percent }.map(\.id.value)
                c.emit(.krWeights, "objective '\(o.id.value)' gives percentage weights to \(percents.count) of \(krs.count) key results", at: percents[0].weight!.range,
                       help: "give \(others.joined(separator: ", ")) a percentage weight too, so they add up to 100%")
            }
            for kr in weighted where !(kr.weight!.value.unit == .none || kr.weight!.value.unit == .percent) || kr.weight!.value.value < 0 {
                c.emit(.krWeights, "weight '\(kr.weight!.value.text)' of key result '\(kr.id.value)' must be a non-negative number or percentage", at: kr.weight!.range)
            }
            if !percents.isEmpty, percents.count == krs.count {
                let sum = percents.reduce(0.0) { $0 + $1.weight!.value.value }
                if abs(sum - 100) > 0.01 {
                    c.emit(.krWeights, "key-result weights of objective '\(o.id.value)' add up to \(Quantity.format(sum))%, not 100%", at: percents[0].weight!.range,
                           help: "adjust the weights so they add up to 100%")
                }
            }
        }
    }
}
