import Foundation
import Testing
@testable import Strata

/// End-to-end tests of the built `strata` executable: exit codes, output formats, and
/// the demo plan repository.
@Suite struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Finds the `strata` executable built next to the test bundle (the products folder of
    /// whatever scratch path `swift test` used). `STRATA_BINARY` overrides the search.
    static let binary: URL? = {
        let fm = FileManager.default
        let env = ProcessInfo.processInfo.environment
        if let path = env["STRATA_BINARY"] { return URL(fileURLWithPath: path) }
        func isExecutable(_ url: URL) -> Bool {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: url.path, isDirectory: &isDir) && !isDir.boolValue && fm.isExecutableFile(atPath: url.path)
        }
        var starts: [URL] = [URL(fileURLWithPath: CommandLine.arguments[0]), Bundle.main.bundleURL]
        if let e = Bundle.main.executableURL { starts.append(e) }
        starts += Bundle.allBundles.map(\.bundleURL).filter { $0.pathExtension == "xctest" }
        for start in starts {
            // From `<products>/StrataPackageTests.xctest[/Contents/MacOS/…]` up to `<products>`.
            var dir = start.standardizedFileURL.deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = dir.appendingPathComponent("strata")
                if isExecutable(candidate) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
        }
        for scratch in [".build-tests", ".build"] {
            let candidate = TestPaths.packageRoot.appendingPathComponent(scratch).appendingPathComponent("debug/strata")
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }()

    /// Runs `strata` (or another of the package's executables, `executable`) with
    /// `arguments`, and `environment` added to the test's own.
    static func run(_ arguments: [String], in directory: URL? = nil, executable: URL? = nil, environment added: [String: String] = [:]) throws -> Run {
        let exe = try executable ?? #require(binary, "cannot find the strata executable next to the test bundle; set STRATA_BINARY")
        let temp = try makeTemporaryFolder("strata-cli-output")
        defer { try? FileManager.default.removeItem(at: temp) }
        let out = temp.appendingPathComponent("stdout"), err = temp.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = exe
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.merge(added) { _, new in new }
        process.environment = environment
        // Files, not pipes: large outputs cannot block the child.
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    static func fixture(_ name: String) -> String {
        TestPaths.fixtures.appendingPathComponent("check").appendingPathComponent(name).path
    }

    /// A copy of the demo repository (strata.yaml and plans/) in a fresh temporary folder.
    static func demoCopy() throws -> URL {
        let fm = FileManager.default
        let root = try makeTemporaryFolder("strata-demo").resolvingSymlinksInPath()
        // Resolve symbolic links first: copying a link would make the tests write into the real demo.
        for name in ["strata.yaml", "plans"] {
            let source = TestPaths.packageRoot.appendingPathComponent(name).resolvingSymlinksInPath()
            try fm.copyItem(at: source, to: root.appendingPathComponent(name))
        }
        let plans = root.appendingPathComponent("plans")
        let type = try fm.attributesOfItem(atPath: plans.path)[.type] as? FileAttributeType
        try #require(type == .typeDirectory, "the demo copy's plans/ must be a real folder")
        try #require(plans.resolvingSymlinksInPath().path.hasPrefix(root.path + "/"))
        return root
    }

    // MARK: - The demo

    @Test func demoPlanChecksClean() throws {
        let r = try Self.run(["check", "--root", TestPaths.packageRoot.path, "--format", "one-line"])
        let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(r.status == 0, "the demo plan has errors:\n\(errors.joined(separator: "\n"))")
        #expect(r.stderr.contains("strata check: "))
        #expect(r.stdout.isEmpty)
    }

    @Test func brokenDemoCopyFailsWithLocatedDiagnostics() throws {
        let root = try Self.demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("""
            kind: initiatives
            initiatives:
              - id: ini-broken
                titel: Broken on purpose
            """, to: root.appendingPathComponent("plans/zz-broken.yaml"))
        // Break a reference in an existing file at a line we compute, so the test follows the demo.
        let goals = root.appendingPathComponent("plans/goals.yaml")
        var lines = try String(contentsOf: goals, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.hasPrefix("    owner: ") })
        lines[index] = "    owner: nobody-at-all"
        try lines.joined(separator: "\n").write(to: goals, atomically: true, encoding: .utf8)

        let r = try Self.run(["check", "--root", root.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("plans/zz-broken.yaml:4:5: error: unknown key 'titel'"))
        #expect(r.stderr.contains("plans/goals.yaml:\(index + 1):12: error: "))
        #expect(r.stderr.contains("'nobody-at-all'"))
        // The human format shows the source line with a marker under the column.
        #expect(r.stderr.contains("4 |     titel: Broken on purpose\n  |     ^~~~~"))
    }

    @Test func jsonFormatIsParseable() throws {
        let root = try Self.demoCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("kind: initiatives\ninitiatives:\n  - id: ini-broken\n    titel: Broken\n", to: root.appendingPathComponent("plans/zz-broken.yaml"))
        let r = try Self.run(["check", "--root", root.path, "--format", "json"])
        #expect(r.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        let array = try #require(json as? [[String: Any]])
        let broken = try #require(array.first { ($0["rule"] as? String) == "unknown-key" && (($0["range"] as? [String: Any])?["file"] as? String) == "plans/zz-broken.yaml" })
        let range = try #require(broken["range"] as? [String: Any])
        let start = try #require(range["start"] as? [String: Any])
        #expect(start["line"] as? Int == 4)
        #expect(start["column"] as? Int == 5)
        #expect(broken["severity"] as? String == "error")
        #expect(broken["help"] as? String == "did you mean 'title'?" || broken["help"] != nil)
        for d in array { #expect(Set(d.keys).isSuperset(of: ["rule", "severity", "message", "range", "notes"])) }
    }

    @Test func jsonOfACleanPlanIsAnEmptyArray() throws {
        let root = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("organisation: Empty\n", to: root.appendingPathComponent("strata.yaml"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("plans"), withIntermediateDirectories: true)
        let r = try Self.run(["check", "--root", root.path, "--format", "json"])
        #expect(r.status == 0)
        #expect(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any] != nil)
        #expect((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any])?.isEmpty == true)
    }

    @Test func oneLineFormatMatchesTheGolden() throws {
        let name = "checkins"
        let r = try Self.run(["check", "--root", Self.fixture(name), "--as-of", "2026-11-20", "--format", "one-line"])
        #expect(r.status == 1)
        let expected = try String(contentsOf: URL(fileURLWithPath: Self.fixture(name)).appendingPathComponent("expected.txt"), encoding: .utf8)
        #expect(r.stderr.hasPrefix(expected + "\nstrata check: "), "\(lineDiff(expected: expected, actual: r.stderr))")
    }

    // MARK: - Exit codes

    @Test func strictTurnsWarningsIntoFailure() throws {
        // kr-count has warnings and no errors.
        let plain = try Self.run(["check", "--root", Self.fixture("kr-count"), "--as-of", "2026-11-20"])
        #expect(plain.status == 0)
        #expect(plain.stderr.contains(": warning: "))
        #expect(!plain.stderr.contains(": error: "))
        let strict = try Self.run(["check", "--root", Self.fixture("kr-count"), "--as-of", "2026-11-20", "--strict"])
        #expect(strict.status == 1)
    }

    @Test func strictDoesNotFailOnNotes() throws {
        let root = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        // Every finding of this plan is a note: goal-owned and checkin-stale are lowered.
        try write("organisation: Notes only\nrules: { goal-owned: note, checkin-stale: note }\n", to: root.appendingPathComponent("strata.yaml"))
        try write("kind: org\nteams:\n  - { id: idle, name: Idle }\n  - { id: busy, name: Busy }\n", to: root.appendingPathComponent("plans/org.yaml"))
        try write("kind: goals\ngoals:\n  - { id: G1, title: Goal, metric: { start: 1, target: 2 }, due: 2027-01-01 }\n",
                  to: root.appendingPathComponent("plans/goals.yaml"))
        try write("""
            kind: okrs
            period: 2026-Q4
            team: busy
            objectives:
              - id: o1
                title: Busy
                parent: G1
                key_results:
                  - { title: Keep NPS above 40, stay_above: 40 }
                  - { title: Keep churn below 2%, stay_below: 2% }
            """, to: root.appendingPathComponent("plans/okrs.yaml"))
        let r = try Self.run(["check", "--root", root.path, "--as-of", "2026-12-30", "--strict", "--format", "one-line"])
        #expect(!r.stderr.contains(": error: ") && !r.stderr.contains(": warning: "), "\(r.stderr)")
        #expect(r.stderr.contains(": note: "))
        #expect(r.status == 0)
    }

    @Test(arguments: [
        ["check", "--bogus"],
        ["check", "--as-of", "2026-13-01"],
        ["check", "--as-of", "tomorrow"],
        ["check", "--format", "xml"],
        ["nonsense"],
        ["check", "extra-argument"],
    ])
    func usageErrorsExitWith2(_ arguments: [String]) throws {
        let r = try Self.run(arguments + ["--root", Self.fixture("kr-count")])
        #expect(r.status == 2, "stderr: \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    @Test func badAsOfSaysWhatIsWrong() throws {
        let r = try Self.run(["check", "--root", Self.fixture("kr-count"), "--as-of", "2026-02-30"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--as-of '2026-02-30' is not a date"))
    }

    @Test func missingConfigExitsWith2() throws {
        let root = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let r = try Self.run(["check", "--root", root.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no strata.yaml in"))
    }

    @Test func missingRootOrPlansFolderExitsWith2() throws {
        let root = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let missing = try Self.run(["check", "--root", root.appendingPathComponent("nope").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("is not a folder"))
        try write("organisation: X\nplans: elsewhere\n", to: root.appendingPathComponent("strata.yaml"))
        let noPlans = try Self.run(["check", "--root", root.path])
        #expect(noPlans.status == 2)
        #expect(noPlans.stderr.contains("plans folder 'elsewhere' does not exist"))
    }

    @Test func rootDefaultsToTheCurrentFolder() throws {
        let r = try Self.run(["check", "--as-of", "2026-11-20", "--format", "one-line"], in: URL(fileURLWithPath: Self.fixture("kr-count")))
        #expect(r.status == 0)
        #expect(r.stderr.contains("plans/okrs.yaml:5:5: warning: objective 'one-kr' has 1 key result"))
    }

    @Test func helpExitsWith0() throws {
        let r = try Self.run(["check", "--help"])
        #expect(r.status == 0)
        #expect((r.stdout + r.stderr).contains("--strict"))
    }

    // MARK: - strata rules

    @Test func rulesListsEveryRule() throws {
        let r = try Self.run(["rules"])
        #expect(r.status == 0)
        let ids = r.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(ids == Rule.all.map(\.id))
        #expect(Set(ids).count == ids.count)
        for rule in Rule.all {
            let line = r.stdout.split(separator: "\n").first { $0.hasPrefix(rule.id + " ") }
            #expect(line?.contains(rule.defaultSeverity.rawValue) == true)
            #expect(line?.contains(rule.summary) == true)
        }
    }
}
