import Foundation
/// One file of the output tree, in memory.
public struct OutputFile: Sendable {
    /// A relative path made only of slugs and fixed names.
    public var path: String
    public var contents: [UInt8]
}

/// Renders the whole output tree in memory: HTML site, Markdown reports, scorecards,
/// `plan.json` and CSV. Writing it is the `OutputWriter`'s job.
public struct SiteRenderer {
    public let model: SiteModel
    public let templates: TemplateSet
    /// Per-template time spent building values and rendering, for the benchmark.
    public var profile: RenderProfile?

    public init(rollUp: RollUp, templates: TemplateSet) {
        self.model = SiteModel(rollUp: rollUp)
        self.templates = templates
    }

    /// Renders every file into memory (tests, small plans), sorted by path.
    public func render(into diagnostics: DiagnosticCollector) -> [OutputFile] {
        var files: [OutputFile] = []
        try? render(into: diagnostics) { files.append($0) }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return files
    }

    /// The stylesheet (inlined in every page) and the Content-Security-Policy that allows
    /// exactly it, by its hash.
    public func styleAndPolicy() -> (css: String, csp: String) {
        let css = templates.render("style.css", [:]) ?? ""
        let styleHash = SHA256.base64(SHA256.digest(Array(css.utf8)))
        return (css, "default-src 'none'; style-src 'sha256-\(styleHash)'; img-src data:; base-uri 'none'; form-action 'none'")
    }

    /// One page of the output: its path, its template and a function that builds its values.
    public typealias PageVisitor = (_ path: String, _ template: String, _ values: () -> TemplateObject) throws -> Void

    /// Every templated page, in a fixed order. Values are built only when `visit` asks, so
    /// only one page's values need to be alive at a time.
    public func forEachPage(_ visit: PageVisitor) throws {
        let plan = model.plan
        try visit("index.html", "index.html", { model.indexPage() })
        try visit("strategy-map.html", "strategy-map.html", { model.strategyMapPage() })
        for t in plan.teams { try visit(model.teamPath(t.id.value), "team.html", { model.teamPage(t) }) }
        for p in plan.people { try visit(model.personPath(p.id.value), "person.html", { model.personPage(p) }) }
        for period in model.graph.periods {
            try visit(model.periodPath(period), "scorecard.html", { model.scorecardPage(period) })
            try visit(model.reportPath(period), "quarterly.md", { model.quarterlyReport(period) })
            try visit(model.balancedScorecardPath(period), "balanced-scorecard.md", { model.balancedScorecard(period) })
            for t in plan.teams where !model.graph.objectives(ofTeam: t.id.value, in: period).isEmpty {
                try visit(model.teamScorecardPath(period, t.id.value), "team-scorecard.md", { model.teamScorecard(period, team: t.id.value) })
            }
            for person in model.owners(in: period) {
                try visit(model.ownerScorecardPath(period, person), "owner-scorecard.md", { model.ownerScorecard(period, person: person) })
            }
        }
    }

    /// Renders file by file, handing each to `emit` as soon as it is done, so memory does
    /// not grow with the size of the output. Files come in a fixed order.
    public func render(into diagnostics: DiagnosticCollector, emit: (OutputFile) throws -> Void) throws {
        let (css, csp) = styleAndPolicy()
        try forEachPage { path, template, values in
            var clock = StageClock()
            var context = values()
            let modelTime = clock.lap()
            defer { profile?.record(template, model: modelTime, render: clock.lap()) }
            context["css"] = css
            context["csp"] = csp
            guard let bytes = templates.renderBytes(template, context) else {
                diagnostics.emit(.templateSyntax, "template '\(template)' is missing", at: .wholeFile(template + ".mustache"),
                                 help: "restore it, or remove the broken override from the templates folder")
                return
            }
            try emit(OutputFile(path: path, contents: bytes))
        }
        for period in model.graph.periods {
            try emit(OutputFile(path: "data/scorecard-\(model.periodSlugs[period.name]).csv", contents: Array(ScorecardCSV.render(model, period: period).utf8)))
        }
        try emit(OutputFile(path: "data/plan.json", contents: PlanJSON.render(model.rollUp)))
    }
}

/// Where render time goes, by template (filled when `SiteRenderer.profile` is set).
public final class RenderProfile: @unchecked Sendable {
    public private(set) var byTemplate: [String: (pages: Int, model: Double, render: Double)] = [:]
    public init() {}
    func record(_ template: String, model: Double, render: Double) {
        let old = byTemplate[template] ?? (0, 0, 0)
        byTemplate[template] = (old.pages + 1, old.model + model, old.render + render)
    }
    public var report: String {
        byTemplate.keys.sorted().map { k in
            let v = byTemplate[k]!
            return "\(k): \(v.pages) pages, values \(String(format: "%.2f", v.model)) s, template \(String(format: "%.2f", v.render)) s"
        }.joined(separator: "\n")
    }
}
