/// The type of a field in a plan file. The decoder reads fields by these types, and
/// the docs and JSON Schema are generated from the same definitions.
public indirect enum FieldType: Sendable {
    case text
    case markdown
    case id
    /// A reference to a node of the named kind (person, team, goal, …).
    case reference(String)
    case date
    case period
    case quantity
    case number
    case boolean
    case confidence
    case choice([String])
    case severity
    case list(FieldType)
    case object(KindSchema)
    /// Either a single item or a mapping (rule settings, SWOT items).
    case oneOf([FieldType])
    /// A mapping of the enclosing shape again (teams nested in teams).
    case recursive
    case any
}

public struct FieldSpec: Sendable {
    public var name: String
    public var type: FieldType
    public var required: Bool
    public var summary: String

    public init(_ name: String, _ type: FieldType, required: Bool = false, _ summary: String) {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
    }
}

/// The fields of one mapping in the plan format.
public struct KindSchema: Sendable {
    /// What a mapping of this shape is called in messages ("objective", "key result").
    public let name: String
    public let fields: [FieldSpec]
    /// The names of the required fields, in order: checked in every mapping, without
    /// copying each field's description.
    let requiredNames: [String]
    /// The names of all the fields, in order: every key of every mapping is looked for
    /// here (in `fields`, each look copied every field, its type and description).
    public let fieldNames: [String]
    /// True when arbitrary keys are allowed.
    public let openKeys: Bool
    /// Keys of which exactly one must be given (a check-in names `kr` or `kpi`). The decoder
    /// checks this by hand; the JSON Schema states it.
    public let exactlyOneOf: [String]

    public init(name: String, fields: [FieldSpec], openKeys: Bool = false, exactlyOneOf: [String] = []) {
        self.name = name
        self.fields = fields
        self.requiredNames = fields.filter(\.required).map(\.name)
        self.fieldNames = fields.map(\.name)
        self.openKeys = openKeys
        self.exactlyOneOf = exactlyOneOf
    }

    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
    /// Lengths are compared first: a failed comparison of two different strings costs a
    /// call into the runtime, and this runs for every key of every mapping.
    func hasField(_ name: String) -> Bool {
        let length = name.utf8.count
        return fieldNames.contains { $0.utf8.count == length && $0 == name }
    }
}

/// The format, kind by kind.
public enum PlanSchema {
    static let checkinFields: [FieldSpec] = [
        FieldSpec("date", .date, required: true, "The day of the reading."),
        FieldSpec("value", .oneOf([.quantity, .boolean]), required: true, "The value, with units compatible with the key result; `done`/`not done` for milestones."),
        FieldSpec("confidence", .confidence, "How sure the owner is of reaching the target, 0–1 or a percentage."),
        FieldSpec("note", .text, "A short comment."),
    ]
    public static let inlineCheckin = KindSchema(name: "check-in", fields: checkinFields)
    public static let checkin = KindSchema(name: "check-in", fields: [
        FieldSpec("kr", .reference("key result"), "The key result this check-in reads (give `kr` or `kpi`)."),
        FieldSpec("kpi", .reference("kpi"), "The KPI this check-in reads."),
    ] + checkinFields, exactlyOneOf: ["kr", "kpi"])

    public static let keyResult = KindSchema(name: "key result", fields: [
        FieldSpec("id", .id, "Unique id; default `<objective id>.kr<n>`."),
        FieldSpec("title", .text, required: true, "What will be true."),
        FieldSpec("description", .markdown, "Markdown text."),
        FieldSpec("owner", .reference("person"), "Owner; default the objective's owner."),
        FieldSpec("weight", .quantity, "Weight in the objective's progress (default 1; percentages must add up to 100%)."),
        FieldSpec("start", .quantity, "Start value of an increase/decrease key result."),
        FieldSpec("target", .quantity, "Target value of an increase/decrease key result."),
        FieldSpec("current", .quantity, "Current value, when there are no check-ins."),
        FieldSpec("stay_above", .quantity, "Threshold the value must stay at or above."),
        FieldSpec("stay_below", .quantity, "Threshold the value must stay at or below."),
        FieldSpec("done", .boolean, "Marks a milestone key result and whether it is done."),
        FieldSpec("checkins", .list(.object(inlineCheckin)), "Inline check-ins."),
    ])

