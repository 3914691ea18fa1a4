/// A balanced-scorecard perspective (or any pillar the organisation uses).
public struct Perspective: Sendable, Equatable {
    public var id: String
    public var title: String
}

/// A rule's configured severity (nil = off) and options, e.g. `max: 3`.
public struct RuleSetting: Sendable {
    public var severity: Severity??
    public var options: [String: Double]
}

/// The settings in `strata.yaml`.
public struct Config: Sendable {
    public var organisation = "Untitled organisation"
    public var fiscalYearStart = 1
    public var asOf: Located<Day>?
    public var plansFolder = "plans"
    public var outputFolder = "output"
    public var templatesFolder = "templates"
    public var perspectives: [Perspective] = Config.defaultPerspectives
    public var rules: [String: RuleSetting] = [:]
    public var objectiveProgress: ProgressSource = .both
    public var capProgress = true
    public var worstChild = false
    public var onTrackRatio = 0.95
    public var behindRatio = 0.75
    public var cadenceDays = 7
    public var limits = InputLimits()
    /// Closed periods whose objectives, key results and check-ins may no longer change.
    public var lockedPeriods: [Located<Period>] = []

    public init() {}

    public static let defaultPerspectives = [
        Perspective(id: "financial", title: "Financial"),
        Perspective(id: "customer", title: "Customer"),
        Perspective(id: "internal-process", title: "Internal process"),
        Perspective(id: "learning-growth", title: "Learning and growth"),
    ]

    /// A numeric rule option, e.g. `okr-owner-load`'s `max`.
    public func option(_ rule: Rule, _ name: String, default value: Double) -> Double {
        rules[rule.id]?.options[name] ?? value
    }
}
