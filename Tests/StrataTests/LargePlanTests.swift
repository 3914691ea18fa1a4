import Foundation
import Testing
@testable import Strata

/// Plans above `SiteModel.largePlanObjectives` objectives get compact overview and period
/// scorecard pages (a row per objective, linked to its article on the team page), so those
/// pages stay a size a browser opens; team and person pages still show every key result.
@Suite struct LargePlanTests {
    /// 12 teams × 50 objectives × 2 key results; one team's objectives form a deep chain.
    /// `extraPeople` more people (owning nothing) give the site more pages than one render
    /// thread takes.
    static func write(to root: URL, extraPeople: Int = 0) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("plans/okrs"), withIntermediateDirectories: true)
        try "organisation: Large\nas_of: 2026-11-13\nrules:\n  owner-idle: off\n  checkin-stale: off\n  okr-owner-load: off\n"
            .write(to: root.appendingPathComponent("strata.yaml"), atomically: true, encoding: .utf8)
        try "kind: goals\ngoals:\n  - { id: G1, title: Grow, owner: p0, perspective: financial }\n"
            .write(to: root.appendingPathComponent("plans/goals.yaml"), atomically: true, encoding: .utf8)
        var org = "kind: org\nteams:\n"
        for t in 0..<12 { org += "  - { id: t\(t), name: Team \(t), lead: p\(t) }\n" }
        org += "people:\n"
        for t in 0..<12 { org += "  - { id: p\(t), name: Person \(t), team: t\(t) }\n" }
        for k in 0..<extraPeople { org += "  - { id: x\(k), name: Extra \(k), team: t\(k % 12) }\n" }
        try org.write(to: root.appendingPathComponent("plans/org.yaml"), atomically: true, encoding: .utf8)
        for t in 0..<12 {
            var okrs = "kind: okrs\nperiod: 2026-Q4\nowner: p\(t)\nteam: t\(t)\nobjectives:\n"
            for o in 0..<50 {
                // Team 11's objectives form a chain, deeper than the overview shows.
                let parent = t == 11 && o > 0 ? "t11-o\(o - 1)" : "G1"
                okrs += "  - id: t\(t)-o\(o)\n    title: Objective \(o) of team \(t)\n    parent: \(parent)\n    key_results:\n"
                okrs += "      - { id: t\(t)-o\(o).a, title: First, start: 0, target: 10 }\n"
                okrs += "      - { id: t\(t)-o\(o).b, title: Second, start: 0%, target: 50% }\n"
            }
            try okrs.write(to: root.appendingPathComponent("plans/okrs/t\(t).yaml"), atomically: true, encoding: .utf8)
        }
        // A chain of five objectives aligned to nothing: the overview shows three levels of it.
        var orphans = "kind: okrs\nperiod: 2026-Q4\nowner: p0\nteam: t0\nobjectives:\n"
        for k in 0..<5 {
            orphans += "  - id: u\(k)\n    title: Unaligned \(k)\n" + (k > 0 ? "    parent: u\(k - 1)\n" : "")
            orphans += "    key_results:\n      - { id: u\(k).a, title: First, start: 0, target: 10 }\n"
        }
        try orphans.write(to: root.appendingPathComponent("plans/okrs/unaligned.yaml"), atomically: true, encoding: .utf8)
    }

    @Test func scorecardAndOverviewAreCompact() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-large-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.write(to: root)
        let c = try Pipeline.compile(root: root)
        #expect(!c.diagnostics.contains { $0.severity == .error }, "\(c.diagnostics.map(\.message))")
        #expect(c.plan.objectives.count == 605)
        let diagnostics = DiagnosticCollector()
        let renderer = SiteRenderer(rollUp: RollUp(graph: c.graph, config: c.config, asOf: c.asOf),
                                    templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics))
        #expect(renderer.model.isLargePlan)
        let files = Dictionary(uniqueKeysWithValues: renderer.render(into: diagnostics).map { ($0.path, String(decoding: $0.contents, as: UTF8.self)) })
        let scorecard = try #require(files["scorecards/2026-q4.html"])
        // One row per objective, no key-result tables, each linked to its team page's article.
        #expect(scorecard.components(separatedBy: "<tr id=\"objective-").count - 1 == 605)
        #expect(!scorecard.contains("class=\"krs\""))
        #expect(scorecard.contains("<a href=\"../teams/t3.html#objective-t3-o7\">Objective 7 of team 3</a>"))
        let team = try #require(files["teams/t3.html"])
        #expect(team.contains("id=\"objective-t3-o7\""))
        #expect(team.contains("id=\"key-result-t3-o7.b\""))
        // The overview shows three levels below the goals; its at-risk and wins lists link to
        // the team pages, and every link into a page finds its target.
        let index = try #require(files["index.html"])
        #expect(index.contains("id=\"objective-t0-o0\""))
        #expect(index.contains("href=\"teams/t5.html#objective-t5-o9\""))
        #expect(!index.contains("id=\"objective-t11-o30\""))
        // Unaligned trees stop at the same depth.
        #expect(index.contains("id=\"objective-u2\"") && !index.contains("id=\"objective-u3\""))
        // Its at-risk list keeps to the objectives it shows and counts the others (team 11's
        // chain and the unaligned chain below the third level).
        #expect(index.contains("href=\"teams/t11.html#objective-t11-o1\"") || index.contains("href=\"teams/t11.html#key-result-t11-o1.a\""))
        #expect(!index.contains("t11-o30"))
        let rollUp = renderer.model.rollUp
        var hidden = 0
        for id in (3..<50).map({ "t11-o\($0)" }) + ["u3", "u4"] {
            if let s = rollUp[id]?.status, s == .atRisk || s == .behind { hidden += 1 }
            for kr in [id + ".a", id + ".b"] where rollUp[kr]?.status == .atRisk { hidden += 1 }
        }
        #expect(hidden > 0)
        #expect(index.contains("<p class=\"more\">\(hidden) more objectives and key results at deeper levels of the cascade are at risk or behind"))
        var ids: [String: Set<String>] = [:]
        for page in ["index.html", "scorecards/2026-q4.html"] {
            let html = try #require(files[page])
            let base = URL(fileURLWithPath: "/site/" + page)
            for href in Set(Self.values(of: "href", in: html)) where !href.hasPrefix("http") {
                let target = URL(string: href, relativeTo: base)!
                let file = String(target.path.dropFirst("/site/".count))
                let targetHTML = try #require(files[file], "\(page) links to missing \(href)")
                guard let fragment = target.fragment else { continue }
                if ids[file] == nil { ids[file] = Set(Self.values(of: "id", in: targetHTML)) }
                let found = ids[file]!.contains(fragment)
                #expect(found, "\(page) links to \(href), which has no such id")
            }
        }
    }

    /// Every value of attribute `name` in a page (ids and paths here need no entity decoding).
    /// Key-result values are cached for a while, not for the whole build. A cache that keeps
    /// only a handful at a time must give the very same files, just with more rebuilding;
    /// and every page is listed once, team by team.
    /// The quarterly report's Mermaid diagram stays within what Mermaid draws on GitHub
    /// (50,000 characters, 500 links) and says how much of the cascade it shows; every link
    /// joins two nodes it defines. 552 of the 605 objectives hang directly under the goal,
    /// more than 500 links, so the diagram draws the first of them in plan order.
    @Test func quarterlyMermaidFitsWhatGitHubDraws() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-large-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.write(to: root)
        let c = try Pipeline.compile(root: root)
        let diagnostics = DiagnosticCollector()
        let renderer = SiteRenderer(rollUp: RollUp(graph: c.graph, config: c.config, asOf: c.asOf),
                                    templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics))
        let report = try #require(renderer.render(into: diagnostics).first { $0.path == "reports/2026-q4.md" })
        let file = root.appendingPathComponent("report.md")
        try Data(report.contents).write(to: file)
        let edges = try ReportMarkdownTests.mermaidEdges(file)
        let text = String(decoding: report.contents, as: UTF8.self)
        let block = try #require(text.components(separatedBy: "```mermaid\n").dropFirst().first?.components(separatedBy: "\n```").first)
        #expect(block.count <= 50_000 && edges.count <= 500, "\(block.count) characters, \(edges.count) links")
        let defined = Set(block.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  n"), let open = line.firstIndex(where: { $0 == "[" || $0 == "(" }) else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 2)..<open])
        })
        for edge in edges {
            for node in edge.components(separatedBy: " --> ") { #expect(defined.contains(node), "\(edge)") }
        }
        let shown = defined.count - 1  // less the goal
        #expect(shown > 300 && shown < 552, "\(shown)")
        #expect(text.contains("The diagram shows \(shown) of the period's 605 objectives, from the top of the cascade down"))
        #expect(block.contains("(\"t0-o0: Objective 0 of team 0") && !block.contains("t11-o1:") && !block.contains("u1:"))
    }

    /// Level by level: with room for a few links, the top level comes first (in plan
    /// order), and a level below only once the one above is all drawn.
    @Test func mermaidDrawsTheCascadeFromTheTop() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-large-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.write(to: root)
        let c = try Pipeline.compile(root: root)
        let model = SiteModel(rollUp: RollUp(graph: c.graph, config: c.config, asOf: c.asOf))
        let period = try #require(c.graph.periods.first)
        let whole = model.mermaid(period, maxCharacters: .max, maxEdges: .max)
        #expect(whole.shown == 605 && whole.total == 605)
        #expect(whole.text.contains("t11-o49:") && whole.text.contains("u4:"))
        let top = model.mermaid(period, maxCharacters: .max, maxEdges: 3)
        #expect(top.shown == 3 && top.total == 605)  // the fourth would be a fourth link: drawing stops there
        for id in ["t0-o0", "t0-o1", "t0-o2"] { #expect(top.text.contains("(\"\(id): "), "\(id)") }
        #expect(!top.text.contains("t0-o3:") && !top.text.contains("u0:"))
        // Room for every top-level objective (552, of which u0 has no link) and a few more:
        // the next level starts with team 11's second objective and the unaligned chain's.
        let twoLevels = model.mermaid(period, maxCharacters: .max, maxEdges: 553)
        #expect(twoLevels.shown == 554)
        #expect(twoLevels.text.contains("t11-o1:") && twoLevels.text.contains("u1:") && !twoLevels.text.contains("t11-o2:"))
        #expect(top.text.components(separatedBy: " --> ").count - 1 == 3)
    }

    @Test func aShortLivedKeyResultCacheGivesTheSameSite() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-large-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.write(to: root)
        let c = try Pipeline.compile(root: root)
        let rollUp = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        func site(_ cache: NodeValueCache) -> [OutputFile] {
            let diagnostics = DiagnosticCollector()
            let renderer = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics), cache: cache)
            return renderer.render(into: diagnostics)
        }
        let whole = NodeValueCache(), short = NodeValueCache(keyResultGeneration: 8)
        let expected = site(whole), got = site(short)
        #expect(expected.map(\.path) == got.map(\.path))
        for (a, b) in zip(expected, got) { #expect(a.contents == b.contents, "\(a.path) differs") }
        #expect(short.builds > whole.builds, "the short cache never dropped a value")
        // Rendered sections reused (the default) or every one rendered afresh: the same files.
        let diagnosticsWithout = DiagnosticCollector()
        var withoutMemo = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnosticsWithout))
        withoutMemo.memoBytes = 0
        let profile = RenderProfile()
        var withMemo = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnosticsWithout))
        withMemo.profile = profile
        let afresh = withoutMemo.render(into: diagnosticsWithout), reused = withMemo.render(into: diagnosticsWithout)
        #expect(afresh.map(\.path) == reused.map(\.path))
        for (a, b) in zip(afresh, reused) { #expect(a.contents == b.contents, "\(a.path) differs when sections are reused") }
        #expect(profile.memoHits > 0)
        let diagnostics = DiagnosticCollector()
        let paths = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics)).pages().map(\.path)
        #expect(Set(paths).count == paths.count)
        // The CSV scorecard in small pieces is the same bytes.
        let model = SiteModel(rollUp: rollUp)
        let period = try #require(model.graph.periods.first)
        var csv: [UInt8] = [], small: [[UInt8]] = []
        try ScorecardCSV.write(model, period: period) { csv += $0 }
        try ScorecardCSV.write(model, period: period, pieceSize: 100) { small.append($0) }
        #expect(small.count > 100 && Array(small.joined()) == csv)
        #expect(String(decoding: csv.prefix(14), as: UTF8.self) == "period,team,ob")
        // Team 3's page, then its scorecard, its member's page and owner scorecard.
        let t3 = try #require(paths.firstIndex(of: "teams/t3.html"))
        #expect(Array(paths[t3...].prefix(4)) == ["teams/t3.html", "reports/2026-q4/teams/t3.md", "people/p3.html", "reports/2026-q4/owners/p3.md"])
    }

    /// One, two or three render threads give the same files; streamed pages (the overview
    /// and the period pages) are made with the render lock let go, while the other threads
    /// go on, and taken in memory or piece by piece alike.
    @Test func renderThreadsGiveTheSameSite() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("strata-large-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.write(to: root, extraPeople: 200)
        let c = try Pipeline.compile(root: root)
        let rollUp = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        func site(workers: Int, piecewise: Bool) throws -> [String: [UInt8]] {
            let diagnostics = DiagnosticCollector()
            var renderer = SiteRenderer(rollUp: rollUp, templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics))
            renderer.workerCount = workers
            var files: [String: [UInt8]] = [:]
            try renderer.render(into: diagnostics) { file in
                guard piecewise, let pieces = file.pieces else { files[file.path] = try file.inMemory().contents; return }
                var bytes: [UInt8] = []
                try pieces { bytes += $0 }
                files[file.path] = bytes
            }
            #expect(!diagnostics.hasErrors)
            return files
        }
        let one = try site(workers: 1, piecewise: false)
        #expect(one.count > 200 && one["index.html"] != nil && one["data/plan.json"] != nil, "\(one.count) files")
        for (workers, piecewise) in [(2, false), (2, true), (3, true)] {
            let other = try site(workers: workers, piecewise: piecewise)
            #expect(other.keys.sorted() == one.keys.sorted())
            #expect(other.filter { one[$0.key] != $0.value }.keys.sorted() == [], "\(workers) threads")
        }
    }

    /// `strata build` lets go of the plan's texts once diagnostics are shown: rendering
    /// must not need them.
    @Test func renderingDoesNotNeedTheSourceTexts() throws {
        func site(_ c: Compilation) -> [OutputFile] {
            let diagnostics = DiagnosticCollector()
            return SiteRenderer(rollUp: RollUp(graph: c.graph, config: c.config, asOf: c.asOf),
                                templates: TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics)).render(into: diagnostics)
        }
        let before = site(try Pipeline.compile(root: TestPaths.packageRoot))
        var c = try Pipeline.compile(root: TestPaths.packageRoot)
        #expect(!c.plan.files.isEmpty && !c.sources.isEmpty)
        c.releaseSourceTexts()
        #expect(c.plan.files.isEmpty && c.graph.plan.files.isEmpty && c.sources.isEmpty)
        let after = site(c)
        #expect(before.map(\.path) == after.map(\.path))
        for (a, b) in zip(before, after) { #expect(a.contents == b.contents, "\(a.path) differs") }
    }

    static func values(of name: String, in html: String) -> [String] {
        html.components(separatedBy: " \(name)=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first.map(String.init) }
    }
}
