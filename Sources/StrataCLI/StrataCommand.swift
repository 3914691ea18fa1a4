import ArgumentParser
import Foundation
import Strata

/// `strata`: the root command.
public struct StrataCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Strategy as code: check, link, roll up and report plan files.",
        version: StrataVersion.current,
        subcommands: [CheckCommand.self, BuildCommand.self, DiffCommand.self, ExplainCommand.self, GraphCommand.self, RulesCommand.self, SchemaCommand.self, InitCommand.self])

    public init() {}

    /// Runs the CLI with `arguments`, mapping outcomes to exit codes:
    /// 0 no errors, 1 errors (or warnings with --strict), 2 usage or I/O problems.
    public static func run(arguments: [String]) -> Int32 {
        SystemMemory.keepFreedMemoryUntilTrimmed()
        var parsed: ParsableCommand.Type = StrataCommand.self
        do {
            var command = try parseAsRoot(arguments)
            parsed = type(of: command)
            try command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch let failure as LoadFailure {
            FileHandle.standardError.write(Data("strata: error: \(failure.description)\n".utf8))
            return 2
        } catch {
            let code = parsed.exitCode(for: error)
            let message = parsed == StrataCommand.self ? fullMessage(for: error) : parsed.fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            FileHandle.standardError.write(Data((message.isEmpty ? "" : message + "\n").utf8))
            return 2
        }
    }
}

/// Options every command that reads a plan shares.
public struct PlanOptions: ParsableArguments {
    @Option(name: .long, help: "The plan repository (the folder with strata.yaml).")
    public var root: String = "."

    @Option(name: .customLong("as-of"), help: "Compute progress as of this date (YYYY-MM-DD); default: as_of in strata.yaml, else today.")
    public var asOf: String?

    public init() {}

    func asOfDay() throws -> Day? {
        guard let a = asOf else { return nil }
        guard let d = Day(a) else { throw ValidationError("--as-of '\(a)' is not a date; write YYYY-MM-DD") }
        return d
    }

    func compile() throws -> Compilation {
        let url = URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return try Pipeline.compile(root: url, asOf: try asOfDay())
    }
}

/// What `check`, `build` and `diff` compiled, kept until the process exits instead of freed when
/// the command returns. A command runs once and exits, and the kernel takes a process's
/// memory back whole; freeing a large plan value by value first (the graph's tables, every
/// check-in's strings) is work nobody needs the result of, done on one core after the
/// report is printed: 38 million instructions of a check at 5,000 objectives (0.9 %,
/// callgrind). (Compilers do the same: clang's `-disable-free`.) `build` keeps its plan
/// only once the source texts are let go, so its peak memory is unchanged, and its renderer
/// with the node cache, which is full by the last page anyway.
enum KeptUntilExit {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var values: [Any] = []

    static func keep(_ value: Any) {
        lock.withLock { values.append(value) }
    }
}

/// How diagnostics are printed.
public struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Diagnostic format: human, one-line, json, github (workflow annotations) or sarif (SARIF 2.1.0).")
    public var format: String = "human"

    @Flag(name: .long, inversion: .prefixedNo, help: "Colour the output (default: when writing to a terminal).")
    public var color: Bool?

    public init() {}

    func formatter(_ c: Compilation) throws -> DiagnosticFormatter {
        guard let f = DiagnosticFormat(rawValue: format) else {
            throw ValidationError("unknown format '\(format)'; use one of: " + DiagnosticFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let useColour = color ?? (isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        let prefix = f == .github || f == .sarif ? DiagnosticFormatter.repositoryPrefix(of: c.root) : ""
        return DiagnosticFormatter(format: f, colour: useColour, sources: { c.sources[$0] }, repositoryPrefix: prefix)
    }
}

func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

/// Terminal-safe text for stdout: control characters and bidi controls from plan titles are
/// shown as escapes, line by line.
func terminalSafe(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { DiagnosticFormatter.visible(String($0)) }.joined(separator: "\n")
}

func writeStderr(_ s: String) {
    FileHandle.standardError.write(Data(s.utf8))
}
