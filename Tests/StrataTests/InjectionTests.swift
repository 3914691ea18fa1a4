import Foundation
import Testing

/// Plan text that tries to inject into the reports (`Fixtures/hostile/injection`): script
/// tags, event-handler attributes, `javascript:`/`data:`/`vbscript:` links (plain, mixed
/// case, entity-encoded) in Markdown descriptions, `</title>`, `</style>`, `-->`, bidi
/// overrides, pipes and newlines for the Markdown tables, and Mermaid syntax.
///
/// The fixture is built once with the strata binary. HTML is checked as parsed by python's
/// html.parser (`Fixtures/reports/dom-to-json.py`), Markdown as parsed by cmark-gfm, and
/// every page is loaded in headless Chromium twice: as built, and with its
/// Content-Security-Policy switched off, so escaping is tested on its own and not hidden
/// behind the CSP. The payloads set `data-pwned` on an element or `document.title` to
/// PWNED, so a payload that ran leaves a mark in the DOM Chromium dumps. Missing tools
/// (chromium, cmark-gfm, python3) fail the tests.
@Suite struct InjectionTests {
    static let root = TestPaths.fixtures.appendingPathComponent("hostile").appendingPathComponent("injection")

    private static let built: Result<URL, Error> = Result {
        let output = try makeTemporaryFolder("strata-injection").appendingPathComponent("output")
        try ReportTools.build(root: root, output: output)
        return output
    }

    static func output() throws -> URL { try built.get() }

    static func pages(_ ext: String) throws -> [String] {
        try ReportTools.tree(try output()).map(\.path).filter { $0.hasSuffix(ext) }
    }

    /// A file as html.parser reads it (no browser involved).
    static func parse(_ file: URL) throws -> DOMNode {
        let json = try ReportTools.run(try ReportTools.python3(), [ReportTools.domScript.path, file.path])
        guard json.status == 0 else { throw ReportTools.Failure(description: "dom-to-json.py \(file.path): \(json.stderr)") }
        return try JSONDecoder().decode(DOMNode.self, from: json.stdout)
    }

    static let organisation = "Acme </title><script>document.title='PWNED'</script><!-- evil"

    /// Hostile texts that must reach the reader intact, as text (bidi controls removed,
    /// line breaks folded as a browser shows them).
    static let texts = [
        organisation + ": strategy and OKRs",
        #"Ops <img src=x onerror="document.body.setAttribute('data-pwned','team')"> | cell"#,
        "</style><style>body{display:none}</style> team",
        #"Mal "><svg onload="document.body.setAttribute('data-pwned','person')"> @mal"#,
        "Lead </title></style>--><script>document.title='PWNED'</script>",
        "Eve evil | # heading",
        "On Error ]]> <![CDATA[ x",
        #"Grow <script>document.body.setAttribute('data-pwned','goal')</script> "]) --> X[evil] from 1 to 2"#,
        "Strong <b onmouseover=\"document.title='PWNED'\">bold</b> | cell",
        "Weak gnp.exe --> <!-- x",
        #"Win </title><script>document.title='PWNED'</script> | "]) --> X[ market click n1 call alert()"#,
        "Grow ARR | from $1M to $2M | injected | row | <script>document.title='PWNED'</script>",
        "Keep latency below 300 ms <svg/onload=alert(1)> |gnp",
        "KPI <script>document.title='PWNED'</script> | evil",
        #"Ship the <img src=x onerror="document.title='PWNED'"> portal | now"#,
    ]

    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background", "cite", "ping"]

