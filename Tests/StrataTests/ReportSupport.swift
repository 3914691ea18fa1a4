import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Runs the built `strata` binary and the external checkers the report tests use
/// (headless Chromium, cmark-gfm, python3). A missing tool is a failure, not a skip:
/// `scripts/setup --test` installs them.
enum ReportTools {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The result of one process run.
    struct Run {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The `strata` executable of this build: the shared lookup `CLITests.binary` walks up
    /// from the test bundle to the build products folder that holds it.
    static func strataBinary() throws -> URL {
        guard let binary = CLITests.binary else {
            throw Failure(description: "cannot find the built strata binary next to the test bundle; build it with `swift build`, or set STRATA_BINARY")
        }
        return binary
    }

    /// A program on PATH (or an absolute path), or a failure that says how to install it.
    static func tool(_ names: String..., install: String) throws -> URL {
        let fm = FileManager.default
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        for name in names {
            for dir in dirs {
                let url = URL(fileURLWithPath: dir).appendingPathComponent(name)
                if fm.isExecutableFile(atPath: url.path) { return url }
            }
        }
        throw Failure(description: "\(names.joined(separator: " or ")) is not installed; run `scripts/setup --test` (Debian package \(install))")
    }

    static func chromium() throws -> URL { try tool("chromium", "chromium-browser", install: "chromium") }
    static func cmarkGFM() throws -> URL { try tool("cmark-gfm", install: "cmark-gfm") }
    static func python3() throws -> URL { try tool("python3", install: "python3") }

    /// Runs a program to completion (killed after `timeout` seconds). Output goes through
    /// files, so a large stdout (a dumped DOM) cannot dead-lock on a full pipe.
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
                    in directory: URL? = nil, timeout: TimeInterval = 120) throws -> Run {
        let scratch = try makeTemporaryFolder("strata-run")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw Failure(description: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not finish in \(Int(timeout)) s")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(status: process.terminationStatus,
                   stdout: (try? Data(contentsOf: outURL)) ?? Data(),
                   stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }

    /// `strata build` of the plan repository at `root` into `output`; fails unless it exits 0.
    static func build(root: URL, output: URL, environment: [String: String]? = nil) throws {
        let result = try run(try strataBinary(), ["build", "--root", root.path, "--output", output.path, "--no-color"], environment: environment)
        guard result.status == 0 else {
            throw Failure(description: "strata build of \(root.path) exited \(result.status):\n\(result.stderr)\(result.text)")
        }
    }

    /// Every file under `folder`, by relative path, in byte order of the path.
    static func tree(_ folder: URL) throws -> [(path: String, data: Data)] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw Failure(description: "cannot list \(folder.path)")
        }
        let base = folder.resolvingSymlinksInPath().path
        var files: [(String, Data)] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let full = url.resolvingSymlinksInPath().path
            files.append((String(full.dropFirst(base.count + 1)), try Data(contentsOf: url)))
        }
        return files.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
    }

    /// Copies a folder (recursively) to a new place.
    static func copy(_ from: URL, to: URL) throws {
        try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: from, to: to)
    }
}

/// The demo plan (the package's own `strata.yaml` and `plans/`) built once per test run
/// into a temporary folder, shared read-only by the report suites.
enum DemoBuild {
    private static let result: Result<URL, Error> = Result {
        let output = try makeTemporaryFolder("strata-demo").appendingPathComponent("output")
        try ReportTools.build(root: TestPaths.packageRoot, output: output)
        return output
    }

    static func output() throws -> URL { try result.get() }
}

/// The hostile fixture (`Fixtures/reports/hostile`) built once per test run.
enum HostileBuild {
    static let root = TestPaths.fixtures.appendingPathComponent("reports").appendingPathComponent("hostile")
    private static let result: Result<URL, Error> = Result {
        let output = try makeTemporaryFolder("strata-hostile").appendingPathComponent("output")
        try ReportTools.build(root: root, output: output)
        return output
    }

    static func output() throws -> URL { try result.get() }
}

// MARK: - Markdown, parsed by cmark-gfm

