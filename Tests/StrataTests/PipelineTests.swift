import Foundation
import Testing
@testable import Strata

/// The stages after parsing, seen through `Pipeline.compile` on small plan repositories
/// written to a temporary folder, and the diagnostics machinery.
@Suite struct PipelineTests {
    /// Compiles a repository made of `files` (path → text or bytes).
    func compile(_ files: [String: String], raw: [String: [UInt8]] = [:]) throws -> Compilation {
        try compilePlan(files, raw: raw)
    }

    func render(_ c: Compilation) -> String {
        DiagnosticFormatter(format: .oneline, sources: { c.sources[$0] }).render(c.diagnostics)
    }

    // MARK: - Decoding

    @Test func yaml11ImplicitTypesDoNotApply() throws {
        let c = try compile(["plans/org.yaml": """
            kind: org
            teams:
              - { id: t-1, name: 1:30, lead: no }
            people:
              - { id: no, name: No Body }
              - { id: 010, name: Oh Ten, team: t-1 }
              - { id: on, name: On }
            """])
        #expect(c.diagnostics.filter { $0.severity == .error }.isEmpty, "\(render(c))")
        #expect(c.plan.people.map(\.id.value) == ["no", "010", "on"])
        #expect(c.plan.teams.first?.name == "1:30")
        #expect(c.plan.teams.first?.lead?.value == "no")
    }

    @Test func yamlAndMarkdownOKRsDecodeTheSame() throws {
        let org = "kind: org\npeople:\n  - { id: maria, name: Maria }\n  - { id: li, name: Li }\n"
        let goals = "kind: goals\ngoals:\n  - { id: G1, title: G, owner: maria, metric: { start: 1, target: 2 }, due: 2027-01-01 }\n"
        let config = "organisation: Test\nrules: { checkin-stale: off }\n"
        let yaml = try compile(["strata.yaml": config, "plans/org.yaml": org, "plans/goals.yaml": goals, "plans/okrs.yaml": """
            kind: okrs
            period: 2026-Q4
            owner: maria
            objectives:
              - id: o1
                title: Win
                parent: G1
                committed: yes
                key_results:
                  - { id: o1.arr, title: Grow ARR from $4.0M to $5.5M, start: $4.0M, target: $5.5M, current: $4.6M }
                  - { title: Keep latency below 300 ms, stay_below: 300 ms, weight: 2, owner: li }
                  - { title: Launch the portal, done: false }
            """])
        let md = try compile(["strata.yaml": config, "plans/org.yaml": org, "plans/goals.yaml": goals, "plans/okrs.md": """
            ---
            kind: okrs
            period: 2026-Q4
            owner: maria
            ---
            ## Win {#o1}
            Parent: G1
            Committed: yes

            - Grow ARR from $4.0M to $5.5M (now $4.6M) {#o1.arr}
            - Keep latency below 300 ms (weight 2, owner li)
            - [ ] Launch the portal
            """])
        for c in [yaml, md] {
            #expect(c.diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(render(c))")
            let o = try #require(c.plan.objectives.first)
            #expect(o.id.value == "o1" && o.committed && o.parent?.value == "G1" && o.period?.value.name == "2026-Q4")
            #expect(o.keyResults == ["o1.arr", "o1.kr2", "o1.kr3"])
            #expect(c.plan.keyResults.map(\.measure.kindName) == ["increase", "stay below", "milestone"])
            #expect(c.plan.keyResults[0].current?.value.value == 4_600_000)
            #expect(c.plan.keyResults[1].owner?.value == "li")
            #expect(c.plan.keyResults[1].effectiveWeight == 2)
            #expect(c.plan.keyResults[2].owner?.value == "maria")
            #expect(c.graph.children["G1"] == ["o1"])
        }
    }

