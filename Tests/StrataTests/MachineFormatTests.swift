import Foundation
import Testing

/// `strata check --format github` (workflow commands) and `--format sarif` (SARIF 2.1.0) on
/// Fixtures/diff/formats: errors, warnings and notes, diagnostics with notes, and a plan file
/// whose name holds `%`, `:` and `,` (copied in from `odd-name.yaml.in`). Goldens in
/// Snapshots/diff/. SARIF is validated with scripts/validate-sarif.py (sarif-om); the tests
/// fail, not skip, when python3 or sarif-om is missing.
@Suite struct MachineFormatTests {
    static let oddName = "plans/q4: 50%, done.yaml"

    /// A copy of the fixture with the odd-named file in place.
    static func fixture() throws -> URL {
        let root = try DiffSupport.copyFixture("formats")
        try FileManager.default.moveItem(at: root.appendingPathComponent("odd-name.yaml.in"), to: root.appendingPathComponent(oddName))
        return root
    }

    static func check(_ root: URL, _ format: String) throws -> DiffSupport.Output {
        try DiffSupport.run(try DiffSupport.strata(), ["check", "--root", root.path, "--format", format],
                            environment: DiffSupport.isolatedEnvironment(home: root))
    }

    /// python3 with sarif-om importable; fails the test otherwise.
    static func python() throws -> URL {
        let python = try DiffSupport.requireTool("python3", "SARIF is validated with scripts/validate-sarif.py")
        let probe = try DiffSupport.run(python, ["-c", "import sarif_om, attr"])
        try #require(probe.status == 0, "python3 cannot import sarif_om (pip install sarif-om): \(probe.stderr)")
        return python
    }

