import ArgumentParser
import Strata

/// `strata explain ID`: why a node has its progress and status.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain how a node's progress and status are computed.",
        discussion: "Prints the formula, every input with the file and line it came from, the children that contributed, and the line of sight up to the strategic goal.")

    @OptionGroup var plan: PlanOptions
    @Argument(help: "The id of a goal, objective, key result or KPI.") var id: String

    func run() throws {
        let c = try plan.compile()
        let errors = c.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            writeStderr("strata explain: the plan has \(errors.count) error\(errors.count == 1 ? "" : "s"); figures may be incomplete (run 'strata check')\n")
        }
        let rollUp = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        guard let text = ExplainRenderer(rollUp: rollUp).render(id) else {
            let ids = Array(c.graph.nodes.keys)
            let hint = Suggestion.didYouMean(id, in: ids).map { "; \($0)" } ?? ""
            writeStderr("strata explain: no goal, objective, key result or KPI has the id '\(id)'\(hint)\n")
            throw ExitCode(1)
        }
        print(terminalSafe(text), terminator: "")
    }
}
