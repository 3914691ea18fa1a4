/// One input to a computed figure, with where it came from, for `strata explain`.
public struct ProgressInput: Sendable {
    public var label: String
    public var value: String
    public var source: SourceRange?
}

/// How much of a node's explanation the roll-up works out.
public enum ExplanationDetail: Sendable {
    /// Whether the formula is worked out (`.sentences` and `.full`).
    var formula: Bool { self == .sentences || self == .full }

    /// None: the figures only.
    case figures
    /// The reason for the status; the formula stays empty (plan.json, and pages whose
    /// templates do not show it: formatting a key result's formula cost more than its reason).
    case reason
    /// The reason for the status and the formula.
    case sentences
    /// Also every input with where it comes from, and the children's contributions.
    case full
}

/// The inputs of an explanation, collected only when one is asked for: the labels and
/// values are not even formatted otherwise.
struct ProgressInputs {
    let explain: Bool
    private(set) var list: [ProgressInput] = []

    init(explain: Bool) { self.explain = explain }

    mutating func add(_ label: @autoclosure () -> String, value: @autoclosure () -> String, source: SourceRange?) {
        if explain { list.append(ProgressInput(label: label(), value: value(), source: source)) }
    }
}

/// A child's part in its parent's progress.
public struct Contribution: Sendable {
    public var id: String
    public var kind: NodeKind
    public var weight: Double
    /// The child's progress as used in roll-up (capped when configured).
    public var progress: Double
    /// The fraction of the parent's progress this child decides (shares add up to 1).
    public var share: Double = 0
}

/// The figures the roll-up keeps for every goal, objective and key result: progress, pace,
/// status, confidence, grade. Why they are what they are (`NodeProgress`) is worked out
/// again on request by `RollUp.explained(_:)`; keeping those sentences for every node
/// cost about 90 MB at 20,000 objectives.
public struct ProgressFigures: Sendable, Equatable {
    public var kind: NodeKind
    /// Raw progress; may exceed 1 (over-achievement) or fall below 0.
    public var raw: Double
    /// Progress as it counts in roll-up: clamped to 0…1 when `rollup.cap` is on.
    public var rolled: Double
    /// Expected progress from pace (fraction of the period elapsed), if the node has a period.
    public var expected: Double?
    public var status: Status
    /// Latest check-in confidence (key results) or mean of the key results' (objectives).
    public var confidence: Double?
    /// End-of-period grade on the 0.0–1.0 scale, once the period has ended.
    public var grade: Double?
    /// The current value of a key result, as text.
    public var current: String?
}

/// The computed progress and status of a goal, objective or key result, with its
/// explanation: the formula, the inputs and where they come from, the status's reason.
public struct NodeProgress: Sendable {
    public var id: String
    public var kind: NodeKind
    /// Raw progress; may exceed 1 (over-achievement) or fall below 0.
    public var raw: Double
    /// Progress as it counts in roll-up: clamped to 0…1 when `rollup.cap` is on.
    public var rolled: Double
    /// Expected progress from pace (fraction of the period elapsed), if the node has a period.
    public var expected: Double?
    public var status: Status
    /// Why the status is what it is, in one sentence.
    public var statusReason: String
    /// Latest check-in confidence (key results) or mean of the key results' (objectives).
    public var confidence: Double?
    /// End-of-period grade on the 0.0–1.0 scale, once the period has ended.
    public var grade: Double?
    /// The current value of a key result, as text, and where it came from.
    public var current: String?
    public var formula: String
    public var inputs: [ProgressInput]
    public var contributions: [Contribution]

    /// The figures without the explanation.
    public var figures: ProgressFigures {
        ProgressFigures(kind: kind, raw: raw, rolled: rolled, expected: expected, status: status,
                        confidence: confidence, grade: grade, current: current)
    }
}

/// A KPI's latest reading and health.
public struct KPIReading: Sendable {
    public var id: String
    public var value: Quantity?
    public var date: Day?
    public var health: KPIHealth
    /// Readings on or before the as-of date, oldest first.
    public var history: [(Day, Double)]
}