    public static let objective = KindSchema(name: "objective", fields: [
        FieldSpec("id", .id, required: true, "Unique id."),
        FieldSpec("title", .text, required: true, "The objective, qualitative and inspiring."),
        FieldSpec("description", .markdown, "Markdown text."),
        FieldSpec("owner", .reference("person"), "Owner; default the file's `owner`."),
        FieldSpec("team", .reference("team"), "Team; default the file's `team`."),
        FieldSpec("period", .period, "Period; default the file's `period`."),
        FieldSpec("committed", .boolean, "Committed (expected at 1.0) or aspirational (around 0.7, the default)."),
        FieldSpec("parent", .reference("goal, objective or key result"), "What it rolls up into."),
        FieldSpec("supports", .list(.reference("goal, objective or key result")), "Related nodes, shown but not counted."),
        FieldSpec("progress", .choice(ProgressSource.allCases.map(\.rawValue)), "Overrides `rollup.objective_progress`."),
        FieldSpec("key_results", .list(.object(keyResult)), required: true, "Two to five key results."),
    ])

    public static let okrs = KindSchema(name: "okrs file", fields: [
        FieldSpec("kind", .choice(["okrs"]), required: true, "The kind of plan file."),
        FieldSpec("period", .period, "Default period of the objectives."),
        FieldSpec("team", .reference("team"), "Default team."),
        FieldSpec("owner", .reference("person"), "Default owner."),
        FieldSpec("objectives", .list(.object(objective)), "The objectives."),
    ])

    public static let missionValue = KindSchema(name: "value", fields: [
        FieldSpec("name", .text, required: true, "The value's name."),
        FieldSpec("description", .text, "One sentence."),
    ])
    public static let mission = KindSchema(name: "mission", fields: [
        FieldSpec("kind", .choice(["mission"]), required: true, "The kind of plan file."),
        FieldSpec("mission", .text, "Why the organisation exists."),
        FieldSpec("vision", .text, "Where it is going."),
        FieldSpec("values", .list(.object(missionValue)), "How it behaves."),
    ])

    public static let swotItem = KindSchema(name: "SWOT item", fields: [
        FieldSpec("id", .id, "Id; default letter and position (`S1`, `W2`, …)."),
        FieldSpec("text", .text, required: true, "The item."),
    ])
    public static let swot = KindSchema(name: "swot", fields: [FieldSpec("kind", .choice(["swot"]), required: true, "The kind of plan file.")]
        + SWOTQuadrant.allCases.map { FieldSpec($0.rawValue, .list(.oneOf([.text, .object(swotItem)])), "The \($0.rawValue).") })

    public static let metric = KindSchema(name: "metric", fields: [
        FieldSpec("start", .quantity, "Baseline."),
        FieldSpec("target", .quantity, "Target."),
        FieldSpec("current", .quantity, "Latest value."),
    ])
    public static let goal = KindSchema(name: "goal", fields: [
        FieldSpec("id", .id, required: true, "Unique id."),
        FieldSpec("title", .text, required: true, "The goal."),
        FieldSpec("description", .markdown, "Markdown text."),
        FieldSpec("owner", .reference("person"), "Owner (SMART: owned)."),
        FieldSpec("perspective", .reference("perspective"), "Perspective or pillar: the id of one of `perspectives` in strata.yaml (default financial, customer, internal-process, learning-growth)."),
        FieldSpec("metric", .object(metric), "How success is measured (SMART: measurable)."),
        FieldSpec("due", .date, "Due date (SMART: time-bound)."),
        FieldSpec("addresses", .list(.reference("SWOT item")), "SWOT items it addresses."),
    ])
    public static let goals = KindSchema(name: "goals file", fields: [
        FieldSpec("kind", .choice(["goals"]), required: true, "The kind of plan file."),
        FieldSpec("goals", .list(.object(goal)), "The strategic goals."),
    ])

