import ArgumentParser
import Foundation
import Strata

/// `strata schema`: print or write the JSON Schemas of the plan format.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print or write the JSON Schemas of the plan format, for editor completion and validation.",
        discussion: """
            Without arguments prints plan.schema.json, which accepts any plan document and chooses \
            the format by its kind. With a name prints that schema: a kind (okrs, goals, …), strata \
            (strata.yaml), front-matter or <kind>-front-matter (Markdown files). With --output writes \
            every schema file (or the named one) into the folder. The schemas are generated from the \
            definitions the decoder reads plan files by. See docs/editors.md.
            """)

    @Argument(help: "The schema to print: plan (default), strata, front-matter, a kind, or <kind>-front-matter.")
    var name: String?

    @Option(name: .long, help: ArgumentHelp("Write the schema files into this folder instead of printing one.", valueName: "folder"))
    var output: String?

    @Flag(name: .long, help: "With --output: write nothing; exit 1 when the folder's schema files are not current.")
    var check = false

    func validate() throws {
        if check && output == nil { throw ValidationError("--check needs --output <folder>") }
    }

    func run() throws {
        var files = JSONSchemaGenerator.files()
        if let name {
            let wanted = name.hasSuffix(".schema.json") ? String(name.dropLast(".schema.json".count)) : name
            guard let file = files.first(where: { $0.name == wanted }) else {
                let names = files.map(\.name)
                let hint = Suggestion.didYouMean(wanted, in: names).map { "; \($0)" } ?? ""
                writeStderr("strata schema: error: no schema named '\(name)'\(hint)\n  schemas: \(names.joined(separator: ", "))\n")
                throw ExitCode(2)
            }
            files = [file]
        }
        guard let output else {
            print((files.first { $0.name == "plan" } ?? files[0]).text, terminator: "")
            return
        }
        let folder = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        if check {
            let stale = files.filter { (try? String(contentsOf: folder.appendingPathComponent($0.fileName), encoding: .utf8)) != $0.text }
            if stale.isEmpty {
                writeStderr("strata schema --check: \(output) is current (\(files.count) files)\n")
                return
            }
            writeStderr(stale.map { "  out of date: \($0.fileName)\n" }.joined())
            writeStderr("strata schema --check: \(output) is out of date; run 'strata schema --output \(output)'\n")
            throw ExitCode(1)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files {
                try Data(file.text.utf8).write(to: folder.appendingPathComponent(file.fileName), options: .atomic)
            }
        } catch {
            writeStderr("strata schema: error: cannot write to '\(output)': \(error.localizedDescription)\n")
            throw ExitCode(2)
        }
        writeStderr("strata schema: wrote \(files.count) schema file\(files.count == 1 ? "" : "s") to \(output)\n")
    }
}
