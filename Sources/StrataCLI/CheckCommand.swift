import ArgumentParser
import Foundation
import Strata

/// `strata check`: validate the plan and print diagnostics.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the plan files and report problems.",
        discussion: "Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or I/O problems.")

    @OptionGroup var plan: PlanOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Treat warnings as errors for the exit status.")
    var strict = false

    @Option(name: .long, help: "Also report changes since this git revision that touch locked periods (period-locked).")
    var against: String?

    func run() throws {
        var c = try plan.compile()
        KeptUntilExit.keep(c)
        if let against {
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let base: GitRevision
            do { base = try GitRevision(revision: against, planRoot: URL(fileURLWithPath: plan.root, relativeTo: cwd)) }
            catch let failure as GitRevision.Failure { throw LoadFailure(description: failure.description) }
            defer { base.remove() }
            let old = try Pipeline.compile(root: base.root, asOf: c.asOf)
            let violations = PlanDiffer(old: old, new: c).diff(base: against, head: "working tree").lockViolations
            c.add(violations)
        }
        let formatter = try output.formatter(c)
        let text = formatter.render(c.diagnostics)
        if [.json, .sarif, .github].contains(formatter.format) {
            print(text, terminator: "")
        } else {
            writeStderr(text)
            writeStderr((c.diagnostics.isEmpty ? "" : "\n") + "strata check: \(plural(c.plan.objectives.count, "objective")), \(plural(c.plan.keyResults.count, "key result")), \(plural(c.plan.files.count, "file")) as of \(c.asOf): " + DiagnosticFormatter.summary(c.diagnostics) + "\n")
        }
        if c.hasErrors || (strict && c.diagnostics.contains { $0.severity == .warning }) { throw ExitCode(1) }
    }
}
