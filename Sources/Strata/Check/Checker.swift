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

    /// The checks that take longest on a large plan, longest first (measured at 20,000
    /// objectives: the first two each about a quarter of all the checks' work, the next
    /// ones a seventh to a thirtieth). Started first, on different cores, so none of them
    /// runs alone at the end.
    static let longestFirst: [PlanCheck.Type] = [IdleOwnerCheck.self, CheckinCheck.self, OwnerLoadCheck.self, KeyResultMeasureCheck.self, CascadePeriodCheck.self]

    /// The order the checks start in: `longestFirst`, then the others.
    static let startOrder: [Int] = {
        let first = longestFirst.compactMap { check in checks.firstIndex { $0 == check } }
        return first + checks.indices.filter { !first.contains($0) }
    }()

    /// The checks only read the graph, so they run in parallel, each into its own
    /// collector; the collectors are then added in the order of `checks`.
    public static func run(_ graph: CascadeGraph, config: Config, asOf: Day, into diagnostics: DiagnosticCollector) {
        _ = Parallel.map(checks.count, startOrder: startOrder, reportingInto: diagnostics) { i, local in
            checks[i].run(CheckContext(graph: graph, config: config, asOf: asOf, diagnostics: local))
        }
    }
}