    /// True when a URL attribute (already entity-decoded by the parser) would run script or
    /// load inline content: browsers drop tabs and line breaks anywhere in a URL and
    /// control characters and spaces around it, and compare schemes in any case.
    static func isScriptURL(_ value: String) -> Bool {
        let squeezed = String(value.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.map(Character.init))
        let trimmed = squeezed.trimmingCharacters(in: CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(0x20))).lowercased()
        return ["javascript:", "vbscript:", "data:", "livescript:"].contains { trimmed.hasPrefix($0) }
    }

    static let bidi: [Unicode.Scalar] = (0x202A...0x202E).compactMap(Unicode.Scalar.init) + (0x2066...0x2069).compactMap(Unicode.Scalar.init)

    // MARK: - HTML as parsed

    @Test func pagesHaveNoScriptHandlerOrScriptURL() throws {
        let output = try Self.output()
        let pages = try Self.pages(".html")
        #expect(pages.count >= 8, "\(pages)")
        let stylesheet = try String(contentsOf: output.appendingPathComponent("style.css"), encoding: .utf8)
        #expect(!stylesheet.isEmpty && !stylesheet.contains("body{display:none}") && !stylesheet.contains("</"), "plan text in style.css")
        for path in pages {
            let dom = try Self.parse(output.appendingPathComponent(path))
            for tag in ["script", "iframe", "object", "embed", "base", "form", "frame", "frameset", "applet", "style"] {
                #expect(dom.all(tag).isEmpty, "\(path): <\(tag)>")
            }
            for e in dom.elements {
                for (name, value) in e.attrs ?? [:] {
                    let attribute = name.lowercased()
                    #expect(!attribute.hasPrefix("on"), "\(path): <\(e.tag ?? "") \(name)=\"\(value)\">")
                    #expect(!attribute.contains("#"), "\(path): <\(e.tag ?? "")> repeats the attribute \(name)")
                    if Self.urlAttributes.contains(attribute) {
                        #expect(!Self.isScriptURL(value), "\(path): <\(e.tag ?? "") \(name)=\"\(value)\">")
                    }
                }
                if e.tag == "meta" { #expect(e.attr("http-equiv")?.lowercased() != "refresh", "\(path): meta refresh") }
            }
            // One <title> and one stylesheet link, both in <head>: '</title>' and '</style>'
            // in plan text did not close them early or open new elements.
            let head = try #require(dom.first("head"), "\(path): no <head>")
            // (Other <title> elements may only be SVG titles, inside <svg>.)
            let svgTitles = dom.all("svg").flatMap { $0.all("title") }.count
            #expect(head.all("title").count == 1 && dom.all("title").count == 1 + svgTitles, "\(path): \(dom.all("title").count) <title> elements")
            let root = String(repeating: "../", count: path.split(separator: "/").count - 1)
            let links = dom.all("link").map { [$0.attr("rel") ?? "", $0.attr("href") ?? ""] }
            #expect(links == [["stylesheet", root + "style.css"]] && head.all("link").count == 1, "\(path): links \(links)")
        }
    }

    @Test func hostileTextIsShownAsText() throws {
        let output = try Self.output()
        var shown: [String] = []
        for path in try Self.pages(".html") {
            let dom = try Self.parse(output.appendingPathComponent(path))
            shown.append(dom.visibleText)
            // The <title> carries the organisation name as text.
            let title = dom.first("title")?.visibleText ?? ""
            #expect(title.contains(Self.organisation), "\(path): title '\(title)'")
        }
        let all = shown.joined(separator: "\n")
        for text in Self.texts {
            #expect(all.contains(text), "not shown as text anywhere: \(text)")
        }
        let index = try Self.parse(output.appendingPathComponent("index.html"))
        #expect(index.first("h1")?.visibleText == Self.organisation + ": strategy and OKRs")
    }

    @Test func descriptionLinksAreNeutralised() throws {
        let page = try Self.parse(try Self.output().appendingPathComponent("teams/ops.html"))
        let descriptions = page.all(class: "description")
        #expect(descriptions.count >= 2)
        let anchors = descriptions.flatMap { $0.all("a") }
        let hrefs = anchors.map { $0.attr("href") ?? "<none>" }
        // Every scheme that could run script became an empty link; the plain https link
        // stays; the percent-encoded tab is not a scheme a browser runs.
        #expect(anchors.count >= 12, "\(hrefs)")
        let byText = Dictionary(anchors.map { ($0.visibleText, $0.attr("href") ?? "<none>") }, uniquingKeysWith: { a, _ in a })
        for text in ["js", "mixed", "entity", "hex", "data", "DATA", "vb", "ref", "javascript:alert(1)"] {
            #expect(byText[text] == "", "link '\(text)' has href \(byText[text] ?? "none")")
        }
        #expect(byText["link"] == "https://example.com/ok")
        #expect(hrefs.allSatisfy { !Self.isScriptURL($0) }, "\(hrefs)")
        // Images are never embedded (no request, no data: image); raw HTML is omitted.
        #expect(descriptions.flatMap { $0.all("img") }.isEmpty)
        #expect(descriptions.flatMap { $0.elements }.allSatisfy { ["p", "a", "code", "em", "strong", "ul", "ol", "li", "br", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr"].contains($0.tag ?? "") },
                "\(Set(descriptions.flatMap { $0.elements }.compactMap(\.tag)).sorted())")
    }

    @Test func bidiControlsAreGone() throws {
        let output = try Self.output()
        for path in try Self.pages(".html") {
            let dom = try Self.parse(output.appendingPathComponent(path))
            let text = dom.textContent + dom.elements.flatMap { ($0.attrs ?? [:]).values }.joined()
            let found = text.unicodeScalars.filter { Self.bidi.contains($0) }
            #expect(found.isEmpty, "\(path): bidi controls \(found.map { String($0.value, radix: 16) })")
        }
        for path in try Self.pages(".md") {
            let text = try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
            #expect(!text.unicodeScalars.contains { Self.bidi.contains($0) }, "\(path) keeps a bidi control")
            #expect(!text.lowercased().contains("&#x202") && !text.contains("&#823"), "\(path) encodes a bidi control")
        }
    }

    // MARK: - Markdown, as cmark-gfm parses it

    @Test func markdownTablesKeepTheirColumns() throws {
        let output = try Self.output()
        let files = try Self.pages(".md")
        #expect(files.count >= 6)
        var tables = 0
        for path in files { tables += try ReportMarkdownTests.checkTables(output.appendingPathComponent(path)) }
        #expect(tables >= 8)
        // The key result whose title holds '| injected | row |' and a newline is one row,
        // with the whole title in its first cell.
        let team = try ReportTools.markdownTree(output.appendingPathComponent("reports/2026-q4/teams/ops.md"))
        let rows = team.all("table_row").map { $0.children.filter { $0.name == "table_cell" } }
        let arr = try #require(rows.first { $0.first?.all("code").first?.text == "o-1.arr" })
        #expect(arr[0].plainText.contains("Grow ARR | from $1M to $2M | injected | row | <script>document.title='PWNED'</script>"), "\(arr[0].plainText)")
        #expect(team.all("html_inline").isEmpty && team.all("html_block").isEmpty)
    }

    @Test func mermaidHasNoInjectedNodeOrEdge() throws {
        let report = try Self.output().appendingPathComponent("reports/2026-q4.md")
        // G1 → o-1; o-1 → javascript.x (through o-1.arr) and → md-1 (through o-1.lat).
        #expect(try ReportMarkdownTests.mermaidEdges(report) == ["n1 --> n2", "n2 --> n3", "n2 --> n4"])
    }

    // MARK: - Chromium

    struct Loaded {
        var dom: DOMNode
        var console: [String]
        var requests: [String]
    }

    /// Loads a page with the console logged to stderr and a network log.
    static func load(_ page: URL) throws -> Loaded {
        let scratch = try makeTemporaryFolder("strata-injection-chromium")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let netLog = scratch.appendingPathComponent("net.json")
        let result = try ReportTools.run(try ReportTools.chromium(), ReportTools.chromiumFlags(profile: scratch.appendingPathComponent("profile"))
                                         + ["--enable-logging=stderr", "--v=0", "--log-net-log=\(netLog.path)", "--dump-dom", page.absoluteString])
        guard result.status == 0, !result.stdout.isEmpty else {
            throw ReportTools.Failure(description: "chromium --dump-dom \(page.path) exited \(result.status): \(result.stderr.suffix(2000))")
        }
        let html = scratch.appendingPathComponent("dom.html")
        try result.stdout.write(to: html)
        let console = result.stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }
        return Loaded(dom: try parse(html), console: console, requests: try ReportTools.pageRequests(netLog: netLog))
    }

    static func marks(_ dom: DOMNode) -> [String] {
        var found = dom.elements.compactMap { e in e.attr("data-pwned").map { "<\(e.tag ?? "") data-pwned=\($0)>" } }
        if let title = dom.first("title")?.textContent, title.contains("PWNED") && !title.contains("document.title") { found.append("title \(title)") }
        return found
    }

    /// A copy of the output whose pages have the Content-Security-Policy switched off.
    static func withoutCSP() throws -> URL {
        let copy = try makeTemporaryFolder("strata-injection-nocsp").appendingPathComponent("output")
        try ReportTools.copy(try output(), to: copy)
        for path in try pages(".html") {
            let url = copy.appendingPathComponent(path)
            let text = try String(contentsOf: url, encoding: .utf8)
            let parts = text.components(separatedBy: #"http-equiv="Content-Security-Policy""#)
            try #require(parts.count == 2, "\(path): expected one CSP meta element")
            try Data(parts.joined(separator: #"http-equiv="x-csp-off""#).utf8).write(to: url)
        }
        return copy
    }

    @Test func noScriptRunsInChromium() throws {
        let output = try Self.output()
        let open = try Self.withoutCSP()
        defer { try? FileManager.default.removeItem(at: open.deletingLastPathComponent()) }
        for path in try Self.pages(".html") {
            let built = try Self.load(output.appendingPathComponent(path))
            #expect(Self.marks(built.dom).isEmpty, "\(path): \(Self.marks(built.dom))")
            // Nothing even tried to run or load: the CSP had nothing to block.
            #expect(built.console.isEmpty, "\(path): console says \(built.console)")
            #expect(built.requests.allSatisfy { $0.hasPrefix("file:") }, "\(path) requested \(built.requests)")
            #expect(built.dom.first("title")?.visibleText.contains(Self.organisation) == true)

            let bare = try Self.load(open.appendingPathComponent(path))
            #expect(Self.marks(bare.dom).isEmpty, "\(path) without CSP: \(Self.marks(bare.dom))")
            #expect(bare.requests.allSatisfy { $0.hasPrefix("file:") }, "\(path) without CSP requested \(bare.requests)")
        }
    }

    /// The detectors must see a script that runs, and a script the CSP blocks, or their
    /// silence above means nothing.
    @Test func theDetectorsNoticeAScript() throws {
        let open = try Self.withoutCSP()
        defer { try? FileManager.default.removeItem(at: open.deletingLastPathComponent()) }
        let payload = "<script>document.body.setAttribute('data-pwned','control')</script>"
        for (folder, csp) in [(open, false), (try Self.output(), true)] {
            let page = try makeTemporaryFolder("strata-injection-control").appendingPathComponent("index.html")
            defer { try? FileManager.default.removeItem(at: page.deletingLastPathComponent()) }
            let text = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
            try #require(text.components(separatedBy: "</body>").count == 2)
            try Data(text.replacingOccurrences(of: "</body>", with: payload + "</body>").utf8).write(to: page)
            let loaded = try Self.load(page)
            if csp {
                #expect(Self.marks(loaded.dom).isEmpty)
                #expect(loaded.console.contains { $0.contains("Content Security Policy") }, "\(loaded.console)")
            } else {
                #expect(Self.marks(loaded.dom) == ["<body data-pwned=control>"])
            }
        }
    }
}
