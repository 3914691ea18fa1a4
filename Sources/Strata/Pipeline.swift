import Foundation

/// The result of running the front half of the pipeline (load → parse → decode → link → check).
public struct Compilation {
    public var root: URL
    public var config: Config
    public var plan: Plan
    public var graph: CascadeGraph
    public var asOf: Day
    /// Sorted, with configured severities applied.
    public var diagnostics: [Diagnostic]
    public var sources: [String: SourceFile]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Lets go of the plan's source texts and line tables (a little more memory than the
    /// plan files take on disk), which only diagnostics need: `strata build` calls it once
    /// the diagnostics are shown. Diagnostics rendered afterwards have no source snippets.
    ///
    /// It also joins the plan's key results and objectives, which the check keeps in the
    /// files' lists (`PiecewiseList`), into one list each: the files' small lists sit among
    /// the memory parsing freed and keep much of it from going back to the system (a 20k
    /// build peaked at 307 MiB with them, 292 MiB joined; joining costs the build a few
    /// hundredths of a second, and the check nothing).
    public mutating func releaseSourceTexts() {
        sources = [:]
        plan.files = []
        graph.releaseSourceFiles()
        plan.keyResults = plan.keyResults.joined()
        plan.objectives = plan.objectives.joined()
        graph.share(keyResults: plan.keyResults, objectives: plan.objectives)
        // With the texts go most of what parsing left in the allocator's free lists.
        SystemMemory.returnFreedMemory()
    }

    /// Adds diagnostics found after compiling (e.g. period locks), applying configured severities.
    public mutating func add(_ extra: [Diagnostic]) {
        let collector = DiagnosticCollector()
        collector.configure(config)
        collector.append(contentsOf: diagnostics)
        collector.append(contentsOf: extra)
        diagnostics = collector.sorted
    }
}

/// Runs the stages in order: load → parse → decode → link → check. Rendering and writing
/// are separate consumers of the `Compilation`.
public enum Pipeline {
    /// Timings of each stage, in seconds, for the benchmark.
    public struct StageTimes: Sendable {
        /// `parseAndDecode` is both stages as the check runs them: each file parsed and
        /// decoded in one step, the files on every core. `parse` and `decode` are only set
        /// by `compile(…, separateStages: true)`, which runs them one after the other.
        public var load = 0.0, parse = 0.0, decode = 0.0, parseAndDecode = 0.0, merge = 0.0, link = 0.0, check = 0.0
        public init() {}
    }

    /// Compiles the plan under `root`. With `separateStages` (for the benchmark, which
    /// times each stage on its own), every file is parsed into its located tree first and
    /// the trees are decoded afterwards, each stage on every core; check-in ledgers then
    /// go through the tree too, instead of being decoded as libyaml reads them. The result
    /// is the same compilation either way; only the order of the work and the memory it
    /// holds at once differ (every tree is alive before the first is decoded).
    public static func compile(root: URL, asOf requested: Day? = nil, times: UnsafeMutablePointer<StageTimes>? = nil,
                               separateStages: Bool = false) throws -> Compilation {
        let diagnostics = DiagnosticCollector()
        var clock = StageClock()
        let loaded = try PlanLoader.load(root: root, into: diagnostics)
        times?.pointee.load = clock.lap()
        let parts: [Plan]
        if separateStages {
            let files = loaded.files, limits = loaded.config.limits
            let order = largestFirst(files.map(\.bytes.count))
            let parsed = Parallel.map(files.count, startOrder: order, reportingInto: diagnostics) { i, local in parseOne(files[i], limits: limits, into: local) }
            times?.pointee.parse = clock.lap()
            parts = Parallel.map(files.count, startOrder: order, reportingInto: diagnostics) { i, local in
                parsed[i].map { PlanDecoder.decodeFile($0, config: loaded.config, into: local) }
            }.compactMap { $0 }
            times?.pointee.decode = clock.lap()
            if let times { times.pointee.parseAndDecode = times.pointee.parse + times.pointee.decode }
        } else {
            // Parse and decode each file in parallel; then merge in file order.
            parts = parseAndDecode(loaded.files, config: loaded.config, into: diagnostics)
            times?.pointee.parseAndDecode = clock.lap()
        }
        var plan = PlanDecoder.merge(consume parts, config: loaded.config, into: diagnostics)
        plan.files = loaded.files
        times?.pointee.merge = clock.lap()
        let graph = Linker.link(plan, into: diagnostics)
        times?.pointee.link = clock.lap()
        let asOf = requested ?? loaded.config.asOf?.value ?? Day.today()
        Checker.run(graph, config: loaded.config, asOf: asOf, into: diagnostics)
        times?.pointee.check = clock.lap()
        var sources: [String: SourceFile] = [:]
        for f in loaded.files { sources[f.path] = f }
        if let c = loaded.configFile { sources[c.path] = c }
        return Compilation(root: loaded.root, config: loaded.config, plan: plan, graph: graph, asOf: asOf,
                           diagnostics: diagnostics.sorted, sources: sources)
    }