    @Test func swotIDsAreAssignedByPosition() throws {
        let yaml = try compile(["plans/swot.yaml": """
            kind: swot
            strengths: [First, { id: S9, text: Second }, Third]
            weaknesses:
              - Only
            """])
        #expect(yaml.plan.swot.map(\.id.value) == ["S1", "S9", "S3", "W1"])
        let md = try compile(["plans/swot.md": "---\nkind: swot\n---\n## Strengths\n- First\n- Second {#S9}\n\n## Threats\n- Only\n"])
        #expect(md.plan.swot.map(\.id.value) == ["S1", "S9", "T1"])
        #expect(md.plan.swot.map(\.text) == ["First", "Second", "Only"])
        #expect(md.plan.swot.map { position($0.id.range) } == ["5:1", "6:1", "9:1"])
    }

    @Test func fiscalYearStartAppliesToPeriods() throws {
        let c = try compile(["strata.yaml": "organisation: Test\nfiscal_year_start: 4\n", "plans/okrs.yaml": """
            kind: okrs
            period: FY2027-Q1
            objectives:
              - { id: o1, title: A, key_results: [{ title: K, done: false }, { title: L, done: true }] }
            """])
        let p = try #require(c.plan.objectives.first?.period?.value)
        #expect("\(p.start) – \(p.end)" == "2026-04-01 – 2026-06-30")
    }

    @Test func asOfComesFromTheArgumentThenTheConfig() throws {
        let c = try compile(["strata.yaml": "organisation: Test\nas_of: 2026-01-15\n"])
        #expect(c.asOf == fixedAsOf)
        let root = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try write("organisation: Test\nas_of: 2026-01-15\n", to: root.appendingPathComponent("strata.yaml"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("plans"), withIntermediateDirectories: true)
        #expect(try Pipeline.compile(root: root).asOf.description == "2026-01-15")
    }

    @Test func sourcesHoldEveryFileForSnippets() throws {
        let c = try compile(["plans/a.yaml": "kind: org\n", "plans/sub/b.md": "---\nkind: swot\n---\n"])
        #expect(Set(c.sources.keys) == ["strata.yaml", "plans/a.yaml", "plans/sub/b.md"])
        #expect(c.plan.files.map(\.path) == ["plans/a.yaml", "plans/sub/b.md"])
    }

    // MARK: - Loading

    @Test func invalidUTF8IsLocatedInTheFile() throws {
        let c = try compile([:], raw: ["plans/bad.yaml": Array("kind: org\n# 漢 ".utf8) + [0xE6, 0xBC] + Array("\n".utf8)])
        #expect(render(c) == "plans/bad.yaml:2:5: error: invalid UTF-8 byte sequence [input-encoding]\nhelp: save the file as UTF-8\n")
    }

    @Test func invalidUTF8AfterLoneCRLineBreaks() throws {
        // Lines end with CR only; the error is on line 3.
        let c = try compile([:], raw: ["plans/bad.yaml": Array("kind: org\r# a\rx: ".utf8) + [0xFF]])
        #expect(c.diagnostics.first.map { position($0.range) } == "3:4")
    }

    @Test func symbolicLinksLeavingTheRepositoryAreNotRead() throws {
        let outside = try makeTemporaryFolder("strata-outside")
        defer { try? FileManager.default.removeItem(at: outside) }
        try write("kind: org\npeople:\n  - { id: spy, name: Spy }\n", to: outside.appendingPathComponent("secret.yaml"))
        let root = try makeTemporaryFolder("strata-pipeline")
        defer { try? FileManager.default.removeItem(at: root) }
        try write("organisation: Test\n", to: root.appendingPathComponent("strata.yaml"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("plans"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("plans/link.yaml"), withDestinationURL: outside.appendingPathComponent("secret.yaml"))
        let c = try Pipeline.compile(root: root, asOf: fixedAsOf)
        #expect(c.plan.people.isEmpty)
        #expect(c.diagnostics.map(\.rule) == ["io-error"])
        #expect(c.diagnostics.first?.message.contains("leads outside the plan repository") == true)
    }

    @Test func theFolderWalkTakesPlanFilesAndLinksInsideTheRepository() throws {
        let root = try makeTemporaryFolder("strata-walk")
        defer { try? FileManager.default.removeItem(at: root) }
        try write("organisation: Test\n", to: root.appendingPathComponent("strata.yaml"))
        let files = ["plans/a.YAML", "plans/b.yml", "plans/c.Markdown", "plans/d.md", "plans/e.tar.yaml", "plans/x/y/z.yaml",
                     "plans/.yaml", "plans/yaml", "plans/f.yaml.txt", "plans/g.", "plans/.hidden/h.yaml", "elsewhere/i.yaml", "elsewhere/j/k.yaml"]
        for f in files {
            let url = root.appendingPathComponent(f)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try write(f.hasSuffix("md") || f.hasSuffix("Markdown") ? "---\nkind: mission\n---\n# M\n" : "kind: org\n", to: url)
        }
        // A link to a file inside the repository is read under the link's name; a link to a
        // folder is not followed.
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("plans/linked.yaml"), withDestinationURL: root.appendingPathComponent("elsewhere/i.yaml"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("plans/folder"), withDestinationURL: root.appendingPathComponent("elsewhere/j"))
        let diagnostics = DiagnosticCollector()
        let loaded = try PlanLoader.load(root: root, into: diagnostics)
        #expect(loaded.files.map(\.path) == ["plans/a.YAML", "plans/b.yml", "plans/c.Markdown", "plans/d.md", "plans/e.tar.yaml",
                                             "plans/linked.yaml", "plans/x/y/z.yaml"])
        #expect(diagnostics.all.isEmpty)
        #expect(PlanLoader.hasPlanExtension("a.Yml") && !PlanLoader.hasPlanExtension(".md") && !PlanLoader.hasPlanExtension("md")
                && !PlanLoader.hasPlanExtension("a.md.") && PlanLoader.hasPlanExtension("..md"))
    }

