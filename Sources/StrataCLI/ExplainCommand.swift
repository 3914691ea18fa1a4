import ArgumentParser
import Strata

/// `strata explain ID`: why a node has its progress and status.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Explain how a node's progress and status are computed.")

    @OptionGroup var plan: PlanOptions
    @Argument(help: "The id of a goal, objective, key result or KPI.") var id: String

    func run() throws {
        throw ValidationError("explain is not implemented yet")
    }
}
