import Foundation

/// Materialises the plan as it was at a git revision into a temporary folder, using the
/// `git` command: `strata.yaml` is read with `git show`, then only it and the plans folder
/// are extracted with `git archive`.
public struct GitRevision {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The temporary folder holding the checkout (remove it when done).
    public let folder: URL
    /// The plan root inside `folder`.
    public let root: URL

    public init(revision: String, planRoot: URL) throws {
        guard !revision.hasPrefix("-") else { throw Failure(description: "'\(revision)' is not a revision") }
        let top = try GitRevision.git(["rev-parse", "--show-toplevel"], in: planRoot).trimmed
        let prefix = try GitRevision.git(["rev-parse", "--show-prefix"], in: planRoot).trimmed
        guard (try? GitRevision.git(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], in: planRoot)) != nil else { throw Failure(description: "'\(revision)' is not a commit in this repository") }
        let configPath = prefix + PlanLoader.configName
        let configText: String
        do {
            configText = try GitRevision.git(["show", "\(revision):\(configPath)"], in: planRoot)
        } catch {
            throw Failure(description: "there is no \(configPath) at revision '\(revision)'")
        }
        let config = ConfigDecoder.decode(SourceFile(path: PlanLoader.configName, text: configText), into: DiagnosticCollector())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-rev-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tar = folder.appendingPathComponent("plan.tar")
        do {
            // A revision from before the plans folder existed compares as an empty plan.
            let hasPlans = (try? GitRevision.git(["cat-file", "-e", "\(revision):\(prefix + config.plansFolder)"], in: planRoot)) != nil
            _ = try GitRevision.git(["archive", "--format=tar", "-o", tar.path, revision, "--", configPath] + (hasPlans ? [prefix + config.plansFolder] : []), in: URL(fileURLWithPath: top))
            _ = try GitRevision.run("/usr/bin/env", ["tar", "-xf", tar.path, "-C", folder.path], in: folder)
            try? FileManager.default.removeItem(at: tar)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw Failure(description: "cannot read the plans at revision '\(revision)': \(error)")
        }
        self.folder = folder
        self.root = prefix.isEmpty ? folder : folder.appendingPathComponent(prefix)
        try? FileManager.default.createDirectory(at: root.appendingPathComponent(config.plansFolder), withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(at: folder) }

    static func git(_ arguments: [String], in folder: URL) throws -> String {
        try run("/usr/bin/env", ["git", "-c", "core.quotepath=off"] + arguments, in: folder)
    }

    static func run(_ tool: String, _ arguments: [String], in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errData, as: UTF8.self).trimmed
            throw Failure(description: message.isEmpty ? "\(arguments.joined(separator: " ")) failed" : message)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