    public static let team = KindSchema(name: "team", fields: [
        FieldSpec("id", .id, required: true, "Unique team id."),
        FieldSpec("name", .text, required: true, "Display name."),
        FieldSpec("lead", .reference("person"), "Team lead."),
        FieldSpec("teams", .list(.recursive), "Nested teams (same fields)."),
    ])
    public static let person = KindSchema(name: "person", fields: [
        FieldSpec("id", .id, required: true, "Unique person id."),
        FieldSpec("name", .text, required: true, "Display name."),
        FieldSpec("team", .reference("team"), "Home team."),
        FieldSpec("role", .text, "Job title."),
    ])
    public static let org = KindSchema(name: "org file", fields: [
        FieldSpec("kind", .choice(["org"]), required: true, "The kind of plan file."),
        FieldSpec("teams", .list(.object(team)), "Teams, nested."),
        FieldSpec("people", .list(.object(person)), "People."),
    ])

    public static let milestone = KindSchema(name: "milestone", fields: [
        FieldSpec("title", .text, required: true, "The milestone."),
        FieldSpec("due", .date, "Due date."),
        FieldSpec("done", .boolean, "Whether it is done."),
    ])
    public static let initiative = KindSchema(name: "initiative", fields: [
        FieldSpec("id", .id, required: true, "Unique id."),
        FieldSpec("title", .text, required: true, "The project."),
        FieldSpec("description", .markdown, "Markdown text."),
        FieldSpec("owner", .reference("person"), "Owner."),
        FieldSpec("team", .reference("team"), "Team."),
        FieldSpec("status", .choice(InitiativeStatus.allCases.map(\.rawValue)), "Status (default proposed)."),
        FieldSpec("start", .date, "Start date."),
        FieldSpec("due", .date, "Due date."),
        FieldSpec("budget", .quantity, "Budget."),
        FieldSpec("supports", .list(.reference("key result")), "Key results it supports (never counted in progress)."),
        FieldSpec("milestones", .list(.object(milestone)), "Milestones."),
    ])
    public static let initiatives = KindSchema(name: "initiatives file", fields: [
        FieldSpec("kind", .choice(["initiatives"]), required: true, "The kind of plan file."),
        FieldSpec("initiatives", .list(.object(initiative)), "The initiatives."),
    ])

    public static let kpi = KindSchema(name: "KPI", fields: [
        FieldSpec("id", .id, required: true, "Unique id."),
        FieldSpec("title", .text, required: true, "What is measured."),
        FieldSpec("description", .markdown, "Markdown text."),
        FieldSpec("owner", .reference("person"), "Owner."),
        FieldSpec("team", .reference("team"), "Team."),
        FieldSpec("target", .quantity, "Healthy at or beyond this value."),
        FieldSpec("alert", .quantity, "Alert beyond this value."),
        FieldSpec("direction", .choice(KPIDirection.allCases.map(\.rawValue)), "Whether higher or lower is better (default from target vs alert)."),
        FieldSpec("readings", .list(.object(inlineCheckin)), "Dated readings."),
    ])
    public static let kpis = KindSchema(name: "kpis file", fields: [
        FieldSpec("kind", .choice(["kpis"]), required: true, "The kind of plan file."),
        FieldSpec("kpis", .list(.object(kpi)), "The KPIs."),
    ])

    public static let checkins = KindSchema(name: "checkins file", fields: [
        FieldSpec("kind", .choice(["checkins"]), required: true, "The kind of plan file."),
        FieldSpec("checkins", .list(.object(checkin)), "The check-ins."),
    ])

