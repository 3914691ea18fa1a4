import Foundation
/// One file of the output tree: in memory, or (a file too large to hold whole, such as
/// plan.json) as a function that hands its bytes over piece by piece.
public struct OutputFile: Sendable {
    /// Gives each piece of a streamed file, in order, to `piece`.
    public typealias Pieces = @Sendable (_ piece: ([UInt8]) throws -> Void) throws -> Void
    /// A relative path made only of slugs and fixed names.
    public var path: String
    /// The bytes of a file held in memory; empty for a streamed one.
    public var contents: [UInt8]
    /// The bytes of a streamed file; nil for one held in memory.
    public var pieces: Pieces?

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
        pieces = nil
    }

    public init(path: String, pieces: @escaping Pieces) {
        self.path = path
        contents = []
        self.pieces = pieces
    }

    /// The same file held in memory (a streamed one's pieces joined).
    public func inMemory() throws -> OutputFile {
        guard let pieces else { return self }
        var all: [UInt8] = []
        try pieces { all += $0 }
        return OutputFile(path: path, contents: all)
    }
}

/// Renders the whole output tree in memory: HTML site, Markdown reports, scorecards,
/// `plan.json` and CSV. Writing it is the `OutputWriter`'s job.
public struct SiteRenderer {
    public let model: SiteModel
    public let templates: TemplateSet
    /// Per-template time spent building values and rendering, for the benchmark.
    public var profile: RenderProfile?

    public init(rollUp: RollUp, templates: TemplateSet, cache: NodeValueCache = NodeValueCache()) {
        self.model = SiteModel(rollUp: rollUp, cache: cache, includesFormula: templates.library.mentions("formula"))
        self.templates = templates
    }

    /// Renders every file into memory (tests, small plans), sorted by path.
    public func render(into diagnostics: DiagnosticCollector) -> [OutputFile] {
        var files: [OutputFile] = []
        try? render(into: diagnostics) { files.append(try $0.inMemory()) }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return files
    }

    /// The stylesheet (written once as `style.css` and linked from every page) and the
    /// Content-Security-Policy. Styles come from the site's own files: `'self'` when
    /// served, `file:` when opened from disk (where some browsers give each file an origin
    /// of its own). Only when a template still inlines the stylesheet (`{{{css}}}`, as
    /// `head.html` did before) does the policy also allow exactly it, by its hash; pages
    /// otherwise do not change when only the stylesheet does.
    public func styleAndPolicy() -> (css: String, csp: String) {
        let css = templates.render("style.css", [:]) ?? ""
        var styleSources = "'self' file:"
        if templates.library.mentions("css") {
            styleSources += " 'sha256-\(SHA256.base64(SHA256.digest(Array(css.utf8))))'"
        }
        return (css, "default-src 'none'; style-src \(styleSources); img-src data:; base-uri 'none'; form-action 'none'")
    }

    /// The stylesheet's path from the output root.
    public static let stylesheetPath = "style.css"

    /// One templated page of the output: where it goes, its template, and how to build its
    /// values from a model (any model of the same roll-up gives the same values).
    public struct Page {
        public var path: String
        public var template: String
        public var values: (SiteModel) -> TemplateObject
        /// Pages that list the whole plan (tens of megabytes at 20,000 objectives) are
        /// rendered as they are written, in pieces, instead of into one buffer.
        public var streamed = false
        /// Rendered on the same thread right after the page before it (a team's scorecard
        /// and its people's pages after the team's page), so sections that page rendered
        /// are reused rather than rendered again on another thread.
        public var joinsPrevious = false
        /// A file made without a template (plan.json, the CSV scorecards): its pieces, from
        /// the model of the thread that makes it.
        var data: ((SiteModel) -> OutputFile.Pieces)?

        /// A data file: streamed, made by `pieces`, no template or values.
        static func dataFile(_ path: String, _ pieces: @escaping (SiteModel) -> OutputFile.Pieces) -> Page {
            Page(path: path, template: "", values: { _ in [:] }, streamed: true, data: pieces)
        }
    }

