import Foundation
import Testing

/// Helpers for the `strata diff` / `strata check --against` end-to-end tests and the
/// machine-format tests: running the built binary (found by `CLITests.binary`) and other
/// tools with an isolated environment, and building a small git history of a plan.
enum DiffSupport {
    static let fixtures = TestPaths.fixtures.appendingPathComponent("diff")
    static let snapshots = TestPaths.snapshots.appendingPathComponent("diff")

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The environment for `git` and for `strata` (which runs `git`): the machine's and the
    /// user's git configuration, hooks and repository variables cannot leak in.
    static func isolatedEnvironment(home: URL) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("GIT_") { env[key] = nil }
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["GIT_AUTHOR_DATE"] = "2026-11-20T12:00:00Z"
        env["GIT_COMMITTER_DATE"] = "2026-11-20T12:00:00Z"
        env["HOME"] = home.path
        env["XDG_CONFIG_HOME"] = home.path
        env["LC_ALL"] = "C"
        env["NO_COLOR"] = "1"
        return env
    }

    /// Runs `executable` with `arguments`; output goes through files so nothing can block.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                    environment: [String: String]? = nil) throws -> Output {
        let temp = try makeTemporaryFolder("strata-diff-run")
        defer { try? FileManager.default.removeItem(at: temp) }
        let out = temp.appendingPathComponent("stdout"), err = temp.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.environment = environment ?? ProcessInfo.processInfo.environment
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// The `strata` executable next to the test bundle (shared lookup in `CLITests`).
    static func strata() throws -> URL {
        try #require(CLITests.binary, "cannot find the strata executable next to the test bundle; set STRATA_BINARY")
    }

    /// A tool on PATH (e.g. `git`, `cmark-gfm`, `python3`), or nil.
    static func tool(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Like `tool`, but records a failure (never a skip) when the tool is missing.
    static func requireTool(_ name: String, _ why: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> URL {
        try #require(tool(name), "\(name) is required (\(why)); install it — this test fails rather than skips", sourceLocation: sourceLocation)
    }

    /// Renders Markdown to HTML with `cmark-gfm -e table` (fails when cmark-gfm is missing).
    static func cmarkGFM(_ markdown: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        let cmark = try requireTool("cmark-gfm", "Debian package cmark-gfm renders the Markdown diff as GitHub does", sourceLocation: sourceLocation)
        let folder = try makeTemporaryFolder("strata-diff-cmark")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("diff.md")
        try Data(markdown.utf8).write(to: input)
        let r = try run(cmark, ["-e", "table", input.path])
        try #require(r.status == 0, "cmark-gfm failed: \(r.stderr)", sourceLocation: sourceLocation)
        return r.stdout
    }

    /// Copies a fixture folder to a fresh temporary folder (symbolic links resolved).
    static func copyFixture(_ name: String) throws -> URL {
        let root = try makeTemporaryFolder("strata-diff-\(name)").resolvingSymlinksInPath()
        let source = fixtures.appendingPathComponent(name)
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: root.appendingPathComponent(item))
        }
        return root
    }
}

/// One commit of the fixture history: a list of text replacements (or appends).
struct PlanStep: CustomTestStringConvertible, Sendable {
    enum Edit: Sendable {
        case replace(file: String, old: String, new: String)
        case append(file: String, text: String)
    }

    /// The tag the commit gets; also the golden's name.
    var tag: String
    var edits: [Edit]
    /// Whether the step edits a locked period (`strata diff` and `check --against` exit 1).
    var touchesLock = false

    var testDescription: String { tag }

    static let q4 = "plans/okrs/2026-q4.yaml"