/// A node of cmark-gfm's XML rendering (`--to xml --sourcepos`).
final class GFMNode {
    let name: String
    let attributes: [String: String]
    var children: [GFMNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Every node below this one, depth first, in document order.
    var descendants: [GFMNode] { children.flatMap { [$0] + $0.descendants } }

    func all(_ name: String) -> [GFMNode] { descendants.filter { $0.name == name } }

    /// The literal text of the node and everything below it.
    var plainText: String { text + children.map(\.plainText).joined() }

    /// `sourcepos="3:2-3:9"` as (start line, start column, end line, end column).
    var sourcePosition: (Int, Int, Int, Int)? {
        guard let s = attributes["sourcepos"] else { return nil }
        let parts = s.split(whereSeparator: { $0 == ":" || $0 == "-" }).compactMap { Int($0) }
        return parts.count == 4 ? (parts[0], parts[1], parts[2], parts[3]) : nil
    }
}

/// Builds a `GFMNode` tree from cmark-gfm's XML with Foundation's SAX parser.
final class GFMXMLReader: NSObject, XMLParserDelegate {
    private var stack: [GFMNode] = [GFMNode(name: "#root", attributes: [:])]
    private(set) var error: Error?

    static func parse(_ data: Data) throws -> GFMNode {
        let reader = GFMXMLReader()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse(), reader.error == nil, let document = reader.stack.first?.children.first else {
            throw ReportTools.Failure(description: "cmark-gfm XML does not parse: \(String(describing: parser.parserError ?? reader.error))")
        }
        return document
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        let node = GFMNode(name: name, attributes: attributes)
        stack.last!.children.append(node)
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        // Only leaf nodes (text, code, code_block…) carry content; characters around child
        // elements are the XML's indentation.
        if let node = stack.last, !node.children.isEmpty { node.text = "" }
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
}

extension ReportTools {
    /// The GFM syntax tree of a Markdown file, as cmark-gfm with the table extension sees it.
    static func markdownTree(_ file: URL) throws -> GFMNode {
        let result = try run(try cmarkGFM(), ["-e", "table", "-e", "autolink", "-e", "strikethrough", "--to", "xml", "--sourcepos", file.path])
        guard result.status == 0 else { throw Failure(description: "cmark-gfm failed on \(file.path): \(result.stderr)") }
        return try GFMXMLReader.parse(result.stdout)
    }
}

// MARK: - HTML, rendered by headless Chromium

/// An element or text node of a DOM that Chromium serialised (`--dump-dom`) and
/// `Fixtures/reports/dom-to-json.py` (python's html.parser) turned into JSON.
struct DOMNode: Decodable {
    var tag: String?
    var attrs: [String: String]?
    var children: [DOMNode]?
    var text: String?

    var isElement: Bool { tag != nil }
    var elementChildren: [DOMNode] { (children ?? []).filter(\.isElement) }
    /// Every element below this one, depth first, in document order.
    var elements: [DOMNode] { elementChildren.flatMap { [$0] + $0.elements } }
    var textContent: String { text ?? (children ?? []).map(\.textContent).joined() }
    /// Text with runs of white space folded, as a reader sees it.
    var visibleText: String { textContent.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    func attr(_ name: String) -> String? { attrs?[name] }
    var id: String? { attr("id") }
    var classes: [String] { (attr("class") ?? "").split(separator: " ").map(String.init) }
    func hasClass(_ c: String) -> Bool { classes.contains(c) }
    func all(_ tag: String) -> [DOMNode] { elements.filter { $0.tag == tag } }
    func all(class c: String) -> [DOMNode] { elements.filter { $0.hasClass(c) } }
    func first(_ tag: String) -> DOMNode? { elements.first { $0.tag == tag } }
}

/// One page as headless Chromium loaded it: its DOM and the URLs it asked the network for.
struct BrowserPage {
    var dom: DOMNode
    /// Requests the page made (not the browser's own background traffic).
    var pageRequests: [String]
}

extension ReportTools {
    static let domScript = TestPaths.fixtures.appendingPathComponent("reports").appendingPathComponent("dom-to-json.py")

    /// Flags that keep Chromium quiet and self-contained in a test.
    static func chromiumFlags(profile: URL) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
         "--hide-scrollbars", "--mute-audio"]
    }