    @Test func aFileNameThatIsNotUTF8IsReported() throws {
        let root = try makeTemporaryFolder("strata-names")
        defer { try? FileManager.default.removeItem(at: root) }
        try write("organisation: Test\n", to: root.appendingPathComponent("strata.yaml"))
        try write("kind: org\npeople:\n  - { id: a, name: A }\n", to: root.appendingPathComponent("plans/good.yaml"))
        // "plans/\u{FF}.yaml" as bytes: a name no String can spell.
        let path = Array(root.appendingPathComponent("plans").path.utf8CString.dropLast()) + Array("/".utf8CString.dropLast())
            + [CChar(bitPattern: 0xFF)] + Array(".yaml".utf8CString)
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        try #require(fd >= 0)
        close(fd)
        let c = try Pipeline.compile(root: root, asOf: fixedAsOf)
        #expect(c.plan.files.map(\.path) == ["plans/good.yaml"])
        #expect(c.diagnostics.map(\.rule) == ["io-error"])
        #expect(c.diagnostics.first?.message == "'plans/\u{FFFD}.yaml' has a name that is not valid UTF-8; it is not read")
    }

    @Test func filesAreReadInPathOrder() throws {
        let c = try compile(["plans/b.yaml": "kind: org\n", "plans/a/z.yaml": "kind: org\n", "plans/B.yaml": "kind: org\n", "plans/notes.txt": "x", "plans/.hidden.yaml": "kind: x\n"])
        #expect(c.plan.files.map(\.path) == ["plans/B.yaml", "plans/a/z.yaml", "plans/b.yaml"])
    }

    // MARK: - Diagnostics machinery

    @Test func collectorAppliesConfiguredSeverities() {
        let collector = DiagnosticCollector()
        var overrides: [String: Severity?] = ["kr-count": .error]
        overrides.updateValue(nil, forKey: "orphan-objective")  // off
        overrides.updateValue(nil, forKey: "yaml-syntax")  // ignored: not configurable
        collector.overrides = overrides
        let r = SourceRange.wholeFile("x")
        collector.emit(.krCount, "raised", at: r)
        collector.emit(.orphanObjective, "dropped", at: r)
        collector.emit(.yamlSyntax, "kept: not configurable", at: r)
        collector.emit(.goalOwned, "default", at: r)
        #expect(collector.all.map { "\($0.rule) \($0.severity)" } == ["kr-count error", "yaml-syntax error", "goal-owned warning"])
        #expect(collector.hasErrors)
        #expect(collector.count(.warning) == 1)
    }

