/// A value and where it was written.
public struct Located<Value>: CustomStringConvertible {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }

    public var description: String { "\(value)" }
}

extension Located: Sendable where Value: Sendable {}

public struct MissionValue: Sendable {
    public var name: String
    public var description: String
    public var range: SourceRange
}

/// Mission, vision and values.
public struct Mission: Sendable {
    public var mission: Located<String>?
    public var vision: Located<String>?
    public var values: [MissionValue]
    public var range: SourceRange
}

public enum SWOTQuadrant: String, CaseIterable, Sendable {
    case strengths, weaknesses, opportunities, threats

    public var prefix: String {
        switch self {
        case .strengths: return "S"
        case .weaknesses: return "W"
        case .opportunities: return "O"
        case .threats: return "T"
        }
    }

    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

public struct SWOTItem: Sendable {
    public var id: Located<String>
    public var quadrant: SWOTQuadrant
    public var text: String
}

/// A start, target and optional current value.
public struct Metric: Sendable {
    public var start: Located<Quantity>?
    public var target: Located<Quantity>?
    public var current: Located<Quantity>?
}

/// A SMART strategic goal.
public struct Goal: Sendable {
    public var id: Located<String>
    public var title: Located<String>
    public var description: String?
    public var owner: Located<String>?
    public var perspective: Located<String>?
    public var metric: Metric?
    public var metricRange: SourceRange?
    public var due: Located<Day>?
    /// Where `due:` was written, even when its value could not be read.
    public var dueKey: SourceRange?
    public var addresses: [Located<String>]
}

public struct Team: Sendable {
    public var id: Located<String>
    public var name: String
    public var lead: Located<String>?
    /// The enclosing team's id, for nested teams.
    public var parent: String?
}

public struct Person: Sendable {
    public var id: Located<String>
    public var name: String
    public var team: Located<String>?
    public var role: String?
}

/// How an objective's progress is computed.
public enum ProgressSource: String, CaseIterable, Sendable {
    case keyResults = "key_results"
    case children
    case both
}

public struct Objective: Sendable {
    public var id: Located<String>
    public var title: Located<String>
    public var description: String?
    public var owner: Located<String>?
    public var team: Located<String>?
    public var period: Located<Period>?
    public var committed: Bool
    public var parent: Located<String>?
    public var supports: [Located<String>]
    public var progressSource: ProgressSource?
    /// Ids of its key results, in order.
    public var keyResults: [String]
    /// The heading or `- id:` line.
    public var range: SourceRange
}

/// What a key result measures.
public enum Measure: Sendable {
    /// Increase or decrease from start to target; the direction comes from the numbers.
    case change(start: Located<Quantity>, target: Located<Quantity>)
    case stayAbove(Located<Quantity>)
    case stayBelow(Located<Quantity>)
    case milestone(done: Bool)
    /// Nothing measurable was given (reported by `kr-unmeasurable`).
    case unmeasurable

    /// The start value as written, for reports (increase/decrease only).
    public var startText: String? {
        if case .change(let s, _) = self { return s.value.text }
        return nil
    }

    /// The target as reports show it: the value, `≥ x` / `≤ x` for thresholds (`>=`/`<=`
    /// with `ascii`, for spreadsheets), or `done` for milestones.
    public func targetText(ascii: Bool = false) -> String? {
        switch self {
        case .change(_, let t): return t.value.text
        case .stayAbove(let q): return (ascii ? ">= " : "≥ ") + q.value.text
        case .stayBelow(let q): return (ascii ? "<= " : "≤ ") + q.value.text
        case .milestone: return "done"
        case .unmeasurable: return nil
        }
    }

    public var kindName: String {
        switch self {
        case .change(let s, let t): return t.value.value >= s.value.value ? "increase" : "decrease"
        case .stayAbove: return "stay above"
        case .stayBelow: return "stay below"
        case .milestone: return "milestone"
        case .unmeasurable: return "unmeasurable"
        }
    }
}

public struct KeyResult: Sendable {
    public var id: Located<String>
    public var objective: String
    public var title: Located<String>
    public var description: String?
    public var owner: Located<String>?
    /// Weight in roll-up; `nil` when not given (counts 1).
    public var weight: Located<Quantity>?
    public var measure: Measure
    public var current: Located<Quantity>?
    public var range: SourceRange

    public var effectiveWeight: Double { max(0, weight?.value.value ?? 1) }
}

public enum InitiativeStatus: String, CaseIterable, Sendable {
    case proposed, active, paused, done, cancelled
}

public struct Milestone: Sendable {
    public var title: String
    public var due: Located<Day>?
    public var done: Bool
}

public struct Initiative: Sendable {
    public var id: Located<String>
    public var title: Located<String>
    public var description: String?
    public var owner: Located<String>?
    public var team: Located<String>?
    public var status: InitiativeStatus
    public var start: Located<Day>?
    public var due: Located<Day>?
    public var budget: Located<Quantity>?
    public var supports: [Located<String>]
    public var milestones: [Milestone]
}

public enum KPIDirection: String, CaseIterable, Sendable {
    case higher, lower
}

public struct KPI: Sendable {
    public var id: Located<String>
    public var title: Located<String>
    public var description: String?
    public var owner: Located<String>?
    public var team: Located<String>?
    public var target: Located<Quantity>?
    public var alert: Located<Quantity>?
    public var direction: KPIDirection
}

public enum CheckinSubject: String, Sendable {
    case keyResult = "kr"
    case kpi
}

public enum CheckinValue: Sendable, CustomStringConvertible {
    case quantity(Quantity)
    case done(Bool)

    public var description: String {
        switch self {
        case .quantity(let q): return q.text
        case .done(let d): return d ? "done" : "not done"
        }
    }
}

/// A dated reading of a key result or KPI.
public struct Checkin: Sendable {
    public var subject: CheckinSubject
    public var target: Located<String>
    public var date: Located<Day>
    public var value: Located<CheckinValue>
    public var confidence: Located<Double>?
    public var note: String?
    public var range: SourceRange
}

/// A Markdown body attached to a node, rendered into reports.
public struct MarkdownBody: Sendable {
    public var nodeID: String
    public var markdown: String
}

/// Everything decoded from a plan repository, before linking.
public struct Plan: Sendable {
    public var config: Config
    public var mission: Mission?
    public var swot: [SWOTItem] = []
    public var goals: [Goal] = []
    public var teams: [Team] = []
    public var people: [Person] = []
    /// In the pieces the files were decoded in, as the key results (see `PiecewiseList`).
    public var objectives: PiecewiseList<Objective> = []
    /// In the pieces the files were decoded in, as the check-ins (see `PiecewiseList`).
    public var keyResults: PiecewiseList<KeyResult> = []
    public var initiatives: [Initiative] = []
    public var kpis: [KPI] = []
    /// In the pieces the files were decoded in (see `PiecewiseList`).
    public var checkins: PiecewiseList<Checkin> = []
    public var files: [SourceFile] = []

    public init(config: Config) {
        self.config = config
    }
}