    /// (a)–(f) of the history, each relative to the one before; the first one is relative to `base`.
    static let all: [PlanStep] = [
        PlanStep(tag: "a-target", edits: [
            .replace(file: q4, old: "        target: €1.2M\n", new: "        target: €1.5M\n"),
        ]),
        PlanStep(tag: "b-reparent", edits: [
            .replace(file: q4, old: "    owner: cy\n    parent: co-q4-1\n", new: "    owner: cy\n    parent: co-q4-2\n"),
        ]),
        PlanStep(tag: "c-checkin", edits: [
            .append(file: "plans/checkins.yaml", text: "  - { kr: sales-q4-1.pipe, date: 2026-11-13, value: €2.4M, confidence: 0.8, note: Two big deals }\n"),
        ]),
        PlanStep(tag: "d-rename", edits: [
            .replace(file: q4, old: "    title: Deliver projects faster\n", new: "    title: \"Deliver every project faster | no excuses\"\n"),
        ]),
        PlanStep(tag: "e-locked", edits: [
            .replace(file: "plans/okrs/2026-q3.yaml", old: "        target: €200k\n", new: "        target: €180k\n"),
        ], touchesLock: true),
        PlanStep(tag: "f-kr-add-remove", edits: [
            .replace(file: q4, old: """
                      - id: co-q4-2.csat
                        title: Keep onboarding CSAT above 4.2/5
                        stay_above: 4.2/5
                        current: 4.4/5

                """, new: """
                      - id: co-q4-2.ontime
                        title: Raise on-time go-lives from 70% to 90%
                        start: 70%
                        target: 90%
                        current: 75%

                """),
        ]),
    ]

    /// The tag of the commit before `tag`.
    static func previous(_ tag: String) -> String {
        guard let i = all.firstIndex(where: { $0.tag == tag }), i > 0 else { return "base" }
        return all[i - 1].tag
    }

    func apply(in root: URL) throws {
        for edit in edits {
            switch edit {
            case .replace(let file, let old, let new):
                let url = root.appendingPathComponent(file)
                let text = try String(contentsOf: url, encoding: .utf8)
                try #require(text.components(separatedBy: old).count == 2, "step \(tag): '\(old)' must occur exactly once in \(file)")
                try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: url)
            case .append(let file, let text):
                let url = root.appendingPathComponent(file)
                let before = try String(contentsOf: url, encoding: .utf8)
                try Data((before + text).utf8).write(to: url)
            }
        }
    }
}

/// A temporary git repository holding the fixture plan (`Fixtures/diff/base`) with one
/// commit per `PlanStep`, each tagged; removed with `remove()`.
struct PlanHistory {
    let root: URL
    let home: URL
    let environment: [String: String]
    let git: URL

    /// Builds the repository; `upTo` limits the history (nil: every step).
    init(upTo last: String? = nil) throws {
        git = try DiffSupport.requireTool("git", "the diff tests build a git history")
        root = try DiffSupport.copyFixture("base")
        home = try makeTemporaryFolder("strata-diff-home")
        environment = DiffSupport.isolatedEnvironment(home: home)
        do {
            try git("init", "-q", "-b", "main")
            try commit("base")
            for step in PlanStep.all {
                try step.apply(in: root)
                try commit(step.tag)
                if step.tag == last { break }
            }
        } catch {
            remove()
            throw error
        }
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        let r = try DiffSupport.run(git, Array(arguments), in: root, environment: environment)
        try #require(r.status == 0, "git \(arguments.joined(separator: " ")) failed: \(r.stderr)")
        return r.stdout
    }

    /// Commits everything and tags the commit (one shell, so one process start, per commit).
    func commit(_ tag: String) throws {
        let script = #"git add -A && git -c user.name=t -c user.email=t@t -c commit.gpgsign=false commit -q --allow-empty -m "$1" && git tag "$1""#
        let r = try DiffSupport.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script, "sh", tag], in: root, environment: environment)
        try #require(r.status == 0, "commit \(tag) failed: \(r.stderr)")
    }

    /// Runs `strata` in the repository with the isolated environment.
    func strata(_ arguments: String...) throws -> DiffSupport.Output {
        try strata(Array(arguments))
    }

    func strata(_ arguments: [String]) throws -> DiffSupport.Output {
        try DiffSupport.run(try DiffSupport.strata(), arguments, in: root, environment: environment)
    }

    func write(_ text: String, to file: String) throws {
        try StrataTests.write(text, to: root.appendingPathComponent(file))
    }

    func read(_ file: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
    }

    /// One full history per test process, shared by the tests that only read it: they never
    /// check out, write, commit or remove. Removed when the process exits.
    static func shared() throws -> PlanHistory { try sharedHistory.get() }

    private static let sharedHistory: Result<PlanHistory, any Error> = Result {
        let history = try PlanHistory()
        sharedFolders = [history.root.path, history.home.path]
        atexit { for path in PlanHistory.sharedFolders { try? FileManager.default.removeItem(atPath: path) } }
        return history
    }

    nonisolated(unsafe) private static var sharedFolders: [String] = []

    func remove() {
        try? FileManager.default.removeItem(at: root)
        try? FileManager.default.removeItem(at: home)
    }
}
