/// How serious a diagnostic is. `off` exists only in configuration.
public enum Severity: String, Comparable, Sendable, Codable, CaseIterable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A secondary message at another place, e.g. "first defined here".
public struct DiagnosticNote: Hashable, Sendable, Codable {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange?) {
        self.message = message
        self.range = range
    }
}

/// One finding about the plan: a collected value, never thrown.
public struct Diagnostic: Hashable, Sendable, Codable {
    /// The stable rule id, e.g. `duplicate-id`.
    public var rule: String
    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var notes: [DiagnosticNote]
    /// What to do about it, e.g. "did you mean 'maria'?".
    public var help: String?

    public init(rule: Rule, severity: Severity? = nil, message: String, at range: SourceRange,
                notes: [DiagnosticNote] = [], help: String? = nil) {
        self.rule = rule.id
        self.severity = severity ?? rule.defaultSeverity
        self.message = message
        self.range = range
        self.notes = notes
        self.help = help
    }

    /// Sort key: file, position, rule, message. Gives the same order every run.
    static func areInOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.range.fileID != b.range.fileID { return a.range.file < b.range.file }
        if a.range.start != b.range.start { return a.range.start < b.range.start }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.message < b.message
    }
}

/// Collects diagnostics from every stage, applying the configured severities.
public final class DiagnosticCollector {
    public private(set) var all: [Diagnostic] = []
    /// Per-rule severity overrides from `strata.yaml` (`nil` value = off).
    var overrides: [String: Severity?] = [:]

    public init() {}

    /// Applies the rule severities of `strata.yaml`.
    public func configure(_ config: Config) {
        for (id, setting) in config.rules { if let s = setting.severity { overrides[id] = s } }
    }

    public func add(_ d: Diagnostic) {
        var d = d
        if let override = overrides[d.rule], Rule.byID[d.rule]?.configurable ?? false {
            guard let s = override else { return }
            d.severity = s
        }
        all.append(d)
    }

    public func emit(_ rule: Rule, _ message: String, at range: SourceRange,
                     notes: [DiagnosticNote] = [], help: String? = nil) {
        add(Diagnostic(rule: rule, message: message, at: range, notes: notes, help: help))
    }

    public func append(contentsOf other: [Diagnostic]) {
        for d in other { add(d) }
    }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public func count(_ s: Severity) -> Int { all.reduce(0) { $0 + ($1.severity == s ? 1 : 0) } }

    /// The diagnostics in a stable order, without exact duplicates.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return all.sorted(by: Diagnostic.areInOrder).filter { seen.insert($0).inserted }
    }
}