    /// Every templated page, in a fixed order: the overview, the strategy map and each
    /// period's scorecard and reports (pages of the whole plan, each rendered by one thread
    /// while the others go on: last in the order, the final one kept a single core busy
    /// for 0.1 s at 20,000 objectives); then team by team its page, its scorecards, and its
    /// members' pages and owner scorecards (these show the same objectives and key results,
    /// so the values the node cache keeps for a while are reused before they are dropped);
    /// then people without a team; then the owner scorecards of owners not yet placed.
    public func pages() -> [Page] {
        let plan = model.plan
        let periods = model.graph.periods
        var pages: [Page] = [
            Page(path: "index.html", template: "index.html", values: { $0.indexPage() }, streamed: true),
            Page(path: "strategy-map.html", template: "strategy-map.html") { $0.strategyMapPage() },
        ]
        for period in periods {
            pages.append(Page(path: model.periodPath(period), template: "scorecard.html", values: { $0.scorecardPage(period) }, streamed: true))
            pages.append(Page(path: model.reportPath(period), template: "quarterly.md", values: { $0.quarterlyReport(period) }, streamed: true))
            pages.append(Page(path: model.balancedScorecardPath(period), template: "balanced-scorecard.md", values: { $0.balancedScorecard(period) }, streamed: true))
        }
        // Each period's owners, worked out once (a pass over every objective and key result).
        let ownersByPeriod = periods.map { model.owners(in: $0) }
        var unplacedOwners = ownersByPeriod.map { Set($0) }
        var placed = [Bool](repeating: false, count: plan.people.count)
        func personPages(_ index: Int, inTeam: Bool) {
            let p = plan.people[index], id = p.id.value
            placed[index] = true
            pages.append(Page(path: model.personPath(id), template: "person.html", values: { $0.personPage(p) }, joinsPrevious: inTeam))
            for (i, period) in periods.enumerated() where unplacedOwners[i].remove(id) != nil {
                pages.append(Page(path: model.ownerScorecardPath(period, id), template: "owner-scorecard.md", values: { $0.ownerScorecard(period, person: id) }, joinsPrevious: true))
            }
        }
        var peopleByTeam: [String: [Int]] = [:]
        for (i, p) in plan.people.enumerated() { if let t = p.team?.value { peopleByTeam[t, default: []].append(i) } }
        for t in plan.teams {
            let id = t.id.value
            pages.append(Page(path: model.teamPath(id), template: "team.html") { $0.teamPage(t) })
            for period in periods where !model.graph.objectives(ofTeam: id, in: period).isEmpty {
                pages.append(Page(path: model.teamScorecardPath(period, id), template: "team-scorecard.md", values: { $0.teamScorecard(period, team: id) }, joinsPrevious: true))
            }
            // Removed, so a team id given twice places its people once.
            for i in peopleByTeam.removeValue(forKey: id) ?? [] { personPages(i, inTeam: true) }
        }
        // People of no team, or of a team the plan does not define, in plan order.
        for i in plan.people.indices where !placed[i] { personPages(i, inTeam: false) }
        for (i, period) in periods.enumerated() {
            for person in ownersByPeriod[i] where unplacedOwners[i].contains(person) {
                pages.append(Page(path: model.ownerScorecardPath(period, person), template: "owner-scorecard.md") { $0.ownerScorecard(period, person: person) })
            }
        }
        return pages
    }

    /// How many bytes of rendered sections each render thread keeps to reuse (an objective's
    /// article is on its team's page and again on its owner's, rendered in a row); 0 renders
    /// every one afresh. A team's page and its people's pages, rendered in a row, need a
    /// fraction of it (at 20,000 objectives a megabyte reuses 97 % of the articles).
    public var memoBytes = 1 << 20

    /// How many threads render pages: one per core, at most four, and one for small plans.
    public var workerCount: Int = min(4, max(1, ProcessInfo.processInfo.activeProcessorCount))

