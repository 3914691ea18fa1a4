import Foundation

/// `plan.json`: the linked graph with computed progress. The shape is versioned
/// (`format_version`) and documented in `docs/plan-json.md`; fields are only ever added
/// within a version.
public enum PlanJSON {
    public static let formatVersion = 1

    static func round(_ v: Double?) -> Double? { v.map { ($0 * 10000).rounded() / 10000 } }
    static func number(_ v: Double?) -> JSONValue? { v.map(JSONValue.number) }
    static func string(_ v: String?) -> JSONValue? { v.map(JSONValue.string) }

    static func progress(_ p: NodeProgress?) -> JSONValue? {
        guard let p else { return nil }
        return .object([
            "raw": .number(round(p.raw)!), "rolled": .number(round(p.rolled)!), "expected": number(round(p.expected)),
            "status": .string(p.status.rawValue), "status_reason": .string(p.statusReason),
            "confidence": number(round(p.confidence)), "grade": number(p.grade),
        ])
    }

    static func source(_ r: SourceRange) -> JSONValue {
        .object(["file": .string(r.file), "line": .int(r.start.line), "column": .int(r.start.column)])
    }

    /// The whole document. The shape is described field by field in docs/plan-json.md;
    /// absent optional values are left out.
    public static func document(_ rollUp: RollUp) -> JSONValue {
        let g = rollUp.graph, plan = g.plan
        let checkinsOf: (String) -> JSONValue = { id in
            .array(rollUp.reachedCheckins(id).map {
                .object(["date": .string("\($0.date.value)"), "value": .string($0.value.value.description),
                         "confidence": number(round($0.confidence?.value)), "note": string($0.note)])
            })
        }
        let goals = JSONValue.lazy(plan.goals) { x in
            .object([
                "id": .string(x.id.value), "title": .string(x.title.value), "owner": string(x.owner?.value),
                "perspective": string(x.perspective?.value), "due": string(x.due.map { "\($0.value)" }),
                "metric": x.metric.map { .object(["start": string($0.start?.value.text), "target": string($0.target?.value.text), "current": string($0.current?.value.text)]) },
                "addresses": .strings(x.addresses.map(\.value)), "objectives": .strings(g.children[x.id.value] ?? []),
                "progress": progress(rollUp.explained(x.id.value, .sentences)), "source": source(x.id.range),
            ])
        }
        let objectives = JSONValue.lazy(plan.objectives) { o in
            .object([
                "id": .string(o.id.value), "title": .string(o.title.value), "owner": string(o.owner?.value), "team": string(o.team?.value),
                "period": string(o.period?.value.name), "parent": string(g.parent[o.id.value]), "committed": .bool(o.committed),
                "supports": .strings(o.supports.map(\.value)), "key_results": .strings(o.keyResults),
                "children": .strings(rollUp.childObjectives(of: o.id.value)), "progress": progress(rollUp.explained(o.id.value, .sentences)), "source": source(o.range),
            ])
        }
        let keyResults = JSONValue.lazy(plan.keyResults) { k in
            .object([
                "id": .string(k.id.value), "objective": .string(k.objective), "title": .string(k.title.value), "measure": .string(k.measure.kindName),
                "owner": string(k.owner?.value), "start": string(k.measure.startText), "target": string(k.measure.targetText()),
                "current": string(rollUp[k.id.value]?.current), "weight": .number(k.effectiveWeight), "progress": progress(rollUp.explained(k.id.value, .sentences)),
                "checkins": checkinsOf(k.id.value), "initiatives": .strings(g.initiativesFor[k.id.value] ?? []), "source": source(k.range),
            ])
        }
        let initiatives = JSONValue.lazy(plan.initiatives) { i in
            .object([
                "id": .string(i.id.value), "title": .string(i.title.value), "status": .string(i.status.rawValue), "owner": string(i.owner?.value),
                "team": string(i.team?.value), "start": string(i.start.map { "\($0.value)" }), "due": string(i.due.map { "\($0.value)" }),
                "budget": string(i.budget?.value.text), "supports": .strings(i.supports.map(\.value)),
            ])
        }
        let kpis = JSONValue.lazy(plan.kpis) { k in
            let r = rollUp.kpis[k.id.value]
            return .object([
                "id": .string(k.id.value), "title": .string(k.title.value), "health": .string(r?.health.rawValue ?? "no data"),
                "direction": .string(k.direction.rawValue), "owner": string(k.owner?.value), "target": string(k.target?.value.text),
                "alert": string(k.alert?.value.text), "value": string(r?.value?.text), "date": string(r?.date.map { "\($0)" }),
                "readings": checkinsOf(k.id.value),
            ])
        }
        return .object([
            "format": .string("strata-plan"), "format_version": .int(formatVersion),
            "organisation": .string(plan.config.organisation), "as_of": .string("\(rollUp.asOf)"),
            "periods": .array(g.periods.map { .object(["name": .string($0.name), "start": .string("\($0.start)"), "end": .string("\($0.end)")]) }),
            "mission": plan.mission.map { m in
                .object(["mission": string(m.mission?.value), "vision": string(m.vision?.value),
                         "values": .array(m.values.map { .object(["name": .string($0.name), "description": .string($0.description)]) })])
            },
            "swot": .array(plan.swot.map {
                .object(["id": .string($0.id.value), "quadrant": .string($0.quadrant.rawValue), "text": .string($0.text),
                         "addressed_by": .strings(g.addressedBy[$0.id.value] ?? [])])
            }),
            "goals": goals, "objectives": objectives, "key_results": keyResults,
            "initiatives": initiatives, "kpis": kpis,
            "teams": .lazy(plan.teams) { .object(["id": .string($0.id.value), "name": .string($0.name), "lead": string($0.lead?.value), "parent": string($0.parent)]) },
            "people": .lazy(plan.people) { .object(["id": .string($0.id.value), "name": .string($0.name), "team": string($0.team?.value), "role": string($0.role)]) },
        ])
    }

    /// `plan.json`'s bytes (`document` pretty-printed, and a newline), handed to `piece` about
    /// a megabyte at a time as they are made, so the document is never held whole. Long
    /// lists are written on `workers` threads; the bytes are the same for any number.
    public static func write(_ rollUp: RollUp, workers: Int = 1, into piece: ([UInt8]) throws -> Void) throws {
        try document(rollUp).prettyPrinted(workers: workers, trailingNewline: true, into: piece)
    }
}
