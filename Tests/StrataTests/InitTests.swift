import Foundation
import Testing
@testable import Strata

/// `strata init`: the scaffold checks clean on any day, never replaces a file, its YAML
/// validates against the schemas it ships, and its GitHub workflow against GitHub's
/// workflow schema (`check-jsonschema`, which `scripts/setup --test` installs; the test
/// fails without it).
@Suite struct InitTests {
    static let today = "2026-11-20"

    /// A folder set up by `strata init --today 2026-11-20`.
    static func initialised() throws -> (root: URL, run: CLITests.Run) {
        let root = try makeTemporaryFolder("strata-init").appendingPathComponent("plans-repo")
        let r = try CLITests.run(["init", root.path, "--today", today, "--organisation", "Example Freight"])
        return (root, r)
    }

    static func remove(_ root: URL) { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }

    @Test func initCreatesARepositoryThatChecksWithoutErrorsOrWarnings() throws {
        let (root, r) = try Self.initialised()
        defer { Self.remove(root) }
        #expect(r.status == 0, "\(r.stderr)")
        let scaffold = PlanScaffold(today: Day(Self.today)!, organisation: "Example Freight")
        for file in scaffold.files {
            #expect(r.stdout.contains("created  \(root.path)/\(file.path)\n"), "init did not report \(file.path)")
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file.path).path), "\(file.path) was not written")
        }
        #expect(r.stdout.contains("strata init: created \(scaffold.files.count) files, kept 0; example plans for 2026-Q4 as of 2026-11-20"))

        let check = try CLITests.run(["check", "--root", root.path, "--format", "one-line"])
        #expect(check.status == 0, "\(check.stderr)")
        let diagnostics = check.stderr.split(separator: "\n").filter { !$0.hasPrefix("strata check: ") }
        #expect(diagnostics.isEmpty, "strata check reports:\n\(diagnostics.joined(separator: "\n"))")
        #expect(check.stderr.contains("files as of 2026-11-20: 0 errors, 0 warnings"))
        let strict = try CLITests.run(["check", "--root", root.path, "--strict"])
        #expect(strict.status == 0)
    }

    @Test func initNeverReplacesAFile() throws {
        let (root, first) = try Self.initialised()
        defer { Self.remove(root) }
        #expect(first.status == 0)
        let config = root.appendingPathComponent("strata.yaml")
        try Data("organisation: Mine\n".utf8).write(to: config)
        try FileManager.default.removeItem(at: root.appendingPathComponent("plans/kpis.yaml"))

        let second = try CLITests.run(["init", root.path, "--today", Self.today])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("kept     \(root.path)/strata.yaml (exists, kept)\n"))
        #expect(second.stdout.contains("created  \(root.path)/plans/kpis.yaml\n"))
        #expect(second.stdout.contains("created 1 file, kept 25;"))
        #expect(try String(contentsOf: config, encoding: .utf8) == "organisation: Mine\n")

        let third = try CLITests.run(["init", root.path])
        #expect(third.status == 0)
        #expect(!third.stdout.contains("created  "))
        #expect(third.stdout.contains("every file exists; nothing was changed"))
    }

    @Test func initRejectsABadDate() throws {
        let r = try CLITests.run(["init", "--today", "2026-13-01"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--today '2026-13-01' is not a date"))
    }

    /// First and last days of quarters, a leap day, and the day before the cadence matters.
    @Test(arguments: ["2026-01-01", "2026-03-31", "2026-04-06", "2026-09-30", "2026-12-31", "2027-01-01", "2028-02-29"])
    func scaffoldChecksCleanOnAnyDay(_ day: String) throws {
        let root = try makeTemporaryFolder("strata-init-day")
        defer { try? FileManager.default.removeItem(at: root) }
        let scaffold = PlanScaffold(today: Day(day)!)
        #expect(try scaffold.write(into: root).allSatisfy { $0.outcome == .created })
        let c = try Pipeline.compile(root: root)
        #expect(c.asOf == Day(day)!)
        #expect(c.diagnostics.isEmpty, "\(day): \(c.diagnostics.map { "\($0.range.file):\($0.range.start.line): \($0.message) [\($0.rule)]" })")
        #expect(c.plan.objectives.count == 3 && c.plan.keyResults.count == 7 && c.plan.goals.count == 2)
        #expect(c.plan.mission != nil && c.plan.swot.count == 4 && c.plan.initiatives.count == 1 && c.plan.kpis.count == 1)
    }

    @Test func scaffoldIsDeterministicAndQuotesTheOrganisation() throws {
        let day = Day("2026-11-20")!
        #expect(PlanScaffold(today: day).files == PlanScaffold(today: day).files)
        let name = #"Acme: "Ops" #1 \ Co"#
        let root = try makeTemporaryFolder("strata-init-name")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try PlanScaffold(today: day, organisation: name).write(into: root)
        let c = try Pipeline.compile(root: root)
        #expect(c.config.organisation == name)
        #expect(c.diagnostics.isEmpty)
    }

    @Test func scaffoldShipsTheGeneratedSchemasWithModelines() throws {
        let scaffold = PlanScaffold(today: Day(Self.today)!)
        let shipped = scaffold.files.filter { $0.path.hasPrefix("schemas/") }
        #expect(shipped.map(\.path) == JSONSchemaGenerator.files().map { "schemas/" + $0.fileName })
        #expect(shipped.map(\.contents) == JSONSchemaGenerator.files().map(\.text))
        for file in scaffold.files where file.path.hasSuffix(".yaml") && !file.path.hasPrefix(".") {
            let first = file.contents.prefix { $0 != "\n" }
            let prefix = "# yaml-language-server: $schema="
            try #require(first.hasPrefix(prefix), "\(file.path) has no modeline")
            let target = URL(fileURLWithPath: "/repo/" + file.path).deletingLastPathComponent()
                .appendingPathComponent(String(first.dropFirst(prefix.count))).standardizedFileURL.path
            let expected = file.path == "strata.yaml" ? "/repo/schemas/strata.schema.json" : "/repo/schemas/plan.schema.json"
            #expect(target == expected, "\(file.path): the modeline points at \(target)")
        }
    }

    @Test func scaffoldPlansValidateAgainstTheSchemasTheyShip() throws {
        let (root, r) = try Self.initialised()
        defer { Self.remove(root) }
        #expect(r.status == 0)
        let plans = SchemaValidationTests.files(under: root.appendingPathComponent("plans")).map { "plans/" + $0 }
        #expect(plans.count == 9)
        let v = try SchemaValidationTests.validate(["strata.yaml"] + plans, in: root, schemas: root.appendingPathComponent("schemas"))
        #expect(v.status == 0, "\(SchemaValidationTests.describe(v))")
        #expect((v.report?.files.count ?? 0) >= 1 + 2 * plans.count)
    }

    // MARK: - CI and hooks

    static func checkJSONSchema(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let temp = try makeTemporaryFolder("strata-check-jsonschema")
        defer { try? FileManager.default.removeItem(at: temp) }
        let log = temp.appendingPathComponent("log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["check-jsonschema"] + arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: log), as: UTF8.self))
    }

    @Test func workflowValidatesAgainstGitHubsWorkflowSchema() throws {
        let (root, r) = try Self.initialised()
        defer { Self.remove(root) }
        #expect(r.status == 0)
        let workflow = root.appendingPathComponent(".github/workflows/strata.yml")
        for schema in ["vendor.github-workflows", "custom.github-workflows-require-timeout"] {
            let result = try Self.checkJSONSchema(["--builtin-schema", schema, workflow.path])
            #expect(result.status == 0, "check-jsonschema --builtin-schema \(schema): \(result.output) (scripts/setup --test installs check-jsonschema)")
        }
    }

    @Test func workflowChecksCommentsAndBuilds() throws {
        let text = try #require(PlanScaffold(today: Day(Self.today)!).files.first { $0.path == ".github/workflows/strata.yml" }).contents
        for expected in [
            "pull_request:", "cron: ", "workflow_dispatch:", "STRATA_REPOSITORY: \(PlanScaffold.defaultRepository)",
            "apt-get install", "libyaml-dev libcmark-dev", "git clone --quiet --depth 1 --branch \"$STRATA_REF\" \"$STRATA_REPOSITORY\"",
            "run: strata check --format github", "fetch-depth: 0", "pull-requests: write",
            "strata diff \"origin/$BASE\" --format markdown > strata-diff.md", "gh pr comment \"$PR\"", "BASE: ${{ github.base_ref }}",
            "run: strata build", "uses: actions/upload-artifact@v4", "path: output/",
        ] {
            #expect(text.contains(expected), "the workflow lacks \(expected)")
        }
    }

    @Test func preCommitHooksRunStrataCheck() throws {
        let scaffold = try #require(PlanScaffold(today: Day(Self.today)!).files.first { $0.path == ".pre-commit-config.yaml" }).contents
        let hooks = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        for (name, text, path, language) in [("scaffold", scaffold, "repos.0.hooks.0", "system"), ("repository", hooks, "0", "swift")] {
            let parsed = parseYAML(text)
            #expect(parsed.diagnostics.isEmpty, "\(name): \(parsed.diagnostics.map(\.message))")
            let hook = try #require(parsed.docs.first?.root.at(path), "\(name) has no hook at \(path)")
            #expect(hook["id"]?.scalar == "strata-check")
            #expect(hook["entry"]?.scalar == "strata check")
            #expect(hook["language"]?.scalar == language)
            #expect(hook["pass_filenames"]?.scalar == "false")
            let files = try #require(hook["files"]?.scalar)
            let regex = try NSRegularExpression(pattern: files)
            for (file, runs) in [("strata.yaml", true), ("plans/okrs/2026-q4/teams.md", true), ("README.md", false), ("output/index.html", false)] {
                #expect((regex.firstMatch(in: file, range: NSRange(file.startIndex..., in: file)) != nil) == runs, "\(name): files \(files) on \(file)")
            }
        }
    }
}