    static func validateSARIF(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> DiffSupport.Output {
        let python = try python()
        let folder = try makeTemporaryFolder("strata-sarif")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("log.sarif")
        try Data(text.utf8).write(to: file)
        return try DiffSupport.run(python, [TestPaths.packageRoot.appendingPathComponent("scripts/validate-sarif.py").path, file.path])
    }

    /// Checks with Python's json module that every result's ruleIndex points at its rule and
    /// that relatedLocations carry the notes; prints one line per problem.
    static let pythonRuleIndexCheck = #"""
        import json, sys
        log = json.load(open(sys.argv[1]))
        problems = []
        for run in log["runs"]:
            rules = run["tool"]["driver"]["rules"]
            ids = [r["id"] for r in rules]
            if ids != sorted(ids) or len(set(ids)) != len(ids):
                problems.append("rules are not sorted and unique")
            for i, res in enumerate(run["results"]):
                k = res.get("ruleIndex")
                if not isinstance(k, int) or not 0 <= k < len(rules):
                    problems.append(f"result {i}: ruleIndex {k!r} out of range")
                elif rules[k]["id"] != res["ruleId"]:
                    problems.append(f"result {i}: ruleIndex {k} is {rules[k]['id']}, not {res['ruleId']}")
                for j, rel in enumerate(res.get("relatedLocations", [])):
                    if rel.get("id") != j + 1 or not rel.get("message", {}).get("text"):
                        problems.append(f"result {i}: relatedLocations[{j}] needs id {j + 1} and a message")
        print("\n".join(problems) or "ok")
        sys.exit(1 if problems else 0)
        """#

    static func pythonCheck(_ sarif: String) throws -> DiffSupport.Output {
        let python = try python()
        let folder = try makeTemporaryFolder("strata-sarif-py")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("log.sarif"), script = folder.appendingPathComponent("check.py")
        try Data(sarif.utf8).write(to: file)
        try Data(pythonRuleIndexCheck.utf8).write(to: script)
        return try DiffSupport.run(python, [script.path, file.path])
    }

    // MARK: - GitHub workflow commands

    /// Splits `::command k=v,k=v::data` into its parts (properties unescaped).
    static func parseCommand(_ line: Substring) -> (command: String, properties: [String: String], data: String)? {
        guard line.hasPrefix("::") else { return nil }
        let rest = line.dropFirst(2)
        guard let sep = rest.range(of: "::") else { return nil }
        let head = rest[..<sep.lowerBound], data = String(rest[sep.upperBound...])
        let space = head.firstIndex(of: " ") ?? head.endIndex
        var properties: [String: String] = [:]
        for pair in head[space...].dropFirst().split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, properties[String(kv[0])] == nil else { return nil }
            properties[String(kv[0])] = unescape(String(kv[1]))
        }
        return (String(head[..<space]), properties, data)
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0D", with: "\r")
            .replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",").replacingOccurrences(of: "%25", with: "%")
    }

    @Test func githubAnnotationsMatchTheGolden() throws {
        let root = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: root) }
        let r = try Self.check(root, "github")
        #expect(r.status == 1)
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        try assertGolden(r.stdout, at: DiffSupport.snapshots.appendingPathComponent("formats.github.txt"))

        let lines = r.stdout.split(separator: "\n")
        #expect(r.stdout.hasSuffix("\n"))
        var commands: Set<String> = []
        for line in lines {
            let c = try #require(Self.parseCommand(line), "not a workflow command: \(line)")
            commands.insert(c.command)
            // Every property is there once: an unescaped ',' or ':' would add or break one.
            #expect(Set(c.properties.keys) == ["file", "line", "col", "endLine", "endColumn", "title"], "\(line)")
            #expect(c.properties["title"]?.hasPrefix("strata ") == true)
            for key in ["line", "col", "endLine", "endColumn"] { #expect((Int(c.properties[key] ?? "") ?? 0) >= 1, "\(key) in \(line)") }
            #expect(!c.data.contains("\n") && !c.data.contains("\r"))
            // '%' in data is always the start of an escape.
            #expect(c.data.replacingOccurrences(of: "%25", with: "").replacingOccurrences(of: "%0A", with: "").replacingOccurrences(of: "%0D", with: "").contains("%") == false, "\(line)")
        }
        #expect(commands == ["error", "warning", "notice"])
        // The odd file name: escaped in the file property, only '%' escaped in the message.
        let odd = try #require(lines.first { $0.contains("kr-start-equals-target") })
        #expect(odd.hasPrefix("::warning file=plans/q4%3A 50%25%2C done.yaml,line=12,"), "\(odd)")
        #expect(Self.parseCommand(odd)?.properties["file"] == Self.oddName)
        #expect(odd.contains("::key result 'o3.kr2' starts at its target (5%25)%0Aplans/q4: 50%25, done.yaml:12:52: start is 5%25%0Ahelp: "), "\(odd)")
        // A diagnostic with a note: the note's location and text follow the message.
        let duplicate = try #require(lines.first { $0.contains("title=strata duplicate-id") })
        #expect(duplicate.hasPrefix("::error file=plans/okrs.yaml,line=12,col=9,"))
        #expect(duplicate.contains("%0Aplans/okrs.yaml:6:9: 'o1' is first defined here%0Ahelp: "))
        let note = try #require(lines.first { $0.hasPrefix("::notice ") })
        #expect(note.contains("title=strata owner-idle"))
    }

    @Test func workflowCommandEscapingOfPropertiesAndData() throws {
        // Titles, values and file names with %, : and , (and line breaks) cannot end a property
        // or a command early.
        let root = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("kind: goals\ngoals:\n  - { id: G9, title: \"Odd: 100%, sure\", owner: \"x:y,z\", perspective: customer, metric: { start: 1, target: 2 }, due: 2027-01-01 }\n",
                  to: root.appendingPathComponent("plans/a, b: 10%.yaml"))
        let r = try Self.check(root, "github")
        let lines = r.stdout.split(separator: "\n").filter { $0.contains("file=plans/a%2C b%3A 10%25.yaml,") }
        #expect(!lines.isEmpty, "\(r.stdout)")
        for line in lines {
            let c = try #require(Self.parseCommand(line))
            #expect(c.properties["file"] == "plans/a, b: 10%.yaml")
            #expect(c.properties.count == 6)
        }
        #expect(lines.contains { $0.contains("'x:y,z'") }, "a value with ':' and ',' stays readable in the message: \(lines)")
    }

    @Test func controlCharactersInAnnotationsAreShownNotSent() throws {
        // YAML's "\e" puts an ESC into a value; the annotation shows it as \u{1B}.
        let root = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("kind: goals\ngoals:\n  - { id: \"\\e[31mG9\", title: T, owner: x, perspective: customer, metric: { start: 1, target: 2 }, due: 2027-01-01 }\n",
                  to: root.appendingPathComponent("plans/esc.yaml"))
        let r = try Self.check(root, "github")
        #expect(!r.stdout.unicodeScalars.contains { $0.value == 0x1B }, "\(r.stdout)")
        #expect(r.stdout.contains("\\u{1B}[31mG9"), "\(r.stdout)")
    }

    // MARK: - SARIF

    @Test func sarifMatchesTheGoldenAndValidates() throws {
        let root = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: root) }
        let r = try Self.check(root, "sarif")
        #expect(r.status == 1)
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        try assertGolden(r.stdout, at: DiffSupport.snapshots.appendingPathComponent("formats.sarif.json"))

        let validation = try Self.validateSARIF(r.stdout)
        #expect(validation.status == 0, "validate-sarif.py:\n\(validation.stdout)\(validation.stderr)")
        let python = try Self.pythonCheck(r.stdout)
        #expect(python.status == 0 && python.stdout == "ok\n", "\(python.stdout)\(python.stderr)")

        let log = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(Set(results.compactMap { $0["level"] as? String }) == ["error", "warning", "note"])
        let duplicate = try #require(results.first { $0["ruleId"] as? String == "duplicate-id" })
        let related = try #require(duplicate["relatedLocations"] as? [[String: Any]])
        #expect(related.count == 1)
        #expect((related.first?["message"] as? [String: Any])?["text"] as? String == "'o1' is first defined here")
        let odd = try #require(results.first { $0["ruleId"] as? String == "kr-start-equals-target" })
        let uri = ((((odd["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String)
        #expect(uri == "plans/q4%3A%2050%25,%20done.yaml")
        #expect(URL(string: uri ?? "")?.path.removingPercentEncoding == Self.oddName || uri?.removingPercentEncoding == Self.oddName)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
    }

    @Test func theValidatorRejectsAWrongRuleIndex() throws {
        let root = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: root) }
        let good = try Self.check(root, "sarif").stdout
        // Point the first result at the next rule: both checks must notice.
        var log = try #require(try JSONSerialization.jsonObject(with: Data(good.utf8)) as? [String: Any])
        var runs = try #require(log["runs"] as? [[String: Any]])
        var results = try #require(runs[0]["results"] as? [[String: Any]])
        results[0]["ruleIndex"] = ((results[0]["ruleIndex"] as? Int) ?? 0) + 1
        runs[0]["results"] = results
        log["runs"] = runs
        let bad = String(decoding: try JSONSerialization.data(withJSONObject: log), as: UTF8.self)
        let validation = try Self.validateSARIF(bad)
        #expect(validation.status == 1)
        #expect(validation.stdout.contains("ruleIndex: does not point at rule"), "\(validation.stdout)")
        #expect(try Self.pythonCheck(bad).status == 1)
        // An unknown property is caught by the object model.
        let extra = good.replacingOccurrences(of: "\"columnKind\"", with: "\"columnKinds\"")
        #expect(try Self.validateSARIF(extra).status == 1)
    }

    @Test func periodLockedDiagnosticsInMachineFormats() throws {
        let repo = try PlanHistory.shared()
        let github = try repo.strata("check", "--against", "d-rename", "--format", "github")
        #expect(github.status == 1)
        #expect(github.stdout == "::error file=plans/okrs/2026-q3.yaml,line=13,col=17,endLine=13,endColumn=22,title=strata period-locked::target of key result 'q3-1.arr' changed, but its period is locked (2026-Q3)%0Astrata.yaml:5:18: the lock is set here%0Ahelp: leave closed periods as they were; record new work in an open period\n")
        let sarif = try repo.strata("check", "--against", "d-rename", "--format", "sarif")
        #expect(sarif.status == 1)
        let validation = try Self.validateSARIF(sarif.stdout)
        #expect(validation.status == 0, "\(validation.stdout)")
        let python = try Self.pythonCheck(sarif.stdout)
        #expect(python.status == 0, "\(python.stdout)")
        #expect(sarif.stdout.contains("\"ruleId\" : \"period-locked\""))
    }

    @Test func cleanPlanGivesNoAnnotationsAndAnEmptyValidRun() throws {
        let repo = try PlanHistory.shared()
        let github = try repo.strata("check", "--format", "github")
        #expect(github.status == 0)
        #expect(github.stdout.isEmpty)
        let sarif = try repo.strata("check", "--format", "sarif")
        #expect(sarif.status == 0)
        #expect(try Self.validateSARIF(sarif.stdout).status == 0)
        let log = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any]
        let results = (log?["runs"] as? [[String: Any]])?.first?["results"] as? [Any]
        #expect(results?.isEmpty == true)
    }
}