    /// Loads a local file in headless Chromium with a network log, and parses the DOM
    /// Chromium built.
    static func load(_ page: URL) throws -> BrowserPage {
        let scratch = try makeTemporaryFolder("strata-chromium")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let netLog = scratch.appendingPathComponent("net.json")
        let result = try run(try chromium(), chromiumFlags(profile: scratch.appendingPathComponent("profile"))
                             + ["--log-net-log=\(netLog.path)", "--dump-dom", page.absoluteString])
        guard result.status == 0, !result.stdout.isEmpty else {
            throw Failure(description: "chromium --dump-dom \(page.path) exited \(result.status): \(result.stderr.suffix(2000))")
        }
        let html = scratch.appendingPathComponent("dom.html")
        try result.stdout.write(to: html)
        let json = try run(try python3(), [domScript.path, html.path])
        guard json.status == 0 else { throw Failure(description: "dom-to-json.py failed: \(json.stderr)") }
        let dom = try JSONDecoder().decode(DOMNode.self, from: json.stdout)
        return BrowserPage(dom: dom, pageRequests: try pageRequests(netLog: netLog))
    }

    /// URL requests in a Chromium net log that a `file://` page started. The browser's own
    /// traffic (update checks, time sync) has no file:// isolation key and is left out.
    static func pageRequests(netLog: URL) throws -> [String] {
        let data = try Data(contentsOf: netLog)
        guard let log = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let constants = log["constants"] as? [String: Any],
              let types = constants["logEventTypes"] as? [String: Int],
              let startJob = types["URL_REQUEST_START_JOB"],
              let events = log["events"] as? [[String: Any]] else {
            throw Failure(description: "unexpected net log format in \(netLog.path)")
        }
        var urls: [String] = []
        for event in events where (event["type"] as? Int) == startJob {
            guard let params = event["params"] as? [String: Any], let url = params["url"] as? String else { continue }
            let key = (params["network_isolation_key"] as? String) ?? ""
            let site = (params["site_for_cookies"] as? String) ?? ""
            if key.contains("file://") || site.contains("file://") || (params["initiator"] as? String) == "null" {
                urls.append(url)
            }
        }
        return urls
    }

    /// The Content-Security-Policy violations Chromium logs while it loads a local page.
    static func policyViolations(_ page: URL) throws -> [String] {
        let scratch = try makeTemporaryFolder("strata-chromium-console")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try run(try chromium(), chromiumFlags(profile: scratch.appendingPathComponent("profile"))
                             + ["--enable-logging=stderr", "--v=0", "--dump-dom", page.absoluteString])
        guard result.status == 0, !result.stdout.isEmpty else {
            throw Failure(description: "chromium --dump-dom \(page.path) exited \(result.status): \(result.stderr.suffix(2000))")
        }
        return result.stderr.split(separator: "\n").map(String.init).filter { $0.contains("Content Security Policy") }
    }

    static let pixelScript = TestPaths.fixtures.appendingPathComponent("reports").appendingPathComponent("pixel.py")

    /// The colour (`#rrggbb`) of one pixel of a page as headless Chromium draws it in an
    /// 800 × 300 window.
    static func screenshotPixel(_ page: URL, x: Int, y: Int) throws -> String {
        let scratch = try makeTemporaryFolder("strata-chromium-shot")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let png = scratch.appendingPathComponent("page.png")
        let result = try run(try chromium(), chromiumFlags(profile: scratch.appendingPathComponent("profile"))
                             + ["--window-size=800,300", "--screenshot=\(png.path)", page.absoluteString])
        guard result.status == 0, FileManager.default.fileExists(atPath: png.path) else {
            throw Failure(description: "chromium --screenshot \(page.path) exited \(result.status): \(result.stderr.suffix(2000))")
        }
        let colour = try run(try python3(), [pixelScript.path, png.path, String(x), String(y)])
        guard colour.status == 0 else { throw Failure(description: "pixel.py failed: \(colour.stderr)") }
        return colour.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Prints a page to PDF with headless Chromium and returns the PDF's bytes.
    static func printToPDF(_ page: URL) throws -> Data {
        let scratch = try makeTemporaryFolder("strata-pdf")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pdf = scratch.appendingPathComponent("page.pdf")
        let result = try run(try chromium(), chromiumFlags(profile: scratch.appendingPathComponent("profile"))
                             + ["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", page.absoluteString])
        guard result.status == 0, let data = FileManager.default.contents(atPath: pdf.path) else {
            throw Failure(description: "chromium --print-to-pdf \(page.path) exited \(result.status): \(result.stderr.suffix(2000))")
        }
        return data
    }
}
