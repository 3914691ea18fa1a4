import ArgumentParser
import Foundation
import Strata

/// `strata init`: scaffold a plan repository.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a plan repository: strata.yaml, an example of every plan kind, schemas, a pre-commit hook and a CI workflow.",
        discussion: """
            The examples are set in the current quarter and check with no errors or warnings; \
            strata.yaml pins as_of to today so they stay that way until you change it. Existing \
            files are never replaced: they are reported as kept. The GitHub Actions workflow builds \
            strata from the repository named by STRATA_REPOSITORY in .github/workflows/strata.yml.
            """)

    @Argument(help: "The folder to set up (created when missing).")
    var folder: String = "."

    @Option(name: .long, help: ArgumentHelp("The organisation's name, for strata.yaml and the mission.", valueName: "name"))
    var organisation: String = "Example Organisation"

    @Option(name: .long, help: ArgumentHelp("The day to plan from: as_of, the quarter and the example dates. Default: today (UTC).", valueName: "YYYY-MM-DD"))
    var today: String?

    func run() throws {
        var day = Day.today()
        if let today {
            guard let d = Day(today) else { throw ValidationError("--today '\(today)' is not a date; write YYYY-MM-DD") }
            day = d
        }
        let root = URL(fileURLWithPath: folder, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let scaffold = PlanScaffold(today: day, organisation: organisation)
        let results: [(path: String, outcome: PlanScaffold.Outcome)]
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            results = try scaffold.write(into: root)
        } catch {
            writeStderr("strata init: error: cannot write in '\(folder)': \(error.localizedDescription)\n")
            throw ExitCode(2)
        }
        let shown = folder == "." ? "" : folder.hasSuffix("/") ? folder : folder + "/"
        for r in results {
            print(r.outcome == .created ? "created  \(shown)\(r.path)" : "kept     \(shown)\(r.path) (exists, kept)")
        }
        let created = results.filter { $0.outcome == .created }.count
        if created == 0 {
            print("strata init: every file exists; nothing was changed")
            return
        }
        print("strata init: created \(created) file\(created == 1 ? "" : "s"), kept \(results.count - created); example plans for \(scaffold.period) as of \(day)")
        print("next: \(folder == "." ? "" : "cd \(folder) && ")strata check; then strata build")
    }
}
