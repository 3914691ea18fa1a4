import ArgumentParser
import Foundation
import Strata

/// `strata build`: render the HTML site, Markdown reports, scorecards and data exports.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Render the HTML site, Markdown reports, scorecards, plan.json and CSV into the output folder.",
        discussion: """
            Errors in the plan stop the build and leave the previous output untouched; warnings do not. \
            The new output replaces the old in one step. With --check nothing is written: the exit status \
            says whether the output folder is what the current plans produce.
            """)

    @OptionGroup var plan: PlanOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("output"), help: "Output folder (default: output in strata.yaml, relative to the plan root).")
    var outputFolder: String?

    @Option(name: .long, help: "Folder of template overrides (default: templates in strata.yaml).")
    var templates: String?

    @Flag(name: .long, help: "Write nothing; exit 1 when the output folder differs from what the plans produce.")
    var check = false

    func run() throws {
        var c = try plan.compile()
        let formatter: DiagnosticFormatter
        do {
            let withSources = try output.formatter(c)
            let shown = c.diagnostics.filter { $0.severity != .note }
            if !shown.isEmpty { writeStderr(withSources.render(shown)) }
            if c.hasErrors {
                writeStderr("strata build: stopped, the plan has errors (\(DiagnosticFormatter.summary(c.diagnostics))); the output was not changed\n")
                throw ExitCode(1)
            }
            // Template diagnostics point into templates, not plan files.
            formatter = DiagnosticFormatter(format: withSources.format, colour: withSources.colour, sources: { _ in nil })
        }
        // The plan's texts were needed for the snippets above; rendering does not use them.
        c.releaseSourceTexts()
        KeptUntilExit.keep(c)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let templatesURL = templates.map { URL(fileURLWithPath: $0, relativeTo: cwd) } ?? c.root.appendingPathComponent(c.config.templatesFolder)
        if let t = templates, !FileManager.default.fileExists(atPath: templatesURL.path) {
            writeStderr("strata build: error: the templates folder '\(t)' does not exist\n")
            throw ExitCode(2)
        }
        let diagnostics = DiagnosticCollector()
        let templateSet = TemplateSet(overrides: templatesURL, displayFolder: templates ?? c.config.templatesFolder, into: diagnostics)
        let rollUp = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        if diagnostics.hasErrors { try templateFailure(diagnostics, formatter) }
        let outputURL = outputFolder.map { URL(fileURLWithPath: $0, relativeTo: cwd) } ?? c.root.appendingPathComponent(c.config.outputFolder)
        if let problem = OutputWriter.validate(output: outputURL, root: c.root, plans: c.root.appendingPathComponent(c.config.plansFolder)) {
            writeStderr("strata build: error: \(problem) [output-path]\n")
            throw ExitCode(2)
        }
        let renderer = SiteRenderer(rollUp: rollUp, templates: templateSet)
        // With its node cache (over 100 MB at 20,000 objectives), like the plan above.
        KeptUntilExit.keep(renderer)
        let writer = OutputWriter(output: outputURL)
        var count = 0
        // Renders page by page into the writer; a template error aborts before the swap.
        let produce: ((OutputFile) throws -> Void) throws -> Void = { emit in
            try renderer.render(into: diagnostics) { file in
                count += 1
                try emit(file)
            }
            if diagnostics.hasErrors { throw RenderStopped() }
        }
        if check {
            let diffs: [String]
            do { diffs = try writer.differences(produce) } catch is RenderStopped { try templateFailure(diagnostics, formatter) }
            if diffs.isEmpty {
                writeStderr("strata build --check: \(outputFolder ?? c.config.outputFolder) is up to date (\(count) files, as of \(c.asOf))\n")
                return
            }
            writeStderr(diffs.prefix(50).map { "  " + $0 }.joined(separator: "\n") + (diffs.count > 50 ? "\n  … and \(diffs.count - 50) more" : "") + "\n")
            writeStderr("strata build --check: \(outputFolder ?? c.config.outputFolder) is out of date (\(diffs.count) difference\(diffs.count == 1 ? "" : "s")); run 'strata build'\n")
            throw ExitCode(1)
        }
        do {
            try writer.write(produce)
        } catch is RenderStopped {
            try templateFailure(diagnostics, formatter)
        } catch {
            writeStderr("strata build: error: cannot write '\(outputURL.path)': \(error) [output-path]\n")
            throw ExitCode(2)
        }
        writeStderr("strata build: wrote \(count) files to \(outputFolder ?? c.config.outputFolder) as of \(c.asOf) (\(DiagnosticFormatter.summary(c.diagnostics)))\n")
    }

    struct RenderStopped: Error {}

    func templateFailure(_ diagnostics: DiagnosticCollector, _ formatter: DiagnosticFormatter) throws -> Never {
        writeStderr(formatter.render(diagnostics.sorted))
        writeStderr("strata build: stopped, the templates have errors; the output was not changed\n")
        throw ExitCode(1)
    }
}