    static let ruleSetting = KindSchema(name: "rule setting", fields: [
        FieldSpec("severity", .severity, "off, note, warning or error."),
        FieldSpec("max", .number, "Limit used by rules that count (okr-owner-load)."),
    ])
    /// Keyed by the ids of the rules whose severity can be changed (`strata rules`).
    static let rules = KindSchema(name: "rules", fields: Rule.all.filter(\.configurable).map {
        FieldSpec($0.id, .oneOf([.severity, .object(ruleSetting)]), "\($0.summary) Default: \($0.defaultSeverity.rawValue).")
    })
    static let perspective = KindSchema(name: "perspective", fields: [
        FieldSpec("id", .id, required: true, "Id used by goals."),
        FieldSpec("title", .text, required: true, "Display title."),
    ])
    static let rollup = KindSchema(name: "rollup settings", fields: [
        FieldSpec("objective_progress", .choice(ProgressSource.allCases.map(\.rawValue)), "Where objective progress comes from (default both)."),
        FieldSpec("cap", .boolean, "Cap progress at 100% in roll-up (default true)."),
        FieldSpec("worst_child", .boolean, "A parent's status is no better than its worst child (default false)."),
    ])
    static let status = KindSchema(name: "status settings", fields: [
        FieldSpec("on_track", .number, "Actual ÷ expected at or above which a node is on track (default 0.95)."),
        FieldSpec("behind", .number, "At or above: behind; below: at risk (default 0.75)."),
    ])
    static let checkinSettings = KindSchema(name: "check-in settings", fields: [
        FieldSpec("cadence_days", .number, "Days without a check-in before a key result is stale (default 7)."),
    ])
    static let limits = KindSchema(name: "limits", fields: [
        FieldSpec("max_file_bytes", .number, "Largest plan file (default 8 MiB)."),
        FieldSpec("max_total_bytes", .number, "Largest total of plan files (default 512 MiB)."),
        FieldSpec("max_files", .number, "Most plan files (default 100000)."),
        FieldSpec("max_depth", .number, "Deepest YAML or Markdown nesting (default 64)."),
        FieldSpec("alias_budget", .number, "Most nodes YAML aliases may add, per file (default 10000)."),
        FieldSpec("max_scalar_bytes", .number, "Longest YAML value (default 1 MiB)."),
        FieldSpec("max_markdown_bytes", .number, "Largest Markdown body (default 128 KiB)."),
        FieldSpec("max_markdown_brackets", .number, "Most '[' brackets in one Markdown body (default 4000)."),
    ])
    public static let config = KindSchema(name: "strata.yaml", fields: [
        FieldSpec("organisation", .text, required: true, "Organisation name."),
        FieldSpec("fiscal_year_start", .number, "Month (1–12) the fiscal year starts (default 1)."),
        FieldSpec("as_of", .date, "Pins the as-of date of every report."),
        FieldSpec("plans", .text, "Plan folder (default plans)."),
        FieldSpec("output", .text, "Output folder (default output)."),
        FieldSpec("templates", .text, "Template folder (default templates)."),
        FieldSpec("perspectives", .list(.object(perspective)), "Scorecard perspectives or pillars."),
        FieldSpec("rules", .object(rules), "Severity and options per rule id."),
        FieldSpec("rollup", .object(rollup), "Roll-up settings."),
        FieldSpec("status", .object(status), "Status thresholds."),
        FieldSpec("checkins", .object(checkinSettings), "Check-in cadence."),
        FieldSpec("limits", .object(limits), "Input limits."),
        FieldSpec("locked_periods", .list(.period), "Closed periods: changes to their objectives, key results and check-ins are errors in `strata diff` and `strata check --against`."),
    ])

    /// The front matter of the kinds that have a Markdown form.
    public static let markdownFrontMatter: [(String, KindSchema)] = [
        ("mission", KindSchema(name: "mission front matter", fields: [mission.fields[0]])),
        ("okrs", MarkdownOKRDecoder.frontMatterSchema),
        ("swot", KindSchema(name: "swot front matter", fields: [swot.fields[0]])),
    ]

    /// The kinds a plan document may declare.
    public static let kinds: [(String, KindSchema)] = [
        ("checkins", checkins), ("goals", goals), ("initiatives", initiatives), ("kpis", kpis),
        ("mission", mission), ("okrs", okrs), ("org", org), ("swot", swot),
    ]
}