    /// Renders file by file, handing each to `emit` as soon as it is done, so memory does
    /// not grow with the size of the output. Pages render on `workerCount` threads in
    /// chunks; `emit` is called on one thread at a time, in no fixed order (the files'
    /// contents do not depend on it). One exception: while `emit` takes a streamed file's
    /// pieces, other threads may call `emit` for other files, so what receives the pieces
    /// must touch only that file's own state.
    public func render(into diagnostics: DiagnosticCollector, emit: (OutputFile) throws -> Void) throws {
        // Roll-up's temporaries go back to the system before the pages' values come. (With
        // `releaseSourceTexts` before roll-up this gains little; three builds without it
        // peaked at 307–315 MiB at 20k against 306–311 MiB with it, so it stays.)
        SystemMemory.returnFreedMemory()
        let (css, csp) = styleAndPolicy()
        // A template that is missing is reported once, and its pages are left out.
        let available = Set(templates.names)
        var pages: [Page] = []
        var missing: Set<String> = []
        for page in self.pages() {
            if available.contains(page.template) { pages.append(page) } else { missing.insert(page.template) }
        }
        for template in missing.sorted() {
            diagnostics.emit(.templateSyntax, "template '\(template)' is missing", at: .wholeFile(template + ".mustache"),
                             help: "restore it, or remove the broken override from the templates folder")
        }
        try emit(OutputFile(path: Self.stylesheetPath, contents: Array(css.utf8)))
        let chunk = 32
        let workers = pages.count < 4 * chunk ? 1 : workerCount
        // The data files first, each claimed by one thread while the others render pages:
        // made last, after the pages, they kept only one core busy for most of their time
        // (plan.json writes its long lists on `workers` threads, in rounds, but the rest of
        // it, the CSV scorecards and the writes are one thread's).
        let rollUp = model.rollUp
        var dataFiles = [Page.dataFile("data/plan.json") { _ in { piece in try PlanJSON.write(rollUp, workers: workers, into: piece) } }]
        for period in model.graph.periods {
            dataFiles.append(Page.dataFile("data/scorecard-\(model.periodSlugs[period.name]).csv") { m in
                { piece in try ScorecardCSV.write(m, period: period, into: piece) }
            })
        }
        pages = dataFiles + pages
        let models = [model] + (1..<max(1, workers)).map { _ in SiteModel(sharingTablesOf: model) }
        let libraries = [templates.library] + (1..<max(1, workers)).map { _ in templates.separateLibrary() }
        let state = RenderState()
        withoutActuallyEscaping(emit) { emit in
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let m = models[worker], library = libraries[worker]
                var hints = memoBytes > 0 ? MustacheLibrary.LookupHints(memoBytes: memoBytes) : MustacheLibrary.LookupHints()
                // A streamed page is claimed alone, so two of them (the period pages, early
                // in the order) can render on two threads at once.
                while let range = state.claim(chunk, of: pages.count, alone: { pages[$0].streamed }, joinsPrevious: { pages[$0].joinsPrevious }) {
                    for page in pages[range] {
                        if let data = page.data {
                            do { try state.emitStreamed(page.path, data(m), emit) } catch { state.locked { state.fail(error) } }
                            continue
                        }
                        var clock = StageClock()
                        var context = page.values(m)
                        let modelTime = clock.lap()
                        context["css"] = css
                        context["csp"] = csp
                        if page.streamed {
                            // Rendered while it is written, by whoever takes the pieces.
                            let name = page.template, values = context
                            do {
                                try state.emitStreamed(page.path, { piece in _ = try library.render(name, .object(values), into: piece) }, emit)
                            } catch {
                                state.locked { state.fail(error) }
                            }
                            state.locked { profile?.record(page.template, model: modelTime, render: clock.lap()) }
                            continue
                        }
                        let bytes = library.render(page.template, .object(context), hints: &hints) ?? []
                        let renderTime = clock.lap()
                        state.locked {
                            profile?.record(page.template, model: modelTime, render: renderTime)
                            do { try emit(OutputFile(path: page.path, contents: bytes)) } catch { state.fail(error) }
                        }
                    }
                }
                state.locked { profile?.recordMemoHits(hints.memoHits) }
            }
        }
        if let failure = state.failure { throw failure }
        // The node cache (over 100 MB at 20,000 objectives) lives as long as the renderer:
        // emptying it here took 0.07 s on one core after the last page at 20k, while the
        // other core had nothing left to do, and the peak was already behind. `strata build`
        // keeps the renderer until the process exits.
    }

    /// The next chunk of pages to render, the first failure, and a lock for everything the
    /// render threads share.
    final class RenderState: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private(set) var failure: Error?

        /// `n` pages, and more up to the next page that does not join the one before it; a
        /// page for which `alone` is true is claimed by itself.
        func claim(_ n: Int, of count: Int, alone: (Int) -> Bool, joinsPrevious: (Int) -> Bool) -> Range<Int>? {
            lock.lock(); defer { lock.unlock() }
            guard failure == nil, next < count else { return nil }
            let start = next
            var end = start + 1
            if !alone(start) { while end < count, !alone(end), end < start + n || joinsPrevious(end) { end += 1 } }
            next = end
            return start..<end
        }

        func locked<T>(_ body: () throws -> T) rethrows -> T { lock.lock(); defer { lock.unlock() }; return try body() }

        /// Emits a streamed file with the lock held, but lets the lock go while the file's
        /// pieces are made inside `emit` on this thread, so other threads go on meanwhile
        /// (pieces taken later, or on another thread, are made without touching the lock).
        func emitStreamed(_ path: String, _ pieces: @escaping OutputFile.Pieces, _ emit: (OutputFile) throws -> Void) throws {
            let owner = StreamOwner()
            let file = OutputFile(path: path) { [self] piece in
                guard owner.isCurrentThread() else { return try pieces(piece) }
                lock.unlock()
                defer { lock.lock() }
                try pieces(piece)
            }
            try locked {
                owner.set(pthread_self())
                defer { owner.set(nil) }
                try emit(file)
            }
        }

        /// The thread that holds the lock while it emits a streamed file.
        final class StreamOwner: @unchecked Sendable {
            private let guardLock = NSLock()
            private var thread: pthread_t?
            func set(_ t: pthread_t?) { guardLock.withLock { thread = t } }
            func isCurrentThread() -> Bool { guardLock.withLock { thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false } }
        }

        /// Called with the lock held.
        func fail(_ error: Error) { if failure == nil { failure = error } }
    }
}

/// Where render time goes, by template (filled when `SiteRenderer.profile` is set).
public final class RenderProfile: @unchecked Sendable {
    public private(set) var byTemplate: [String: (pages: Int, model: Double, render: Double)] = [:]
    /// How many list items' sections were reused rather than rendered.
    public private(set) var memoHits = 0
    public init() {}
    func recordMemoHits(_ n: Int) { memoHits += n }
    func record(_ template: String, model: Double, render: Double) {
        let old = byTemplate[template] ?? (0, 0, 0)
        byTemplate[template] = (old.pages + 1, old.model + model, old.render + render)
    }
    public var report: String {
        byTemplate.keys.sorted().map { k in
            let v = byTemplate[k]!
            return "\(k): \(v.pages) pages, values \(String(format: "%.2f", v.model)) s, template \(String(format: "%.2f", v.render)) s"
        }.joined(separator: "\n") + "\nsections reused: \(memoHits)"
    }
}
