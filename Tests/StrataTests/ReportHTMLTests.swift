import Foundation
import Testing
@testable import Strata

/// The HTML site as a browser sees it: each page is loaded by headless Chromium (with a
/// network log), its DOM dumped and parsed by python's html.parser, and the assertions run
/// on that tree. Chromium missing is a failure: `scripts/setup --test` installs it.
@Suite struct ReportHTMLTests {
    static let statuses: Set<String> = ["not started", "on track", "behind", "at risk", "done", "missed"]

    static func page(_ path: String, in output: URL) throws -> BrowserPage {
        try ReportTools.load(output.appendingPathComponent(path))
    }

    /// Checks every page must pass: no scripts or event handlers, no way to reach the
    /// network, headings in order, unique ids, fragment links that land, status as text.
    static func checkCommon(_ page: BrowserPage, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let dom = page.dom
        let elements = dom.elements
        #expect(dom.all("script").isEmpty, "\(name): has <script>", sourceLocation: sourceLocation)
        for e in elements {
            for (attribute, value) in e.attrs ?? [:] {
                #expect(!attribute.hasPrefix("on"), "\(name): <\(e.tag!) \(attribute)=…>", sourceLocation: sourceLocation)
                if ["href", "src", "xlink:href", "action", "formaction", "data", "poster", "srcset"].contains(attribute) {
                    let v = value.trimmingCharacters(in: .whitespaces).lowercased()
                    let remote = v.hasPrefix("http:") || v.hasPrefix("https:") || v.hasPrefix("//") || v.hasPrefix("ws:") || v.hasPrefix("wss:") || v.hasPrefix("javascript:")
                    #expect(!remote, "\(name): \(attribute)=\(value)", sourceLocation: sourceLocation)
                }
            }
        }
        #expect(page.pageRequests.filter { !$0.hasPrefix("file:") && !$0.hasPrefix("data:") }.isEmpty,
                "\(name) requested \(page.pageRequests)", sourceLocation: sourceLocation)
        let csp = dom.all("meta").first { $0.attr("http-equiv")?.lowercased() == "content-security-policy" }?.attr("content") ?? ""
        #expect(csp.contains("default-src 'none'"), "\(name): CSP is '\(csp)'", sourceLocation: sourceLocation)

        // Headings: one h1, first; never more than one level deeper than the one before.
        let levels = elements.compactMap { e -> Int? in
            guard let t = e.tag, t.count == 2, t.first == "h", let n = Int(String(t.last!)), (1...6).contains(n) else { return nil }
            return n
        }
        #expect(levels.first == 1 && levels.filter { $0 == 1 }.count == 1, "\(name): headings \(levels)", sourceLocation: sourceLocation)
        for (previous, next) in zip(levels, levels.dropFirst()) {
            #expect(next <= previous + 1, "\(name): h\(previous) followed by h\(next)", sourceLocation: sourceLocation)
        }

        let ids = elements.compactMap(\.id)
        let duplicates = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(duplicates.isEmpty, "\(name): duplicate ids \(duplicates)", sourceLocation: sourceLocation)
        let known = Set(ids)
        for a in dom.all("a") {
            guard let href = a.attr("href"), href.hasPrefix("#") else { continue }
            #expect(known.contains(String(href.dropFirst()).removingPercentEncoding ?? ""), "\(name): link to missing \(href)", sourceLocation: sourceLocation)
        }

