import Foundation
import Testing
@testable import Strata

/// The benchmark executable (issue 7) end to end at small scales: its generator writes the
/// same plan every time and that plan checks without errors, and a whole run prints and
/// stores the table with every stage, the bare parses and peak memory. Timings are not
/// asserted (machines here are shared and noisy): only that each is measured and shown.
@Suite(.serialized) struct BenchmarkTests {
    /// `strata-benchmark`, built beside `strata`.
    static let binary: URL? = CLITests.binary.map { $0.deletingLastPathComponent().appendingPathComponent("strata-benchmark") }
        .flatMap { FileManager.default.isExecutableFile(atPath: $0.path) ? $0 : nil }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> CLITests.Run {
        let exe = try #require(binary, "cannot find strata-benchmark beside the strata executable (swift build builds both)")
        return try CLITests.run(arguments, executable: exe, environment: environment)
    }

    /// Every file under `root` (relative path → bytes).
    static func contents(of root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let e = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in e where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            files[String(url.path.dropFirst(root.path.count))] = try Data(contentsOf: url)
        }
        return files
    }

    @Test func generatorWritesTheSamePlanEveryTimeAndItChecksClean() throws {
        let temp = try makeTemporaryFolder("strata-bench-generate").resolvingSymlinksInPath()
        defer { try? FileManager.default.removeItem(at: temp) }
        let a = temp.appendingPathComponent("a"), b = temp.appendingPathComponent("b")
        for dir in [a, b] {
            let r = try Self.run(["generate", "300", dir.path])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("generated 300 objectives in \(dir.path): "))
        }
        let first = try Self.contents(of: a), second = try Self.contents(of: b)
        #expect(first.count > 10)
        #expect(first.keys.sorted() == second.keys.sorted())
        for (path, bytes) in first { #expect(second[path] == bytes, "\(path) differs between two runs of the generator") }
        // The shape the issue asks for: YAML and Markdown OKR files, an org, check-in ledgers.
        #expect(first.keys.contains { $0.hasPrefix("/plans/okrs/") && $0.hasSuffix(".md") })
        #expect(first.keys.contains { $0.hasPrefix("/plans/okrs/") && $0.hasSuffix(".yaml") })
        #expect(first.keys.contains { $0.hasPrefix("/plans/checkins/") })
        #expect(first.keys.contains { $0.hasPrefix("/plans/org/") })

        // A realistic tree: company → departments → groups → teams, and objectives that
        // cascade company → department → group → team → person under the goals.
        let plan = try Pipeline.compile(root: a).plan
        let parentOfTeam = Dictionary(uniqueKeysWithValues: plan.teams.map { ($0.id.value, $0.parent) })
        func teamDepth(_ id: String) -> Int { parentOfTeam[id]!.map { teamDepth($0) + 1 } ?? 1 }
        #expect(plan.teams.filter { $0.parent == nil }.map(\.id.value) == ["company"])
        #expect(Set(plan.teams.map { teamDepth($0.id.value) }) == [1, 2, 3, 4])
        // 300 objectives: the company, 2 departments (one per 500, at least 2), 5 groups
        // (one per 60) and 33 teams (one per 9).
        #expect(plan.teams.count == 1 + 2 + 5 + 33)
        let objectives = Array(plan.objectives)
        let parentOfObjective = Dictionary(uniqueKeysWithValues: objectives.map { ($0.id.value, $0.parent?.value) })
        func cascadeDepth(_ id: String) -> Int { parentOfObjective[id].flatMap { $0 }.map { cascadeDepth($0) + 1 } ?? 0 }
        #expect(objectives.count == 300)
        #expect(Set(objectives.map { cascadeDepth($0.id.value) }) == [1, 2, 3, 4, 5])
        // Every plan kind: a mission, a SWOT the goals address, KPIs with readings.
        #expect(plan.mission != nil)
        #expect(plan.swot.count == 16)
        #expect(plan.goals.count == 5)
        #expect(plan.goals.allSatisfy { $0.addresses.count == 4 })
        #expect(plan.kpis.count == 2)
        #expect(Array(plan.checkins).filter { $0.subject == .kpi }.count == 20)
        #expect(!plan.initiatives.isEmpty)

        let check = try CLITests.run(["check", "--root", a.path, "--format", "one-line"])
        #expect(check.status == 0, "the synthetic plan has errors:\n\(check.stderr)")
        #expect(check.stderr.contains("strata check: 300 objectives, "))
        #expect(check.stderr.contains(": 0 errors"))
    }

    @Test func generatorWritesOnlyIntoANewOrEmptyFolder() throws {
        let fm = FileManager.default
        let temp = try makeTemporaryFolder("strata-bench-generate").resolvingSymlinksInPath()
        defer { try? fm.removeItem(at: temp) }
        // A folder with a file in it: refused, the file untouched.
        let full = temp.appendingPathComponent("full")
        try fm.createDirectory(at: full, withIntermediateDirectories: true)
        try write("mine\n", to: full.appendingPathComponent("notes.txt"))
        let r = try Self.run(["generate", "100", full.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("\(full.path) is not empty"))
        #expect(try String(contentsOf: full.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine\n")
        #expect(try fm.contentsOfDirectory(atPath: full.path) == ["notes.txt"])

        // A file, a symbolic link to an empty folder, a link to nothing: refused, left as they were.
        let file = temp.appendingPathComponent("file.txt")
        try write("mine\n", to: file)
        let emptyTarget = temp.appendingPathComponent("target")
        try fm.createDirectory(at: emptyTarget, withIntermediateDirectories: true)
        let link = temp.appendingPathComponent("link"), dangling = temp.appendingPathComponent("dangling")
        try fm.createSymbolicLink(atPath: link.path, withDestinationPath: emptyTarget.path)
        try fm.createSymbolicLink(atPath: dangling.path, withDestinationPath: temp.appendingPathComponent("nowhere").path)
        for path in [file, link, dangling] {
            let refused = try Self.run(["generate", "100", path.path])
            #expect(refused.status != 0, "\(path.lastPathComponent) was not refused")
            #expect(refused.stderr.contains("\(path.path) exists and is not a folder"))
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "mine\n")
        #expect(try fm.destinationOfSymbolicLink(atPath: link.path) == emptyTarget.path)
        #expect(try fm.destinationOfSymbolicLink(atPath: dangling.path) == temp.appendingPathComponent("nowhere").path)
        #expect(try fm.contentsOfDirectory(atPath: emptyTarget.path).isEmpty)
        #expect(!fm.fileExists(atPath: temp.appendingPathComponent("nowhere").path))

        // An empty folder is used as it is (not replaced: its permissions stay).
        let empty = temp.appendingPathComponent("empty")
        try fm.createDirectory(at: empty, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        let used = try Self.run(["generate", "100", empty.path])
        #expect(used.status == 0, "\(used.stderr)")
        #expect(fm.fileExists(atPath: empty.appendingPathComponent("strata.yaml").path))
        #expect(try fm.attributesOfItem(atPath: empty.path)[.posixPermissions] as? Int == 0o750)

        // Fewer objectives than the smallest organisation: a usage message.
        for count in ["many", "14"] {
            let usage = try Self.run(["generate", count, temp.appendingPathComponent("new-\(count)").path])
            #expect(usage.status == 2)
            #expect(usage.stderr.contains("usage: strata-benchmark generate OBJECTIVES FOLDER"))
        }
        let scales = try Self.run(["--scales", "100,7", "--work", temp.appendingPathComponent("work").path])
        #expect(scales.status == 2)
        #expect(scales.stderr.contains("--scales: whole numbers of objectives, each at least 15"))
    }

    @Test func aRunPrintsAndStoresEveryStageAtEachScale() throws {
        let temp = try makeTemporaryFolder("strata-bench-run").resolvingSymlinksInPath()
        defer { try? FileManager.default.removeItem(at: temp) }
        let doc = temp.appendingPathComponent("benchmarks.md")
        try write("# Notes before\n\n<!-- results -->\nan old table\n<!-- /results -->\n\nNotes after stay.\n", to: doc)
        // No wait for an earlier run's clean-up: these folders are small and the test's own.
        let r = try Self.run(["--scales", "100,200", "--work", temp.appendingPathComponent("work").path, "--markdown", doc.path],
                             environment: ["STRATA_BENCH_SETTLE": "0"])
        #expect(r.status == 0, "\(r.stderr)")

        let stored = try String(contentsOf: doc, encoding: .utf8)
        #expect(stored.hasPrefix("# Notes before\n\n<!-- results -->\n"))
        #expect(stored.hasSuffix("<!-- /results -->\n\nNotes after stay.\n"))
        #expect(!stored.contains("an old table"))
        let table = stored.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| ---") }.map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        }
        try #require(table.count == 3, "a header and a row per scale:\n\(stored)")
        let header = table[0]
        // Every stage the issue names, the bare parsers and peak memory, each a column.
        for column in ["load", "parse ¹", "decode ¹", "parse + decode (parallel)", "link", "check", "roll-up", "render", "write",
                       "check total", "bare libyaml", "bare cmark", "check ÷ bare", "build ÷ bare", "check peak ÷ input", "build peak MiB"] {
            #expect(header.contains(column), "no column \(column)")
        }
        for (row, scale) in zip(table.dropFirst(), ["100", "200"]) {
            #expect(row.count == header.count)
            #expect(row.first == scale)
            #expect(row.allSatisfy { Double($0)?.isFinite == true }, "not a finite number in \(row)")
            // Measured, not left at zero: the check, its ratio to the bare parse (finite only
            // when the bare parse was timed; at these sizes it rounds to 0.00 in its own
            // column) and the build's peak memory.
            for column in ["check total", "check ÷ bare", "build ÷ bare", "build peak MiB"] {
                let value = try #require(header.firstIndex(of: column).map { Double(row[$0]) ?? 0 })
                #expect(value > 0 && value.isFinite, "\(column) is \(value) at \(scale) objectives")
            }
        }
        #expect(stored.contains("- Doubling 100 → 200 objectives: build time × "))
        #expect(stored.contains("- Check at 200 objectives, three fresh processes: "))
        #expect(stored.contains("- `strata diff` of two revisions at 200 objectives: "))
        #expect(stored.contains("- Check at 200 objectives with every check-in in one ledger ("))
        #expect(stored.contains("- The floor under the build's write at 200 objectives: "))
        #expect(stored.contains("- The same write on two threads (a folder's files on one thread): "))
        #expect(stored.contains(" The check's CPU time and the write floor's (one thread) alone come to "))
        // The printed report is the stored one.
        #expect(r.stdout.contains(table.map { "| " + $0.joined(separator: " | ") + " |" }[1]))
        // The run leaves no plan or output behind, only the clean-up stamp.
        #expect(try FileManager.default.contentsOfDirectory(atPath: temp.appendingPathComponent("work").path) == [".last-cleanup"])
    }
}
