import ArgumentParser
import Foundation
import Strata

/// `strata diff`: a semantic diff of the plan between two git revisions or two folders.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare the plan at two git revisions (or two folders) semantically.",
        discussion: """
            strata diff BASE [HEAD] compares the plan at git revision BASE with HEAD (default: the working tree). \
            strata diff --dirs OLD NEW compares two plan folders. Reports objectives and key results added, removed, \
            renamed or moved; changed targets, owners, periods and weights; new check-ins with the progress they moved; \
            the effect on every roll-up and status; and diagnostics introduced or fixed. Changes to locked periods are \
            errors (exit 1). Both sides are computed at the same as-of date.
            """)

    @OptionGroup var plan: PlanOptions

    @Flag(name: .long, help: "Compare two folders instead of git revisions.")
    var dirs = false

    @Option(name: .long, help: "Output format: markdown (for a pull-request comment) or json.")
    var format: String = "markdown"

    @Option(name: .long, help: "Folder of template overrides for the Markdown (default: templates in strata.yaml).")
    var templates: String?

    @Argument(help: "BASE revision (or OLD folder with --dirs).") var base: String
    @Argument(help: "HEAD revision (default: the working tree), or NEW folder with --dirs.") var head: String?

    func run() throws {
        guard format == "markdown" || format == "json" else { throw ValidationError("unknown format '\(format)'; use markdown or json") }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let asOf = try plan.asOfDay()
        var cleanup: [GitRevision] = []
        defer { cleanup.forEach { $0.remove() } }
        let old: Compilation, new: Compilation
        let baseName: String, headName: String
        if dirs {
            guard let head else { throw ValidationError("--dirs needs two folders: OLD NEW") }
            new = try Pipeline.compile(root: URL(fileURLWithPath: head, relativeTo: cwd), asOf: asOf)
            old = try Pipeline.compile(root: URL(fileURLWithPath: base, relativeTo: cwd), asOf: new.asOf)
            (baseName, headName) = (base, head)
        } else {
            let root = URL(fileURLWithPath: plan.root, relativeTo: cwd)
            do {
                if let head {
                    let h = try GitRevision(revision: head, planRoot: root)
                    cleanup.append(h)
                    new = try Pipeline.compile(root: h.root, asOf: asOf)
                } else {
                    new = try Pipeline.compile(root: root, asOf: asOf)
                }
                let b = try GitRevision(revision: base, planRoot: root)
                cleanup.append(b)
                old = try Pipeline.compile(root: b.root, asOf: new.asOf)
            } catch let failure as GitRevision.Failure {
                throw LoadFailure(description: failure.description)
            }
            (baseName, headName) = (base, head ?? "working tree")
        }
        // Both plans stay until the process exits, as `check` keeps its own (`KeptUntilExit`).
        KeptUntilExit.keep(old)
        KeptUntilExit.keep(new)
        let diff = PlanDiffer(old: old, new: new).diff(base: baseName, head: headName)
        if format == "json" {
            print(DiffRenderer.json(diff), terminator: "")
        } else {
            let diagnostics = DiagnosticCollector()
            let folder = templates.map { URL(fileURLWithPath: $0, relativeTo: cwd) } ?? new.root.appendingPathComponent(new.config.templatesFolder)
            let set = TemplateSet(overrides: folder, displayFolder: templates ?? new.config.templatesFolder, into: diagnostics)
            guard !diagnostics.hasErrors, let text = set.render("diff.md", DiffRenderer.context(diff)) else {
                writeStderr(DiagnosticFormatter(format: .oneline, sources: { _ in nil }).render(diagnostics.sorted))
                throw ExitCode(1)
            }
            print(text, terminator: "")
        }
        let collector = DiagnosticCollector()
        collector.configure(new.config)
        collector.append(contentsOf: diff.lockViolations)
        if !collector.all.isEmpty {
            writeStderr(DiagnosticFormatter(format: .oneline, sources: { new.sources[$0] }).render(collector.sorted))
        }
        if collector.hasErrors { throw ExitCode(1) }
    }
}