        // Status is written, not only coloured: every status badge says which one it is.
        for badge in dom.all(class: "status") {
            let text = badge.visibleText
            #expect(statuses.contains(text), "\(name): status badge reads '\(text)'", sourceLocation: sourceLocation)
            #expect(badge.hasClass("status-" + text.replacingOccurrences(of: " ", with: "-")), "\(name): '\(text)' badge has classes \(badge.classes)", sourceLocation: sourceLocation)
        }
    }

    @Test func indexPage() throws {
        let output = try DemoBuild.output()
        let page = try Self.page("index.html", in: output)
        Self.checkCommon(page, "index.html")
        let dom = page.dom

        // The cascade: a tree of <details>, goals at the top, objectives nested inside them.
        let cascade = try #require(dom.all(class: "cascade").first, "no cascade tree")
        let goals = cascade.elementChildren.filter { $0.tag == "li" && $0.hasClass("node-goal") }
        #expect(goals.map(\.id) == ["goal-G1", "goal-G2", "goal-G3", "goal-G4", "goal-G5"])
        for goal in goals {
            let details = try #require(goal.elementChildren.first { $0.tag == "details" }, "\(goal.id ?? ""): no <details>")
            #expect(details.elementChildren.first?.tag == "summary")
            #expect(details.attr("open") != nil, "\(goal.id ?? "") is folded")
            let objectives = details.elements.filter { $0.tag == "li" && $0.hasClass("node-objective") }
            #expect(!objectives.isEmpty, "\(goal.id ?? ""): no objectives under it")
            for o in objectives {
                #expect(o.elementChildren.first?.tag == "details", "\(o.id ?? ""): no <details>")
                #expect(o.elementChildren.first?.elementChildren.first?.tag == "summary")
            }
        }
        let nested = cascade.elements.filter { $0.tag == "li" && $0.hasClass("node-objective") }
            .filter { $0.elements.contains { $0.tag == "li" && $0.hasClass("node-objective") } }
        #expect(!nested.isEmpty, "no objective has objectives under it")
        // Key results fold inside their objective, in a table.
        let folds = cascade.all(class: "krs-fold")
        #expect(folds.count > 30 && folds.allSatisfy { $0.tag == "details" && !$0.all("table").isEmpty })

        // SWOT: four quadrants in a grid, items linking to the goals that address them.
        let swot = try #require(dom.all(class: "swot").first, "no SWOT grid")
        let quadrants = swot.elementChildren
        #expect(quadrants.count == 4)
        #expect(quadrants.map { $0.first("h3")?.visibleText ?? "" } == ["Strengths", "Weaknesses", "Opportunities", "Threats"])
        for q in quadrants {
            let links = q.all("a").compactMap { $0.attr("href") }
            #expect(!links.isEmpty, "\(q.first("h3")?.visibleText ?? ""): no item links to a goal")
            #expect(links.allSatisfy { $0.hasPrefix("#goal-") })
            #expect(!q.all("li").isEmpty)
        }
        let w3 = try #require(swot.elements.first { $0.id == "swot-W3" })
        #expect(w3.all("a").compactMap { $0.attr("href") } == ["#goal-G2", "#goal-G3"])

        // Statuses appear as words.
        let words = Set(dom.all(class: "status").map(\.visibleText))
        #expect(words.isSuperset(of: ["on track", "behind", "at risk", "missed", "done"]), "\(words.sorted())")
    }

    @Test func teamPageShowsLineOfSight() throws {
        let page = try Self.page("teams/sales.html", in: try DemoBuild.output())
        Self.checkCommon(page, "teams/sales.html")
        let articles = page.dom.all("article").filter { $0.hasClass("objective") }
        #expect(articles.count >= 4)
        for article in articles {
            let chain = try #require(article.all(class: "line-of-sight").first, "\(article.id ?? ""): no line of sight")
            let kinds = chain.elementChildren.map { $0.attr("data-kind") ?? "" }
            #expect(kinds.first == "objective" && Array(kinds.suffix(2)) == ["goal", "mission"], "\(article.id ?? ""): \(kinds)")
            // The chain starts at the article's own objective.
            let heading = try #require(article.first("h3"))
            let id = heading.all(class: "id").first?.visibleText ?? ""
            let title = heading.visibleText.hasSuffix(" " + id) ? String(heading.visibleText.dropLast(id.count + 1)) : heading.visibleText
            #expect(chain.elementChildren.first?.all(class: "los-title").first?.visibleText == title)
        }
    }

    @Test func personPageLineOfSightEndsAtGoalAndMission() throws {
        let output = try DemoBuild.output()
        let page = try Self.page("people/erik.html", in: output)
        Self.checkCommon(page, "people/erik.html")
        let chains = page.dom.all(class: "line-of-sight")
        #expect(chains.count >= 3)
        let mission = "Move Europe's freight without waste: fewer empty kilometres, fewer phone calls, fewer surprises."
        for chain in chains {
            let items = chain.elementChildren
            #expect(items.allSatisfy { $0.tag == "li" })
            let kinds = items.map { $0.attr("data-kind") ?? "" }
            #expect(Array(kinds.suffix(2)) == ["goal", "mission"], "\(kinds)")
            #expect(kinds.dropLast(2).allSatisfy { $0 == "objective" || $0 == "key result" }, "\(kinds)")
            let last = try #require(items.last)
            #expect(last.visibleText.contains(mission))
            // The mission has no progress of its own: nothing may leak in from the objective.
            #expect(last.all(class: "status").isEmpty && last.all(class: "pct").isEmpty, "mission shows '\(last.visibleText)'")
            let goal = items[items.count - 2]
            #expect(goal.visibleText.contains("Grow market share from 12% to 15%"))
            #expect(goal.all(class: "status").count == 1)
        }
        // The first chain starts at Erik's own objective.
        #expect(chains.first?.elementChildren.first?.visibleText.contains("Close the Stockholm pipeline") ?? false)
    }

    @Test func hostilePlanStaysText() throws {
        let output = try HostileBuild.output()
        for path in ["index.html", "teams/ops_team.html", "people/mal.html", "people/eve.html", "strategy-map.html", "scorecards/2026-q4.html"] {
            let page = try Self.page(path, in: output)
            Self.checkCommon(page, path)
            #expect(page.dom.all("img").isEmpty && page.dom.all("b").isEmpty && page.dom.all("i").isEmpty, "\(path): plan text became markup")
        }
        let index = try Self.page("index.html", in: output)
        #expect(index.dom.first("h1")?.visibleText == "Pipe | Co <script>alert(1)</script> @everyone: strategy and OKRs")
    }

    /// The checker itself must notice a request, or its silence means nothing.
    @Test func networkCheckDetectsARequest() throws {
        let folder = try makeTemporaryFolder("strata-net")
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("remote.html")
        try write("<!DOCTYPE html><title>t</title><h1>t</h1><img alt=\"\" src=\"http://example.invalid/x.png\">", to: page)
        let loaded = try ReportTools.load(page)
        #expect(loaded.pageRequests.contains("http://example.invalid/x.png"), "\(loaded.pageRequests)")
    }

    /// The page header's panel colour in the built-in stylesheet (light scheme); an
    /// unstyled page is white there.
    static let styledHeader = "#f6f8fa"

    /// Every page links the one stylesheet at the root, and the browser applies it under
    /// the page's CSP: the header is drawn in the stylesheet's colour, and no policy
    /// violation is logged.
    @Test(arguments: ["index.html", "teams/platform.html", "people/erik.html", "scorecards/2026-q4.html"])
    func stylesheetAppliesUnderThePolicy(_ path: String) throws {
        let page = try DemoBuild.output().appendingPathComponent(path)
        #expect(try ReportTools.screenshotPixel(page, x: 2, y: 2) == Self.styledHeader)
        #expect(try ReportTools.policyViolations(page).isEmpty)
    }

    /// Both checks must see a stylesheet the policy blocks, or their silence means
    /// nothing: the same page with `style-src 'none'` logs a violation and is unstyled.
    @Test func policyCheckDetectsABlockedStylesheet() throws {
        let output = try DemoBuild.output()
        let folder = try makeTemporaryFolder("strata-csp")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: output.appendingPathComponent("style.css"), to: folder.appendingPathComponent("style.css"))
        let html = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        let blocked = html.replacingOccurrences(of: "style-src &#39;self&#39; file:", with: "style-src &#39;none&#39;")
        try #require(blocked != html, "the policy's style-src is not where the test expects it")
        let page = folder.appendingPathComponent("index.html")
        try write(blocked, to: page)
        let violations = try ReportTools.policyViolations(page)
        #expect(violations.contains { $0.contains("style.css") }, "\(violations)")
        #expect(try ReportTools.screenshotPixel(page, x: 2, y: 2) == "#ffffff")
    }

    /// A `head.html` override written when pages inlined the stylesheet still works: the
    /// policy then also allows exactly that stylesheet by its hash. The built-in templates
    /// do not inline it, so their policy has no hash.
    @Test func inlinedStylesheetOverrideStillApplies() throws {
        let folder = try makeTemporaryFolder("strata-inline-css")
        defer { try? FileManager.default.removeItem(at: folder) }
        let templates = folder.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        let head = try #require(DefaultTemplates.all["head.html"])
        let inlined = head.replacingOccurrences(of: "<link rel=\"stylesheet\" href=\"{{root}}style.css\">", with: "<style>{{{css}}}</style>")
        try #require(inlined != head)
        try write(inlined, to: templates.appendingPathComponent("head.html.mustache"))
        let output = folder.appendingPathComponent("output")
        let result = try ReportTools.run(try ReportTools.strataBinary(),
                                         ["build", "--root", TestPaths.packageRoot.path, "--output", output.path, "--templates", templates.path, "--no-color"])
        #expect(result.status == 0, "\(result.stderr)")
        let page = output.appendingPathComponent("people/erik.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("<style>") && html.contains("&#39;sha256-"))
        #expect(try ReportTools.screenshotPixel(page, x: 2, y: 2) == Self.styledHeader)
        #expect(try ReportTools.policyViolations(page).isEmpty)
        let builtIn = try String(contentsOf: try DemoBuild.output().appendingPathComponent("people/erik.html"), encoding: .utf8)
        #expect(!builtIn.contains("sha256-") && !builtIn.contains("<style>"))
    }

    /// The built-in progress bar as Chromium draws it with the site's stylesheet: the fill
    /// in the status colour up to the progress, the track (the bar's own background, not a
    /// shape of its own) after it, and the expected-progress mark in the text colour. The
    /// bar is stretched to 400 × 40 pixels so each part covers whole pixels.
    @Test func progressBarDrawsFillTrackAndExpectedMark() throws {
        let folder = try makeTemporaryFolder("strata-bar")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: try DemoBuild.output().appendingPathComponent("style.css"), to: folder.appendingPathComponent("style.css"))
        let diagnostics = DiagnosticCollector()
        let templates = TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics)
        var context = TemplateObject()
        context["has_progress"] = true
        context["status"] = "on track"
        context["status_slug"] = "on-track"
        context["progress_pct"] = 40
        context["progress_text"] = "40%"
        context["expected_pct"] = 70
        let bar = try #require(templates.render("progress.html", context))
        let html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="style.css">
            <style>.bar { position: absolute; left: 0; top: 0; width: 400px; height: 40px; border-radius: 0; }</style>
            </head><body>\(bar)</body></html>
            """
        let page = folder.appendingPathComponent("bar.html")
        try write(html, to: page)
        #expect(try ReportTools.screenshotPixel(page, x: 80, y: 20) == "#1e7b34", "fill: --on-track")
        #expect(try ReportTools.screenshotPixel(page, x: 350, y: 20) == "#e4e7eb", "track: --bar-bg")
        #expect(try ReportTools.screenshotPixel(page, x: 280, y: 20) == "#1b1f24", "expected mark: --fg")
    }

    @Test(arguments: ["index.html", "people/erik.html"])
    func printsToPDF(_ path: String) throws {
        let pdf = try ReportTools.printToPDF(try DemoBuild.output().appendingPathComponent(path))
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        #expect(pdf.count > 10_000)
        let text = String(decoding: pdf, as: UTF8.self)
        let pages = text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages >= 1, "\(path): \(pages) pages")
    }
}
