import Foundation
@testable import Strata

/// The bodies of the three libFuzzer harnesses. Each harness executable is a thin
/// `LLVMFuzzerTestOneInput` that calls one of these.
public enum Harnesses {
    static let asOf = Day(year: 2026, month: 11, day: 20)!

    /// A per-process scratch file, for inputs that must go through the loader on disk.
    static let scratch: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let dir = base.appendingPathComponent("strata-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: "/dev/shm/strata-fuzz-\(getpid())") }
        return dir
    }()

    /// Bytes the loader rejects go through `PlanLoader.readFile`, the real path from disk:
    /// exactly one input-encoding error, located at the problem's byte offset.
    static func rejectThroughLoader(_ bytes: [UInt8], offset: Int, name: String) {
        guard offset >= 0, offset < max(bytes.count, 1) else { Oracle.fail("validation offset \(offset) outside \(bytes.count) bytes") }
        let url = scratch.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes)) else { return }
        let diagnostics = DiagnosticCollector()
        let file = PlanLoader.readFile(atPath: url.path, display: "plans/" + name, limits: InputLimits(), into: diagnostics)
        if file != nil { Oracle.fail("the loader accepted bytes that TextValidation rejects") }
        guard diagnostics.all.count == 1, let d = diagnostics.all.first, d.rule == Rule.inputEncoding.id else {
            Oracle.fail("expected one input-encoding error, got \(diagnostics.all.map(\.rule))")
        }
        // The line is 1 + the line breaks (LF, CR, CRLF) before the offset.
        var line = 1, i = 0
        while i < offset {
            if bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) { line += 1 }
            i += 1
        }
        if d.range.start.offset != offset || d.range.start.line != line || d.range.start.column < 1 {
            Oracle.fail("input-encoding error at \(d.range.start) for byte offset \(offset) (line \(line))")
        }
        _ = DiagnosticFormatter(format: .human, sources: { _ in nil }).render(diagnostics.sorted)
    }

    /// The bytes as text; or nil, after checking that the loader rejects them with a
    /// located diagnostic.
    static func validText(_ bytes: [UInt8], name: String) -> String? {
        switch TextValidation.decode(bytes) {
        case .failure(let problem):
            rejectThroughLoader(bytes, offset: problem.offset, name: name)
            return nil
        case .success(let text):
            return text
        }
    }

    /// One plan file on its own through parse, decode and link, with the default limits and
    /// with tiny ones; every diagnostic goes through the oracle.
    static func compileAlone(_ file: SourceFile, sample: Bool) {
        for limits in [InputLimits(), Oracle.tiny] {
            let diagnostics = DiagnosticCollector()
            let parsed = Pipeline.parseOne(file, limits: limits, into: diagnostics)
            let plan = PlanDecoder.decode(parsed.map { [$0] } ?? [], config: Config(), sources: [file], into: diagnostics)
            _ = Linker.link(plan, into: diagnostics)
            Oracle.check(diagnostics.sorted, files: [file], machineFormats: sample)
        }
    }

    /// Check-in ledgers read straight from libyaml's events (`CheckinLedgerReader`), whole
    /// and in pieces of 32 bytes, and through the tree, with default and with tiny limits:
    /// the same check-ins, every field and range, and the same diagnostics.
    static func compareLedgerPaths(_ file: SourceFile) {
        guard CheckinLedgerReader.mayBeLedger(file) else { return }
        for limits in [InputLimits(), Oracle.tiny] {
            var config = Config()
            config.limits = limits
            func run(_ fastPath: Bool, pieceBytes: Int = CheckinLedgerReader.pieceBytes) -> String {
                let diagnostics = DiagnosticCollector()
                var out = ""
                for plan in Pipeline.parseAndDecode([file], config: config, ledgerFastPath: fastPath, ledgerPieceBytes: pieceBytes, into: diagnostics) {
                    for c in plan.checkins { dump(c, to: &out) }
                }
                for d in diagnostics.sorted { dump(d, to: &out) }
                return out
            }
            let tree = run(false)
            if run(true) != tree { Oracle.fail("the check-in ledger fast path and the tree read the file differently") }
            if run(true, pieceBytes: 32) != tree { Oracle.fail("the check-in ledger fast path in pieces and the tree read the file differently") }
        }
    }

    /// Harness (a): bytes as a YAML plan file and as strata.yaml — validation, libyaml
    /// events, located nodes, decoding with default and with tiny limits, linking; check-in
    /// ledgers both ways.
    public static func yaml(_ bytes: [UInt8]) {
        guard let text = validText(bytes, name: "fuzz.yaml") else { return }
        let sample = Oracle.sampled(bytes)
        compileAlone(SourceFile(path: "plans/fuzz.yaml", text: text), sample: sample)
        compareLedgerPaths(SourceFile(path: "plans/fuzz.yaml", text: text))
        let configFile = SourceFile(path: "strata.yaml", text: text)
        let diagnostics = DiagnosticCollector()
        _ = ConfigDecoder.decode(configFile, into: diagnostics)
        Oracle.check(diagnostics.sorted, files: [configFile], machineFormats: sample)
    }

    /// Harness (b): bytes as a Markdown plan file — front matter split, libyaml on the
    /// front matter, cmark on the body, Markdown decoders; plus the escapers and cmark's
    /// HTML renderer on the same text.
    public static func markdown(_ bytes: [UInt8]) {
        guard let text = validText(bytes, name: "fuzz.md") else { return }
        compileAlone(SourceFile(path: "plans/fuzz.md", text: text), sample: Oracle.sampled(bytes))
        // Escapers: Markdown-escaped text stays on one line, every pipe escaped; HTML-escaped
        // text has no markup characters.
        let md = MarkdownText.escape(text)
        var previous: Character = " "
        for c in md {
            if c == "\n" || c == "\r" { Oracle.fail("MarkdownText.escape left a line break") }
            if c == "|" && previous != "\\" { Oracle.fail("MarkdownText.escape left a bare pipe") }
            previous = c
        }
        let html = HTMLText.escape(text)
        if html.contains("<") || html.contains(">") || html.contains("\"") { Oracle.fail("HTMLText.escape left markup") }
        // Descriptions are rendered by cmark with safe options.
        if text.utf8.count <= InputLimits().maxMarkdownBytes, text.utf8.reduce(0, { $0 + ($1 == 0x5B ? 1 : 0) }) <= InputLimits().maxMarkdownBrackets {
            let rendered = CmarkParser.renderHTML(CleanText.clean(text))
            Oracle.checkHTML(Array(rendered.utf8), "description")
        }
    }

    /// Templates are parsed once per process; they do not depend on the input.
    static let templates: TemplateSet = {
        let diagnostics = DiagnosticCollector()
        let set = TemplateSet(overrides: nil, displayFolder: "templates", into: diagnostics)
        if diagnostics.hasErrors { Oracle.fail("built-in templates have errors") }
        return set
    }()

    /// Splits the input into files: the text before the first separator is strata.yaml;
    /// each 0x00 byte starts a YAML plan file, each 0x01 byte a Markdown one. Both bytes
    /// are control characters the loader rejects, so they never occur inside a real file.
    public static func split(_ bytes: [UInt8]) -> (config: [UInt8], files: [(String, [UInt8])]) {
        var config: [UInt8] = []
        var files: [(String, [UInt8])] = []
        var current: [UInt8] = []
        var currentName: String?
        func flush() {
            if let name = currentName { files.append((name, current)) } else { config = current }
            current = []
        }
        for b in bytes {
            if b == 0x00 || b == 0x01 {
                flush()
                currentName = String(format: "plans/f%02d.%@", files.count, b == 0x00 ? "yaml" : "md")
            } else {
                current.append(b)
            }
        }
        flush()
        return (config, files)
    }

    /// Harness (c): a whole plan in memory — config, several files, decode, link, check,
    /// roll up, explain every node, dump the graph, and (when the plan has no errors, as
    /// in `strata build`) render the site with the built-in templates. Nothing touches disk.
    public static func pipeline(_ bytes: [UInt8]) {
        let (configBytes, fileBytes) = split(bytes)
        let diagnostics = DiagnosticCollector()
        var config = Config()
        var sources: [SourceFile] = []
        if case .success(let text) = TextValidation.decode(configBytes), !text.isEmpty {
            let configFile = SourceFile(path: "strata.yaml", text: text)
            config = ConfigDecoder.decode(configFile, into: diagnostics)
            sources.append(configFile)
        }
        config.limits = Oracle.clamp(config.limits)
        diagnostics.configure(config)
        var files: [SourceFile] = []
        for (name, b) in fileBytes.prefix(32) {
            guard case .success(let text) = TextValidation.decode(b) else { continue }
            files.append(SourceFile(path: name, text: text))
        }
        sources += files
        var parsed: [ParsedFile] = []
        for f in files {
            if let p = Pipeline.parseOne(f, limits: config.limits, into: diagnostics) { parsed.append(p) }
        }
        let plan = PlanDecoder.decode(parsed, config: config, sources: files, into: diagnostics)
        let graph = Linker.link(plan, into: diagnostics)
        let asOf = config.asOf?.value ?? asOf
        Checker.run(graph, config: config, asOf: asOf, into: diagnostics)
        let sorted = diagnostics.sorted
        Oracle.check(sorted, files: sources, machineFormats: Oracle.sampled(bytes))
        if verbose {
            let errors = sorted.filter { $0.severity == .error }
            FileHandle.standardError.write(Data("pipeline: \(files.count) files, \(graph.nodes.count) nodes, \(errors.count) errors\(errors.first.map { " (first: \($0.range.file):\($0.range.start.line) \($0.message))" } ?? "")\n".utf8))
        }

        let rollUp = RollUp(graph: graph, config: config, asOf: asOf)
        _ = GraphDump.render(graph, rollUp: rollUp)
        let explain = ExplainRenderer(rollUp: rollUp)
        for id in graph.nodes.keys.sorted().prefix(64) { _ = explain.render(id) }
        guard !sorted.contains(where: { $0.severity == .error }) else { return }
        let renderDiagnostics = DiagnosticCollector()
        let outputs = SiteRenderer(rollUp: rollUp, templates: templates).render(into: renderDiagnostics)
        if renderDiagnostics.hasErrors { Oracle.fail("rendering with the built-in templates failed: \(renderDiagnostics.all.map(\.message))") }
        Oracle.check(outputs)
        if verbose { FileHandle.standardError.write(Data("pipeline: rendered \(outputs.count) files\n".utf8)) }
    }

    /// `STRATA_FUZZ_VERBOSE=1` prints what the pipeline harness reached (for seeding).
    static let verbose = ProcessInfo.processInfo.environment["STRATA_FUZZ_VERBOSE"] == "1"
}
