import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Strata

/// Files and data: ids never become paths outside the output folder or overwrite each
/// other; symbolic links are never followed out of the repository or into a victim file;
/// the output folder cannot be a place that holds plans; a killed build leaves a complete
/// tree; and builds are byte-identical whatever the process, file order, time zone or locale.
@Suite(.serialized) struct OutputSafetyTests {
    typealias Tree = [(path: String, data: Data)]

    static func same(_ a: Tree, _ b: Tree) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.path == $1.path && $0.data == $1.data }
    }

    // MARK: - Ids as paths

    @Test func idsThatWouldBePathsAreRejected() throws {
        let bad = ["../x", "/abs", "a/b", ".", "..", "x..y", ".hidden", "a\\\\b", "-x", String(repeating: "a", count: 129)]
        let people = bad.map { "  - {id: \"\($0)\", name: P}\n" }.joined()
        let teams = bad.map { "  - {id: \"\($0)\", name: T}\n" }.joined()
        let goals = bad.map { "  - {id: \"\($0)\", title: G, metric: {start: 1, target: 2}, due: 2027-01-01}\n" }.joined()
        let repo = try HostileRepo("bad-ids", texts: [
            "plans/org.yaml": "kind: org\nteams:\n\(teams)people:\n\(people)",
            "plans/goals.yaml": "kind: goals\ngoals:\n\(goals)",
        ])
        defer { repo.remove() }
        let checked = try repo.check()
        #expect(checked.status == 1)
        let invalid = checked.diagnostics.filter { $0.rule == "invalid-value" && $0.message.hasSuffix("is not a valid id") }
        // Every id, in every file, is rejected where it is written.
        #expect(invalid.count == bad.count * 3, "\(invalid.map(\.description))")
        #expect(invalid.filter { $0.range.file == "plans/org.yaml" }.map(\.range.start.line) == Array(3..<(3 + bad.count)) + Array((4 + bad.count)..<(4 + 2 * bad.count)))
        #expect(invalid.allSatisfy { $0.range.start.column == 10 || $0.range.start.column == 12 }, "\(invalid.map(\.description))")
        #expect(try repo.build().status == 1)
        repo.assertNothingWritten()
    }

    /// The writer's last line of defence, whatever the renderer hands it.
    @Test func writerRefusesPathsThatLeaveTheOutputFolder() {
        let unsafe = ["", "/", "/abs", "/etc/passwd", "a//b", "a/", "./a", "a/./b", "..", "../x", "a/../../x",
                      "a\\b", "a\u{0}b", "people/..", "."]
        for path in unsafe { #expect(!OutputWriter.isSafe(path), "\(path.debugDescription)") }
        let safe = ["index.html", "people/p1.html", "reports/2026-q4/owners/ana.md", "x..y", ".hidden/a", "a/...", "é/ü.html"]
        for path in safe { #expect(OutputWriter.isSafe(path), "\(path.debugDescription)") }
    }

    /// Valid ids that differ only by case, that share their first 64 characters, or that
    /// fold to the same ASCII, get distinct files; each page belongs to its own id.
    @Test func collidingIDsGetDistinctFiles() throws {
        let long = String(repeating: "a", count: 100)
        let han = String(repeating: "漢", count: 42)  // 126 bytes, a valid id
        let people: [(String, String)] = [("Ana", "Ana upper"), ("ana", "Ana lower"), ("ANA", "Ana caps"), ("ana-2", "Ana two"),
                                          (long + "1", "Long one"), (long + "2", "Long two"), ("Émile", "Emile accented"), ("emile", "Emile plain"),
                                          (han, "Han"), (String(han.dropLast()) + "字", "Han two")]
        let teams: [(String, String)] = [("Sales", "Sales upper"), ("sales", "Sales lower"), ("SALES", "Sales caps")]
        var org = "kind: org\nteams:\n"
        for (i, t) in teams.enumerated() { org += "  - {id: \(t.0), name: \(t.1), lead: \(people[i].0)}\n" }
        org += "people:\n"
        for (i, p) in people.enumerated() { org += "  - {id: \(p.0), name: \(p.1), team: \(teams[i % 3].0)}\n" }
        var okrs = "kind: okrs\nobjectives:\n"
        let periods = ["2026-Q4", "FY2026-Q4", "2026-11", "2026-H2"]
        for (i, p) in people.enumerated() {
            okrs += "  - {id: o\(i), title: O\(i), owner: \(p.0), team: \(teams[i % 3].0), period: \(periods[i % 4]), key_results: [{title: K, done: false}, {title: L, done: true}]}\n"
        }
        let repo = try HostileRepo("colliding", texts: ["plans/org.yaml": org, "plans/okrs.yaml": okrs],
                                   config: "organisation: Collide\nas_of: 2026-11-20\nrules: {checkin-stale: off, orphan-objective: off, cascade-period: off}\n")
        defer { repo.remove() }
        let built = try repo.build()
        #expect(built.status == 0, "\(built.stderr)")
        let tree = try ReportTools.tree(repo.output)
        let paths = tree.map(\.path)
        #expect(Set(paths.map { $0.lowercased() }).count == paths.count, "paths differ only by case")
        #expect(paths.allSatisfy { OutputWriter.isSafe($0) && $0.split(separator: "/").allSatisfy { $0.utf8.count <= 100 } }, "\(paths)")
        let personPages = paths.filter { $0.hasPrefix("people/") }
        let teamPages = paths.filter { $0.hasPrefix("teams/") }
        #expect(personPages.count == people.count, "\(personPages)")
        #expect(teamPages.count == teams.count, "\(teamPages)")
        // Each page is the page of a different person: its <h1> is that person's name.
        var owners: [String: String] = [:]
        for page in personPages + teamPages {
            let dom = try InjectionTests.parse(repo.output.appendingPathComponent(page))
            let h1 = dom.first("h1")?.visibleText ?? ""
            #expect(owners[h1] == nil, "\(page) and \(owners[h1] ?? "") both show \(h1)")
            owners[h1] = page
        }
        for name in people.map(\.1) + teams.map(\.1) {
            #expect(owners.keys.contains { $0.hasPrefix(name) }, "no page for \(name): \(owners.keys.sorted())")
        }
        // One scorecard per period, each its own file.
        let scorecards = paths.filter { $0.hasPrefix("scorecards/") }
        #expect(scorecards.count == periods.count, "\(scorecards)")
        // Links from the overview reach every person's page.
        let index = try InjectionTests.parse(repo.output.appendingPathComponent("index.html"))
        let linked = Set(index.all("a").compactMap { $0.attr("href") }.filter { $0.hasPrefix("people/") })
        #expect(linked == Set(personPages), "\(linked.sorted()) vs \(personPages)")
    }

    // MARK: - Symbolic links

    /// A fresh repository with one clean plan, built once.
    func builtRepo(_ name: String) throws -> HostileRepo {
        let repo = try HostileRepo(name, texts: ["plans/org.yaml": "kind: org\npeople:\n  - {id: ana, name: Ana}\n"])
        let r = try repo.build()
        #expect(r.status == 0, "\(r.stderr)")
        return repo
    }

    @Test func symlinksPlantedInTheOutputAreReplacedNotFollowed() throws {
        let repo = try builtRepo("planted")
        defer { repo.remove() }
        let outside = try makeTemporaryFolder("strata-victim")
        defer { try? FileManager.default.removeItem(at: outside) }
        let victim = outside.appendingPathComponent("victim.html")
        try write("VICTIM\n", to: victim)
        try write("KEEP\n", to: outside.appendingPathComponent("folder/keep.txt"))
        let fm = FileManager.default
        // A file the build writes, a folder the build writes, and a stray link.
        try fm.removeItem(at: repo.output.appendingPathComponent("index.html"))
        try fm.createSymbolicLink(at: repo.output.appendingPathComponent("index.html"), withDestinationURL: victim)
        try fm.removeItem(at: repo.output.appendingPathComponent("people"))
        try fm.createSymbolicLink(at: repo.output.appendingPathComponent("people"), withDestinationURL: outside.appendingPathComponent("folder"))
        try fm.createSymbolicLink(at: repo.output.appendingPathComponent("stray"), withDestinationURL: outside)
        let r = try repo.build()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "VICTIM\n")
        #expect(try String(contentsOf: outside.appendingPathComponent("folder/keep.txt"), encoding: .utf8) == "KEEP\n")
        #expect(try fm.contentsOfDirectory(atPath: outside.appendingPathComponent("folder").path) == ["keep.txt"])
        for path in ["index.html", "people", "people/ana.html"] {
            let type = try fm.attributesOfItem(atPath: repo.output.appendingPathComponent(path).path)[.type] as? FileAttributeType
            #expect(type != .typeSymbolicLink, "\(path) is still a link")
        }
        #expect(!fm.fileExists(atPath: repo.output.appendingPathComponent("stray").path))
        #expect(fm.fileExists(atPath: outside.path), "the build followed the stray link and deleted its target")
    }

    @Test func outputFolderThatIsASymlinkIsReplacedNotFollowed() throws {
        let repo = try HostileRepo("output-link", texts: ["plans/org.yaml": "kind: org\npeople:\n  - {id: ana, name: Ana}\n"])
        defer { repo.remove() }
        let outside = try makeTemporaryFolder("strata-victim-folder")
        defer { try? FileManager.default.removeItem(at: outside) }
        try write("VICTIM\n", to: outside.appendingPathComponent("index.html"))
        try FileManager.default.createSymbolicLink(at: repo.output, withDestinationURL: outside)
        let r = try repo.build()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["index.html"])
        #expect(try String(contentsOf: outside.appendingPathComponent("index.html"), encoding: .utf8) == "VICTIM\n")
        let type = try FileManager.default.attributesOfItem(atPath: repo.output.path)[.type] as? FileAttributeType
        #expect(type == .typeDirectory)
    }

    /// Links that lead out of the repository are not read: a link to a plan file, to a
    /// folder inside plans/, the plans folder itself, and strata.yaml.
    @Test func symlinksLeadingOutOfTheRepositoryAreNotRead() throws {
        let outside = try makeTemporaryFolder("strata-outside")
        defer { try? FileManager.default.removeItem(at: outside) }
        let secret = "kind: org\npeople:\n  - {id: spy, name: SECRET-TOKEN-123}\n"
        try write(secret, to: outside.appendingPathComponent("plans/secret.yaml"))
        try write("organisation: SECRET-TOKEN-123\n", to: outside.appendingPathComponent("strata.yaml"))
        let fm = FileManager.default
        let setups: [(String, (HostileRepo) throws -> Void, String)] = [
            ("file", { try fm.createSymbolicLink(atPath: $0.root.appendingPathComponent("plans/link.yaml").path, withDestinationPath: outside.appendingPathComponent("plans/secret.yaml").path) }, "plans/link.yaml"),
            ("relative folder", { try fm.createSymbolicLink(atPath: $0.root.appendingPathComponent("plans/ext").path, withDestinationPath: "../../" + outside.lastPathComponent + "/plans") }, "plans/ext"),
            ("plans folder", { r in
                try fm.removeItem(at: r.root.appendingPathComponent("plans"))
                try fm.createSymbolicLink(atPath: r.root.appendingPathComponent("plans").path, withDestinationPath: outside.appendingPathComponent("plans").path)
            }, "plans"),
            ("strata.yaml", { r in
                try fm.removeItem(at: r.root.appendingPathComponent("strata.yaml"))
                try fm.createSymbolicLink(atPath: r.root.appendingPathComponent("strata.yaml").path, withDestinationPath: outside.appendingPathComponent("strata.yaml").path)
            }, "strata.yaml"),
        ]
        for (name, setup, at) in setups {
            // The repository sits beside `outside`, so the relative link resolves there.
            let root = outside.deletingLastPathComponent().appendingPathComponent("strata-inside-\(UUID().uuidString)")
            let repo = HostileRepo(existing: root)
            try write("organisation: Inside\nas_of: 2026-11-20\n", to: root.appendingPathComponent("strata.yaml"))
            try fm.createDirectory(at: root.appendingPathComponent("plans"), withIntermediateDirectories: true)
            defer { repo.remove() }
            try setup(repo)
            let checked = try repo.check()
            #expect(checked.status == 1, "\(name): exit \(checked.status)")
            let io = checked.diagnostics.filter { $0.rule == "io-error" }
            #expect(io.map { "\($0.range.file):\($0.range.start.line):\($0.range.start.column)" } == ["\(at):1:1"], "\(name): \(checked.diagnostics.map(\.description))")
            #expect(!checked.stderr.contains("SECRET-TOKEN") && !checked.diagnostics.contains { $0.message.contains("SECRET-TOKEN") || $0.message.contains("spy") }, "\(name): outside text was read")
            let built = try repo.build()
            #expect(built.status == 1, "\(name): build exited \(built.status)")
            repo.assertNothingWritten()
        }
    }

    // MARK: - Where the output may go

    @Test func outputFolderMayNotHoldThePlans() throws {
        let repo = try HostileRepo("output-path", texts: ["plans/org.yaml": "kind: org\npeople:\n  - {id: ana, name: Ana}\n"])
        defer { repo.remove() }
        let fm = FileManager.default
        try fm.createSymbolicLink(at: repo.root.appendingPathComponent("root-link"), withDestinationURL: repo.root)
        // What must not change: the plans, strata.yaml and the repository's entries.
        func snapshot() throws -> (Tree, [String], Data) {
            (try ReportTools.tree(repo.root.appendingPathComponent("plans")), try fm.contentsOfDirectory(atPath: repo.root.path).sorted(),
             try Data(contentsOf: repo.root.appendingPathComponent("strata.yaml")))
        }
        let before = try snapshot()
        let parent = repo.root.deletingLastPathComponent()
        let parentBefore = try fm.contentsOfDirectory(atPath: parent.path).filter { $0.hasPrefix(".") }.sorted()
        let outputs = [repo.root.path, repo.root.appendingPathComponent("plans").path, parent.path, "/",
                       repo.root.path + "/plans/..", repo.root.appendingPathComponent("root-link").path, repo.root.path + "/./plans/"]
        for output in outputs {
            let r = try CLITests.run(["build", "--root", repo.root.path, "--output", output, "--no-color"])
            #expect(r.status == 2, "--output \(output) exited \(r.status): \(r.stderr)")
            #expect(r.stderr.contains("[output-path]"), "--output \(output): \(r.stderr)")
        }
        for config in ["output: plans", "output: .", "output: ./plans/", "output: root-link"] {
            try write("organisation: X\nas_of: 2026-11-20\n\(config)\n", to: repo.root.appendingPathComponent("strata.yaml"))
            let r = try CLITests.run(["build", "--root", repo.root.path, "--no-color"])
            #expect(r.status == 2, "\(config) exited \(r.status): \(r.stderr)")
        }
        try write("organisation: Hostile\nas_of: 2026-11-20\n", to: repo.root.appendingPathComponent("strata.yaml"))
        let after = try snapshot()
        #expect(Self.same(before.0, after.0) && before.1 == after.1 && before.2 == after.2, "the repository changed: \(after.1)")
        #expect(try fm.contentsOfDirectory(atPath: parent.path).filter { $0.hasPrefix(".") }.sorted() == parentBefore, "staging folders left beside the repository")
    }

    // MARK: - Killed builds

    /// A plan of `count` objectives; `tag` changes every title, so two tags give two
    /// different output trees.
    static func largePlan(_ count: Int, tag: String) -> [String: String] {
        let people = (0..<40).map { "  - {id: p\($0), name: Person \($0) \(tag), team: t\($0 % 8)}\n" }.joined()
        let teams = (0..<8).map { "  - {id: t\($0), name: Team \($0) \(tag), lead: p\($0)}\n" }.joined()
        let goals = (0..<5).map { "  - {id: G\($0), title: Goal \($0) \(tag), owner: p\($0), metric: {start: 1, target: 2}, due: 2027-06-30}\n" }.joined()
        let objectives = (0..<count).map { i in
            "  - id: o\(i)\n    title: Objective \(i) \(tag)\n    parent: G\(i % 5)\n    owner: p\(i % 40)\n    team: t\(i % 8)\n    key_results:\n"
                + "      - {title: Grow from 0 to 10 users, start: 0 users, target: 10 users, current: \(i % 10) users}\n      - {title: L, done: true}\n"
        }.joined()
        return ["plans/org.yaml": "kind: org\nteams:\n\(teams)people:\n\(people)",
                "plans/goals.yaml": "kind: goals\ngoals:\n\(goals)",
                "plans/okrs.yaml": "kind: okrs\nperiod: 2026-Q4\nobjectives:\n\(objectives)"]
    }

    /// Starts `strata build` of `root` into `output` and kills it with SIGKILL after
    /// `delay` seconds, or as soon as `when` is true (polled every millisecond).
    static func killedBuild(root: URL, output: URL, after delay: TimeInterval, when: (() -> Bool)? = nil) throws {
        let process = Process()
        process.executableURL = try ReportTools.strataBinary()
        process.arguments = ["build", "--root", root.path, "--output", output.path, "--no-color"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(delay)
        while Date() < deadline && process.isRunning && !(when?() ?? false) { usleep(1000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func leftovers(beside output: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)) ?? []
        return names.filter { $0.hasPrefix("." + output.lastPathComponent + ".strata-") }.sorted()
    }

    /// SIGKILL at several points leaves the old complete tree or the new complete tree,
    /// never a mix; a staging folder left by the kill is removed by the next build.
    @Test func killedBuildLeavesTheOldOrTheNewTree() throws {
        let folder = try makeTemporaryFolder("strata-kill").resolvingSymlinksInPath()
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = try HostileRepo("kill-a", texts: Self.largePlan(300, tag: "alpha"))
        let b = try HostileRepo("kill-b", texts: Self.largePlan(300, tag: "beta"))
        defer { a.remove(); b.remove() }
        // The two complete trees.
        let refA = folder.appendingPathComponent("ref-a"), refB = folder.appendingPathComponent("ref-b")
        try ReportTools.build(root: a.root, output: refA)
        try ReportTools.build(root: b.root, output: refB)
        let treeA = try ReportTools.tree(refA), treeB = try ReportTools.tree(refB)
        #expect(!Self.same(treeA, treeB))

        let output = folder.appendingPathComponent("site")
        try ReportTools.build(root: a.root, output: output)
        var observations: [String] = []
        func observe(_ label: String) throws {
            let tree = try ReportTools.tree(output)
            let which = Self.same(tree, treeA) ? "old" : Self.same(tree, treeB) ? "new" : "MIXED"
            let left = Self.leftovers(beside: output)
            observations.append("\(label): \(which) tree, \(left.count) staging folder(s)")
            #expect(which != "MIXED", "\(label): the output is neither the old nor the new tree (\(tree.count) files)")
        }
        for ms in [5, 20, 50, 100, 200, 400, 800] {
            // Start from the old tree each time, so a kill can be told apart from success.
            if !Self.same(try ReportTools.tree(output), treeA) { try ReportTools.build(root: a.root, output: output) }
            try Self.killedBuild(root: b.root, output: output, after: Double(ms) / 1000)
            try observe("killed after \(ms) ms")
            if !Self.leftovers(beside: output).isEmpty {
                // The next build removes the leftover and swaps in its own complete tree.
                try ReportTools.build(root: a.root, output: output)
                #expect(Self.leftovers(beside: output).isEmpty, "after \(ms) ms: leftovers survive the next build")
                #expect(Self.same(try ReportTools.tree(output), treeA))
            }
        }
        // Killed while the new tree is being written: wait for the staging folder to fill.
        if !Self.same(try ReportTools.tree(output), treeA) { try ReportTools.build(root: a.root, output: output) }
        let fm = FileManager.default
        try Self.killedBuild(root: b.root, output: output, after: 60) {
            Self.leftovers(beside: output).contains { fm.fileExists(atPath: output.deletingLastPathComponent().appendingPathComponent($0).appendingPathComponent("people").path) }
        }
        try observe("killed while writing")
        #expect(Self.same(try ReportTools.tree(output), treeA), "a kill while writing must leave the old tree")
        #expect(!Self.leftovers(beside: output).isEmpty, "the kill while writing left no staging folder to clean up")
        // Killed right after the swap, while the old tree (now in the staging folder) is
        // being removed: the output folder is a new inode from the moment of the swap.
        try ReportTools.build(root: a.root, output: output)
        let before = try fm.attributesOfItem(atPath: output.path)[.systemFileNumber] as? UInt64
        try Self.killedBuild(root: b.root, output: output, after: 60) {
            ((try? fm.attributesOfItem(atPath: output.path)[.systemFileNumber]) as? UInt64) != before
        }
        try observe("killed after the swap")
        // The next build removes every leftover and swaps in its tree.
        try ReportTools.build(root: b.root, output: output)
        #expect(Self.leftovers(beside: output).isEmpty, "leftovers after the next build: \(Self.leftovers(beside: output))")
        #expect(Self.same(try ReportTools.tree(output), treeB))
        print("OutputSafetyTests.killedBuildLeavesTheOldOrTheNewTree:\n  " + observations.joined(separator: "\n  "))
    }

    // MARK: - Determinism

    /// Two builds in separate processes, from copies of a plan whose files were created in
    /// opposite orders, under different time zones and locales, give byte-identical trees.
    @Test func buildsAreByteIdenticalAcrossFileOrderTimeZoneAndLocale() throws {
        let source = InjectionTests.root
        let files = try ReportTools.tree(source).map(\.path)
        #expect(files.count >= 8)
        let folder = try makeTemporaryFolder("strata-determinism")
        defer { try? FileManager.default.removeItem(at: folder) }
        var trees: [Tree] = []
        let environments: [[String: String]] = [
            ["TZ": "UTC", "LANG": "C", "LC_ALL": "C"],
            ["TZ": "Pacific/Kiritimati", "LANG": "tr_TR.UTF-8", "LC_ALL": "tr_TR.UTF-8", "LC_COLLATE": "tr_TR.UTF-8"],
            ["TZ": "America/St_Johns", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "LC_NUMERIC": "de_DE.UTF-8"],
        ]
        for (i, env) in environments.enumerated() {
            let root = folder.appendingPathComponent("copy-\(i)")
            // Created in sorted, reversed and interleaved order: directory order differs.
            let order = i == 0 ? files : i == 1 ? files.reversed() : files.enumerated().sorted { ($0.offset % 2, $0.offset) < ($1.offset % 2, $1.offset) }.map(\.element)
            for path in order {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: source.appendingPathComponent(path), to: url)
            }
            let output = folder.appendingPathComponent("out-\(i)")
            var environment = ReportBuildTests.environment(env)
            environment["NO_COLOR"] = "1"
            try ReportTools.build(root: root, output: output, environment: environment)
            trees.append(try ReportTools.tree(output))
        }
        #expect(trees[0].count >= 15)
        for t in trees.dropFirst() {
            #expect(t.map(\.path) == trees[0].map(\.path))
            for (x, y) in zip(trees[0], t) where x.data != y.data { Issue.record("\(x.path) differs between builds") }
        }
    }
}

extension HostileRepo {
    /// A repository at `root` that the caller fills.
    init(existing root: URL) { self.root = root }
}