    @Test func sortedIsStableAndWithoutDuplicates() {
        let collector = DiagnosticCollector()
        let f = SourceFile(path: "b.yaml", text: "a\nb\n")
        let early = f.range(f.location(atOffset: 0), f.location(atOffset: 1))
        let late = f.range(f.location(atOffset: 2), f.location(atOffset: 3))
        collector.emit(.unknownKey, "z", at: late)
        collector.emit(.unknownKey, "a", at: late)
        collector.emit(.krCount, "x", at: early)
        collector.emit(.unknownKey, "z", at: late)
        collector.emit(.krCount, "in another file", at: .wholeFile("a.yaml"))
        #expect(collector.sorted.map(\.message) == ["in another file", "x", "a", "z"])
    }

    @Test func summaryCountsSeverities() {
        let r = SourceRange.wholeFile("x")
        let ds = [Diagnostic(rule: .krCount, severity: .error, message: "", at: r), Diagnostic(rule: .krCount, message: "", at: r)]
        #expect(DiagnosticFormatter.summary(ds) == "1 error, 1 warning")
        #expect(DiagnosticFormatter.summary([]) == "0 errors, 0 warnings")
        #expect(DiagnosticFormatter.summary(ds + [Diagnostic(rule: .ownerIdle, message: "", at: r)]) == "1 error, 1 warning, 1 note")
    }

