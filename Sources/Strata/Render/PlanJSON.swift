import Foundation

/// `plan.json`: the linked graph with computed progress. The shape is versioned
/// (`format_version`) and documented in `docs/plan-json.md`; fields are only ever added
/// within a version.
public enum PlanJSON {
    public static let formatVersion = 1

    struct Progress: Encodable {
        var raw: Double
        var rolled: Double
        var expected: Double?
        var status: String
        var status_reason: String
        var confidence: Double?
        var grade: Double?
    }
    struct Source: Encodable { var file: String; var line: Int; var column: Int }
    struct PeriodOut: Encodable { var name: String; var start: String; var end: String }
    struct MetricOut: Encodable { var start: String?; var target: String?; var current: String? }
    struct GoalOut: Encodable {
        var id, title: String
        var owner, perspective, due: String?
        var metric: MetricOut?
        var addresses: [String]
        var objectives: [String]
        var progress: Progress?
        var source: Source
    }
    struct ObjectiveOut: Encodable {
        var id, title: String
        var owner, team, period, parent: String?
        var committed: Bool
        var supports: [String]
        var key_results: [String]
        var children: [String]
        var progress: Progress?
        var source: Source
    }
    struct CheckinOut: Encodable { var date: String; var value: String; var confidence: Double?; var note: String? }
    struct KeyResultOut: Encodable {
        var id, objective, title, measure: String
        var owner, start, target, current: String?
        var weight: Double
        var progress: Progress?
        var checkins: [CheckinOut]
        var initiatives: [String]
        var source: Source
    }
    struct InitiativeOut: Encodable {
        var id, title, status: String
        var owner, team, start, due, budget: String?
        var supports: [String]
    }
    struct KPIOut: Encodable {
        var id, title, health, direction: String
        var owner, target, alert, value, date: String?
        var readings: [CheckinOut]
    }
    struct SWOTOut: Encodable { var id, quadrant, text: String; var addressed_by: [String] }
    struct TeamOut: Encodable { var id, name: String; var lead, parent: String? }
    struct PersonOut: Encodable { var id, name: String; var team, role: String? }
    struct MissionOut: Encodable { var mission, vision: String?; var values: [[String: String]] }
    struct Document: Encodable {
        var format = "strata-plan"
        var format_version = PlanJSON.formatVersion
        var organisation: String
        var as_of: String
        var periods: [PeriodOut]
        var mission: MissionOut?
        var swot: [SWOTOut]
        var goals: [GoalOut]
        var objectives: [ObjectiveOut]
        var key_results: [KeyResultOut]
        var initiatives: [InitiativeOut]
        var kpis: [KPIOut]
        var teams: [TeamOut]
        var people: [PersonOut]
    }

    static func round(_ v: Double?) -> Double? { v.map { ($0 * 10000).rounded() / 10000 } }

    static func progress(_ p: NodeProgress?) -> Progress? {
        guard let p else { return nil }
        return Progress(raw: round(p.raw)!, rolled: round(p.rolled)!, expected: round(p.expected), status: p.status.rawValue,
                        status_reason: p.statusReason, confidence: round(p.confidence), grade: p.grade)
    }

    static func source(_ r: SourceRange) -> Source { Source(file: r.file, line: r.start.line, column: r.start.column) }

    public static func render(_ rollUp: RollUp) -> String {
        let g = rollUp.graph, plan = g.plan
        let checkinsOf: (String) -> [CheckinOut] = { id in
            (g.checkins[id] ?? []).map { plan.checkins[$0] }.filter { $0.date.value <= rollUp.asOf }.map {
                CheckinOut(date: "\($0.date.value)", value: $0.value.value.description, confidence: round($0.confidence?.value), note: $0.note)
            }
        }
        let doc = Document(
            organisation: plan.config.organisation, as_of: "\(rollUp.asOf)",
            periods: g.periods.map { PeriodOut(name: $0.name, start: "\($0.start)", end: "\($0.end)") },
            mission: plan.mission.map { m in MissionOut(mission: m.mission?.value, vision: m.vision?.value, values: m.values.map { ["name": $0.name, "description": $0.description] }) },
            swot: plan.swot.map { SWOTOut(id: $0.id.value, quadrant: $0.quadrant.rawValue, text: $0.text, addressed_by: g.addressedBy[$0.id.value] ?? []) },
            goals: plan.goals.map { x in
                GoalOut(id: x.id.value, title: x.title.value, owner: x.owner?.value, perspective: x.perspective?.value, due: x.due.map { "\($0.value)" },
                        metric: x.metric.map { MetricOut(start: $0.start?.value.text, target: $0.target?.value.text, current: $0.current?.value.text) },
                        addresses: x.addresses.map(\.value), objectives: g.children[x.id.value] ?? [], progress: progress(rollUp[x.id.value]), source: source(x.id.range))
            },
            objectives: plan.objectives.map { o in
                ObjectiveOut(id: o.id.value, title: o.title.value, owner: o.owner?.value, team: o.team?.value, period: o.period?.value.name,
                             parent: g.parent[o.id.value], committed: o.committed, supports: o.supports.map(\.value), key_results: o.keyResults,
                             children: rollUp.childObjectives(of: o.id.value), progress: progress(rollUp[o.id.value]), source: source(o.range))
            },
            key_results: plan.keyResults.map { k in
                let start = k.measure.startText, target = k.measure.targetText()
                return KeyResultOut(id: k.id.value, objective: k.objective, title: k.title.value, measure: k.measure.kindName, owner: k.owner?.value,
                                    start: start, target: target, current: rollUp[k.id.value]?.current, weight: k.effectiveWeight,
                                    progress: progress(rollUp[k.id.value]), checkins: checkinsOf(k.id.value),
                                    initiatives: g.initiativesFor[k.id.value] ?? [], source: source(k.range))
            },
            initiatives: plan.initiatives.map { i in
                InitiativeOut(id: i.id.value, title: i.title.value, status: i.status.rawValue, owner: i.owner?.value, team: i.team?.value,
                              start: i.start.map { "\($0.value)" }, due: i.due.map { "\($0.value)" }, budget: i.budget?.value.text, supports: i.supports.map(\.value))
            },
            kpis: plan.kpis.map { k in
                let r = rollUp.kpis[k.id.value]
                return KPIOut(id: k.id.value, title: k.title.value, health: r?.health.rawValue ?? "no data", direction: k.direction.rawValue,
                              owner: k.owner?.value, target: k.target?.value.text, alert: k.alert?.value.text, value: r?.value?.text,
                              date: r?.date.map { "\($0)" }, readings: checkinsOf(k.id.value))
            },
            teams: plan.teams.map { TeamOut(id: $0.id.value, name: $0.name, lead: $0.lead?.value, parent: $0.parent) },
            people: plan.people.map { PersonOut(id: $0.id.value, name: $0.name, team: $0.team?.value, role: $0.role) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(doc)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
