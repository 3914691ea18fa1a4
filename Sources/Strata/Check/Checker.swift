/// What every check sees.
public struct CheckContext {
    public let graph: CascadeGraph
    public let config: Config
    public let asOf: Day
    let diagnostics: DiagnosticCollector

    var plan: Plan { graph.plan }

    func emit(_ rule: Rule, _ message: String, at range: SourceRange, notes: [DiagnosticNote] = [], help: String? = nil) {
        diagnostics.emit(rule, message, at: range, notes: notes, help: help)
    }
}

/// One check over the linked plan; each lives in its own file under `Check/Rules`.
protocol PlanCheck {
    /// The rules this check reports.
    static var rules: [Rule] { get }
    static func run(_ context: CheckContext)
}

/// Runs every check; their diagnostics are kept in a fixed order.
public enum Checker {
    static let checks: [PlanCheck.Type] = [
        SMARTGoalCheck.self, KeyResultCountCheck.self, KeyResultMeasureCheck.self, KeyResultWeightCheck.self,
        OwnerLoadCheck.self, CycleCheck.self, CascadePeriodCheck.self, OrphanCheck.self, GoalCoverageCheck.self,
        SWOTCoverageCheck.self, IdleOwnerCheck.self, CheckinCheck.self,
    ]

    /// The checks only read the graph, so they run in parallel, each into its own
    /// collector; the collectors are then added in the order of `checks`.
    ///
    /// They start from the end of the list, where the heavy ones are (the check-in check
    /// is about half of all the work on a large plan): started last, it ran alone at the end.
    public static func run(_ graph: CascadeGraph, config: Config, asOf: Day, into diagnostics: DiagnosticCollector) {
        _ = Parallel.map(checks.count, fromTheEnd: true, reportingInto: diagnostics) { i, local in
            checks[i].run(CheckContext(graph: graph, config: config, asOf: asOf, diagnostics: local))
        }
    }
}