    @Test func humanFormatMarksColumnsUnderWideCharacters() {
        let f = SourceFile(path: "p.yaml", text: "title: 漢字 😀 bad\n")
        let start = f.location(line: 1, column: 13), end = f.location(line: 1, column: 16)
        let d = Diagnostic(rule: .unknownKey, message: "here", at: f.range(start, end), help: "fix it")
        let out = DiagnosticFormatter(format: .human, sources: { _ in f }).render([d])
        // 漢, 字 and 😀 are two terminal columns wide, so the marker moves three columns right.
        #expect(out == """
            p.yaml:1:13: error: here [unknown-key]
              |
            1 | title: 漢字 😀 bad
              |                ^~~
              = help: fix it

            """)
    }

    @Test func humanFormatShowsControlCharactersSafely() {
        let f = SourceFile(path: "p.yaml", text: "a: x\u{202E}y\n")
        let d = Diagnostic(rule: .unknownKey, message: "m", at: f.range(f.location(line: 1, column: 1), f.location(line: 1, column: 2)))
        #expect(!DiagnosticFormatter(format: .human, sources: { _ in f }).render([d]).contains("\u{202E}"))
    }

    @Test func jsonFormatRoundTrips() throws {
        let f = SourceFile(path: "p.yaml", text: "a: 1\n")
        let d = Diagnostic(rule: .duplicateID, message: "m", at: f.range(f.location(atOffset: 0), f.location(atOffset: 1)),
                           notes: [DiagnosticNote("first", at: .wholeFile("q.yaml")), DiagnosticNote("unlocated", at: nil)], help: "h")
        let text = DiagnosticFormatter(format: .json, sources: { _ in f }).render([d])
        let back = try JSONDecoder().decode([Diagnostic].self, from: Data(text.utf8))
        #expect(back == [d])
        let oneLine = DiagnosticFormatter(format: .oneline, sources: { _ in f }).render([d])
        #expect(oneLine == "p.yaml:1:1: error: m [duplicate-id]\nq.yaml:1:1: note: first\nnote: unlocated\nhelp: h\n")
    }

    // MARK: - Stages apart (the benchmark's way of timing parse and decode)

    /// Everything a compilation holds that the two ways could make differ: every decoded
    /// value with its source ranges (`dump`), then the diagnostics.
    func fingerprint(_ c: Compilation) -> String {
        var out = ""
        dump(Array(c.plan.objectives), to: &out)
        dump(Array(c.plan.keyResults), to: &out)
        dump(c.plan.checkins, to: &out)
        dump(c.plan.people, to: &out)
        dump(c.plan.teams, to: &out)
        dump(c.plan.goals, to: &out)
        return out + DiagnosticFormatter(format: .oneline, sources: { c.sources[$0] }).render(c.diagnostics)
    }

    /// The first line where two fingerprints part, with its number (`lineDiff` is
    /// quadratic, too slow for the demo's tens of thousands of lines).
    func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        let i = zip(x, y).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(x.count, y.count)
        return "line \(i + 1) of \(x.count) / \(y.count):\n- \(i < x.count ? x[i] : "(end)")\n+ \(i < y.count ? y[i] : "(end)")"
    }

    @Test func separateStagesCompileTheSamePlan() throws {
        let together = try Pipeline.compile(root: TestPaths.packageRoot, asOf: fixedAsOf)
        let apart = try Pipeline.compile(root: TestPaths.packageRoot, asOf: fixedAsOf, separateStages: true)
        #expect(together.plan.checkins.count > 1_000)
        let a = fingerprint(together), b = fingerprint(apart)
        #expect(a == b, "\(firstDifference(a, b))")
    }

    @Test func separateStagesReportTheSameDiagnostics() throws {
        let root = try makeTemporaryFolder("strata-stages")
        defer { try? FileManager.default.removeItem(at: root) }
        try write("organisation: Test\n", to: root.appendingPathComponent("strata.yaml"))
        try write("kind: org\npeople:\n  - { id: maria, name: Maria }\n  - { id: maria, name: Twice }\n", to: root.appendingPathComponent("plans/org.yaml"))
        try write("kind: okrs\nperiod: 2026-Q4\nowner: maria\nobjectives:\n  - id: o1\n    title: [unclosed\n", to: root.appendingPathComponent("plans/broken.yaml"))
        try write("kind: checkins\ncheckins:\n  - { kr: nowhere.kr1, date: 2026-10-02, value: 1 }\n  - { kr: o1.kr1, date: someday, value: 2 }\n", to: root.appendingPathComponent("plans/checkins.yaml"))
        try write("---\nkind: okrs\nperiod: 2026-Q4\nowner: nobody\n---\n## Grow {#o2}\n- Grow ARR from $4.0M to $5.5M\n", to: root.appendingPathComponent("plans/team.md"))
        let together = try Pipeline.compile(root: root, asOf: fixedAsOf)
        let apart = try Pipeline.compile(root: root, asOf: fixedAsOf, separateStages: true)
        #expect(together.diagnostics.count >= 4)
        let a = fingerprint(together), b = fingerprint(apart)
        #expect(a == b, "\(lineDiff(expected: a, actual: b))")
        // The stage times are set only for the stages that ran.
        var times = Pipeline.StageTimes()
        _ = try withUnsafeMutablePointer(to: &times) { try Pipeline.compile(root: root, asOf: fixedAsOf, times: $0, separateStages: true) }
        #expect(times.parse > 0 && times.decode > 0 && times.parseAndDecode == times.parse + times.decode)
    }

    /// The cores take the largest files first (equal sizes in path order), so a large
    /// file whose name sorts last does not run alone at the end.
    @Test func filesAreParsedLargestFirst() {
        let files = [("a.yaml", 3), ("b.yaml", 10), ("c.yaml", 3), ("d.yaml", 7), ("e.md", 0)]
            .map { SourceFile(path: $0.0, text: String(repeating: "x", count: $0.1)) }
        #expect(Pipeline.largestFirst(files.map(\.bytes.count)) == [1, 3, 0, 2, 4])
        #expect(Pipeline.largestFirst([]) == [])
    }

    @Test func everyRuleHasAUniqueKebabCaseID() {
        let ids = Rule.all.map(\.id)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        for id in ids { #expect(id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(id)") }
        #expect(Rule.byID.count == ids.count)
    }

    @Test func suggestions() {
        #expect(Suggestion.closest(to: "ownr", in: ["owner", "team"]) == "owner")
        #expect(Suggestion.closest(to: "Maria", in: ["maria", "mario"]) == "maria")
        #expect(Suggestion.closest(to: "xyzzy", in: ["owner", "team"]) == nil)
        #expect(Suggestion.closest(to: "G11", in: ["G1", "G2"]) == "G1")
        #expect(Suggestion.didYouMean("tema", in: ["team"]) == "did you mean 'team'?")
    }
}
