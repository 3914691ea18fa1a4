/// A check Strata performs, with a stable id that configuration, docs, SARIF and
/// suppressions refer to. The catalogue below is the single list of rules.
public struct Rule: Hashable, Sendable {
    public let id: String
    public let defaultSeverity: Severity
    /// One line: what the rule finds.
    public let summary: String
    /// Input problems cannot be switched off: the file cannot be read without a fix.
    public let configurable: Bool

    init(_ id: String, _ severity: Severity, _ summary: String, configurable: Bool = true) {
        self.id = id
        self.defaultSeverity = severity
        self.summary = summary
        self.configurable = configurable
    }
}

extension Rule {
    // Input and syntax (alphabetical). Not configurable.
    public static let frontMatter = Rule("front-matter", .error, "A Markdown plan file lacks valid YAML front matter.", configurable: false)
    public static let inputEncoding = Rule("input-encoding", .error, "A file is not UTF-8 text (UTF-16, invalid bytes, NUL or control characters).", configurable: false)
    public static let inputLimit = Rule("input-limit", .error, "An input exceeds a configured limit (file size, total size, nesting depth, scalar or body size, file count).", configurable: false)
    public static let ioError = Rule("io-error", .error, "A file or folder could not be read.", configurable: false)
    public static let yamlAlias = Rule("yaml-alias", .error, "A YAML alias is undefined, refers to itself, or expands beyond the alias budget.", configurable: false)
    public static let yamlDuplicateKey = Rule("yaml-duplicate-key", .error, "A YAML mapping has the same key twice.", configurable: false)
    public static let yamlMergeKey = Rule("yaml-merge-key", .error, "A YAML merge key (`<<`) is used; write the fields out instead.", configurable: false)
    public static let yamlSyntax = Rule("yaml-syntax", .error, "The YAML cannot be parsed.", configurable: false)
    public static let yamlTag = Rule("yaml-tag", .error, "A YAML tag (`!foo`, `!!int`) is used; plan values are read by their field's type.", configurable: false)

    // Templates and output.
    public static let templateSyntax = Rule("template-syntax", .error, "A report template cannot be parsed.", configurable: false)
    public static let outputPath = Rule("output-path", .error, "The output folder is unsafe (the plan folder, the repository root or an ancestor of either) or cannot be written.", configurable: false)

    // Schema: the shape of each kind.
    public static let incompatibleUnits = Rule("incompatible-units", .error, "Values that are compared have units that cannot be converted (e.g. `$` and `%`).")
    public static let invalidValue = Rule("invalid-value", .error, "A value is not of the field's form (date, period, quantity, id, number, choice).")
    public static let missingField = Rule("missing-field", .error, "A required field is missing.")
    public static let unknownKey = Rule("unknown-key", .error, "A key is not part of the kind's format.")
    public static let unknownKind = Rule("unknown-kind", .error, "A document's `kind` is missing or not one Strata knows.")
    public static let wrongType = Rule("wrong-type", .error, "A value has the wrong YAML shape (a list where text is expected, …).")
    public static let markdownStructure = Rule("markdown-structure", .error, "A Markdown plan body has content Strata cannot place (a key result it cannot read, an unknown section).")

    // Linking.
    public static let danglingReference = Rule("dangling-reference", .error, "A reference (owner, team, parent, addresses, supports, check-in) names nothing that exists.")
    public static let duplicateID = Rule("duplicate-id", .error, "Two things share one id.")
    public static let idLookalike = Rule("id-lookalike", .warning, "Two ids of goals, objectives, key results, initiatives or KPIs differ only by letter case.")
    public static let wrongReferenceKind = Rule("wrong-reference-kind", .error, "A reference names something of the wrong kind (a parent that is a person, …).")

    // SMART goals.
    public static let goalMeasurable = Rule("goal-measurable", .warning, "A strategic goal has no metric with a target (SMART: measurable).")
    public static let goalOwned = Rule("goal-owned", .warning, "A strategic goal has no owner (SMART: owned).")
    public static let goalTimeBound = Rule("goal-time-bound", .warning, "A strategic goal has no due date (SMART: time-bound).")

    // OKR lint.
    public static let krCount = Rule("kr-count", .warning, "An objective has fewer than 2 or more than 5 key results.")
    public static let krStartEqualsTarget = Rule("kr-start-equals-target", .warning, "A key result's start equals its target, so progress cannot be measured.")
    public static let krUnmeasurable = Rule("kr-unmeasurable", .error, "A key result has no target, threshold or milestone.")
    public static let krWeights = Rule("kr-weights", .warning, "Percentage weights are given for some key results only, or do not add up to 100%.")
    public static let okrOwnerLoad = Rule("okr-owner-load", .warning, "An owner has more than `max` objectives (default 3) in one period.")

    // Cascade graph.
    public static let cascadeCycle = Rule("cascade-cycle", .error, "Parent links form a cycle.")
    public static let cascadeDue = Rule("cascade-due", .warning, "A child objective ends after the goal it hangs under is due.")
    public static let cascadePeriod = Rule("cascade-period", .error, "A child objective's period is outside its parent's period.")
    public static let goalUnsupported = Rule("goal-unsupported", .warning, "A strategic goal has no objective under it.")
    public static let orphanObjective = Rule("orphan-objective", .warning, "An objective has no parent, so it aligns to nothing.")
    public static let ownerIdle = Rule("owner-idle", .note, "A person or team owns nothing in a period that has objectives.")
    public static let swotUnaddressed = Rule("swot-unaddressed", .warning, "A SWOT weakness or threat is addressed by no strategic goal.")

    // Check-ins.
    public static let checkinOutsidePeriod = Rule("checkin-outside-period", .warning, "A check-in is dated outside its key result's period.")
    public static let checkinStale = Rule("checkin-stale", .warning, "An active key result has no check-in within the cadence (default 7 days).")
    public static let checkinUnits = Rule("checkin-units", .error, "A check-in's value has units incompatible with its key result or KPI.")

    // Plan history.
    public static let periodLocked = Rule("period-locked", .error, "A change touches an objective, key result or check-in of a locked period (`locked_periods` in strata.yaml).")

    /// Every rule, sorted by id.
    public static let all: [Rule] = [
        templateSyntax, outputPath,
        frontMatter, inputEncoding, inputLimit, ioError, yamlAlias, yamlDuplicateKey, yamlMergeKey, yamlSyntax, yamlTag,
        incompatibleUnits, invalidValue, missingField, unknownKey, unknownKind, wrongType, markdownStructure,
        danglingReference, duplicateID, idLookalike, wrongReferenceKind,
        goalMeasurable, goalOwned, goalTimeBound,
        krCount, krStartEqualsTarget, krUnmeasurable, krWeights, okrOwnerLoad,
        cascadeCycle, cascadeDue, cascadePeriod, goalUnsupported, orphanObjective, ownerIdle, swotUnaddressed,
        checkinOutsidePeriod, checkinStale, checkinUnits, periodLocked,
    ].sorted { $0.id < $1.id }

    public static let byID: [String: Rule] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}
