import ArgumentParser
import Strata

/// `strata graph`: print the linked cascade as an indented tree with progress and status.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the cascade graph: goals, objectives, key results and their links, with progress and status.")

    @OptionGroup var plan: PlanOptions

    func run() throws {
        let c = try plan.compile()
        if c.hasErrors { writeStderr("strata graph: the plan has errors; run 'strata check' (the graph may be incomplete)\n") }
        print(terminalSafe(GraphDump.render(c.graph, rollUp: RollUp(graph: c.graph, config: c.config, asOf: c.asOf))), terminator: "")
    }
}