    /// Parses and decodes files in parallel, the largest first; results and diagnostics
    /// keep file order. Check-in ledgers that `CheckinLedgerReader` takes whole skip the
    /// tree (unless `ledgerFastPath` is false, for tests that compare the two), and one of
    /// more than two `ledgerPieceBytes` is read in pieces of about that size, on every core.
    static func parseAndDecode(_ files: [SourceFile], config: Config, ledgerFastPath: Bool = true,
                               ledgerPieceBytes: Int = CheckinLedgerReader.pieceBytes,
                               into diagnostics: DiagnosticCollector) -> [Plan] {
        /// A file parsed into its tree and decoded, with its diagnostics.
        func decodeTree(_ i: Int) -> (Plan?, [Diagnostic]) {
            let local = DiagnosticCollector()
            let plan = parseOne(files[i], limits: config.limits, into: local).map { PlanDecoder.decodeFile($0, config: config, into: local) }
            return (plan, local.all)
        }
        /// A whole file: the ledger reader's, or through the tree.
        func decodeWhole(_ i: Int) -> (Plan?, [Diagnostic]) {
            if ledgerFastPath, !isMarkdown(files[i]), let ledger = CheckinLedgerReader.decode(files[i], config: config) { return (ledger, []) }
            return decodeTree(i)
        }
        // The work: each file, or each piece of a large ledger.
        let pieces = files.map { ledgerFastPath && !isMarkdown($0) ? CheckinLedgerReader.pieces(of: $0, size: ledgerPieceBytes) : [] }
        var work: [(file: Int, piece: Int?)] = []
        for i in files.indices {
            if pieces[i].isEmpty { work.append((i, nil)) } else { work += pieces[i].indices.map { (i, $0) } }
        }
        // A ledger with a piece the reader does not take is decoded whole (which reports
        // what is wrong with it) by the piece that found out, at once, so that it does not
        // run alone after everything else; pieces of that file that start later do nothing.
        // Only the first piece can fail where the whole file would not (a key after the
        // list), so after any other the tree is used straight away: it gives what the
        // reader would.
        let redone = LockedTable<(Plan?, [Diagnostic])>()
        let sizes = work.map { item in item.piece.map { pieces[item.file][$0].count } ?? files[item.file].bytes.count }
        let done = Parallel.map(work.count, startOrder: largestFirst(sizes)) { w -> (Plan?, [Diagnostic]) in
            let (i, p) = work[w]
            guard let p else { return decodeWhole(i) }
            guard !redone.isClaimed(i) else { return (nil, []) }
            if let plan = CheckinLedgerReader.decode(files[i], piece: pieces[i][p], config: config) { return (plan, []) }
            if redone.claim(i) { redone.store(p == 0 ? decodeWhole(i) : decodeTree(i), for: i) }
            return (nil, [])
        }
        var plans: [Plan] = []
        var w = 0
        for i in files.indices {
            let end = w + max(1, pieces[i].count)
            for (plan, found) in redone.value(for: i).map({ [$0] }) ?? Array(done[w..<end]) {
                if let plan { plans.append(plan) }
                diagnostics.append(contentsOf: found)
            }
            w = end
        }
        return plans
    }

    /// The order in which the cores take work of these sizes: the largest first (equal
    /// sizes in the given order). A file is parsed on one core, so a large file taken last
    /// would run alone after every other file is done. A 20k-objective plan with its 19 MiB
    /// of check-ins in one ledger whose name sorts last took 0.72–0.74 s to check with the
    /// files in path order, 0.51–0.56 s largest first (0.49–0.52 s with 40 ledgers).
    static func largestFirst(_ sizes: [Int]) -> [Int] {
        sizes.indices.sorted { a, b in sizes[a] != sizes[b] ? sizes[a] > sizes[b] : a < b }
    }

    static func isMarkdown(_ file: SourceFile) -> Bool {
        let ext = file.path.split(separator: ".").last.map { String($0).lowercased() } ?? ""
        return ext == "md" || ext == "markdown"
    }

    public static func parseOne(_ file: SourceFile, limits: InputLimits, into diagnostics: DiagnosticCollector) -> ParsedFile? {
        if isMarkdown(file) {
            return MarkdownFileParser(limits: limits).parse(file, into: diagnostics).map { .markdown($0) }
        }
        let before = diagnostics.all.count
        let docs = LibYAMLParser(limits: limits).parse(file, into: diagnostics)
        if docs.isEmpty && diagnostics.all.count == before {
            diagnostics.emit(.unknownKind, file.text.trimmed.isEmpty ? "file is empty" : "file holds no YAML document, only comments",
                             at: .wholeFile(file.path), help: "add 'kind: …' and the plan content, or delete the file")
        }
        return .yaml(docs)
    }
}

/// Wall-clock laps for stage timings.
struct StageClock {
    var last = DispatchTime.now().uptimeNanoseconds
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }
}
