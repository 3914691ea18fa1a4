import Foundation
import Testing
@testable import Strata

/// A plan repository written to a temporary folder for one hostile-input test, and the
/// built `strata` binary run on it.
struct HostileRepo {
    let root: URL

    /// Writes `files` (path → bytes) under a fresh folder; `strata.yaml` defaults to a
    /// minimal config and `plans/` always exists.
    init(_ name: String, files: [String: [UInt8]], config: String = "organisation: Hostile\nas_of: 2026-11-20\n") throws {
        root = try makeTemporaryFolder("strata-hostile-\(name)").resolvingSymlinksInPath()
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("plans"), withIntermediateDirectories: true)
        var all = files
        if all["strata.yaml"] == nil { all["strata.yaml"] = Array(config.utf8) }
        for (path, bytes) in all {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
    }

    init(_ name: String, texts: [String: String], config: String = "organisation: Hostile\nas_of: 2026-11-20\n") throws {
        try self.init(name, files: texts.mapValues { Array($0.utf8) }, config: config)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// A diagnostic as `--format json` prints it.
    struct Found: Decodable, CustomStringConvertible {
        struct Location: Decodable { var line: Int; var column: Int; var offset: Int }
        struct Range: Decodable { var file: String; var start: Location; var end: Location }
        var rule: String
        var severity: String
        var message: String
        var range: Range
        var help: String?
        var description: String { "\(range.file):\(range.start.line):\(range.start.column): \(severity): \(message) [\(rule)]" }
    }

    /// `strata check --format json`: the exit status and the diagnostics.
    func check(_ extra: [String] = []) throws -> (status: Int32, diagnostics: [Found], stderr: String) {
        let r = try CLITests.run(["check", "--root", root.path, "--format", "json"] + extra)
        let found = try JSONDecoder().decode([Found].self, from: Data(r.stdout.utf8))
        return (r.status, found, r.stderr)
    }

    /// `strata build` into `<root>/out`.
    func build(_ extra: [String] = []) throws -> CLITests.Run {
        try CLITests.run(["build", "--root", root.path, "--output", output.path, "--no-color"] + extra)
    }

    var output: URL { root.appendingPathComponent("out") }

    /// Nothing was written: no output folder and no staging leftovers beside it.
    func assertNothingWritten(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let fm = FileManager.default
        #expect(!fm.fileExists(atPath: output.path), "\(output.path) was written", sourceLocation: sourceLocation)
        let names = (try? fm.contentsOfDirectory(atPath: root.path)) ?? []
        #expect(!names.contains { $0.hasPrefix(".out.strata-") }, "staging leftovers: \(names)", sourceLocation: sourceLocation)
    }

    /// Compiles in process (faster than the binary where exit codes do not matter).
    func compile() throws -> Compilation {
        try Pipeline.compile(root: root, asOf: fixedAsOf)
    }
}

extension Compilation {
    /// `file:line:column [rule]` of every diagnostic of `severity` or worse.
    func positions(_ severity: Severity = .error) -> [String] {
        diagnostics.filter { $0.severity >= severity }.map { "\($0.range.file):\($0.range.start.line):\($0.range.start.column) [\($0.rule)]" }
    }
}
