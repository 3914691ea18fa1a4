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
            "confidence": number(round(p.confidence)), "expected": number(round(p.expected)), "grade": number(p.grade),
            "raw": .number(round(p.raw)!), "rolled": .number(round(p.rolled)!),
            "status": .string(p.status.rawValue), "status_reason": .string(p.statusReason),
        ])
    }

    /// The check-ins of a key result or KPI up to the as-of date, as the compact JSON of
    /// an array of `{"confidence","date","note","value"}` objects (names in that order,
    /// absent ones left out), written straight into bytes: a 20,000-objective plan has over
    /// a quarter of a million of them.
    static func checkinList(_ rollUp: RollUp, _ id: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        let checkins = rollUp.plan.checkins
        for (n, i) in rollUp.reachedCheckinPositions(id).enumerated() {
            out += n == 0 ? "{".utf8 : ",{".utf8
            if let c = round(checkins[i].confidence?.value) {
                out += "\"confidence\":".utf8
                JSONValue.number(c).writeCompact(into: &out)
                out.append(UInt8(ascii: ","))
            }
            out += "\"date\":".utf8
            JSONValue.writeString(checkins[i].date.value.description, into: &out)
            if let note = checkins[i].note {
                out += ",\"note\":".utf8
                JSONValue.writeString(note, into: &out)
            }
            out += ",\"value\":".utf8
            JSONValue.writeString(checkins[i].value.value.description, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    static func source(_ r: SourceRange) -> JSONValue {
        .object(["column": .int(r.start.column), "file": .string(r.file), "line": .int(r.start.line)])
    }

    /// The whole document. The shape is described field by field in docs/plan-json.md;
    /// absent optional values are left out. Each object's names are written in sorted order
    /// (the order they are printed in), so sorting them finds nothing to move.
    public static func document(_ rollUp: RollUp) -> JSONValue {
        let g = rollUp.graph, plan = g.plan
        let checkinsOf: (String) -> JSONValue = { id in .compact(checkinList(rollUp, id)) }
        let goals = JSONValue.lazy(plan.goals) { x in
            .object([
                "addresses": .strings(x.addresses.map(\.value)), "due": string(x.due.map { "\($0.value)" }), "id": .string(x.id.value),
                "metric": x.metric.map { .object(["current": string($0.current?.value.text), "start": string($0.start?.value.text), "target": string($0.target?.value.text)]) },
                "objectives": .strings(g.children[x.id.value] ?? []), "owner": string(x.owner?.value), "perspective": string(x.perspective?.value),
                "progress": progress(rollUp.explained(x.id.value, .reason)), "source": source(x.id.range), "title": .string(x.title.value),
            ])
        }
        let objectives = JSONValue.lazy(plan.objectives) { o in
            .object([
                "children": .strings(rollUp.childObjectives(of: o.id.value)), "committed": .bool(o.committed), "id": .string(o.id.value),
                "key_results": .strings(o.keyResults), "owner": string(o.owner?.value), "parent": string(g.parent[o.id.value]),
                "period": string(o.period?.value.name), "progress": progress(rollUp.explained(o.id.value, .reason)), "source": source(o.range),
                "supports": .strings(o.supports.map(\.value)), "team": string(o.team?.value), "title": .string(o.title.value),
            ])
        }
        let keyResults = JSONValue.lazy(plan.keyResults) { k in
            .object([
                "checkins": checkinsOf(k.id.value), "current": string(rollUp[k.id.value]?.current), "id": .string(k.id.value),
                "initiatives": .strings(g.initiativesFor[k.id.value] ?? []), "measure": .string(k.measure.kindName), "objective": .string(k.objective),
                "owner": string(k.owner?.value), "progress": progress(rollUp.explained(k.id.value, .reason)), "source": source(k.range),
                "start": string(k.measure.startText), "target": string(k.measure.targetText()), "title": .string(k.title.value),
                "weight": .number(k.effectiveWeight),
            ])
        }
        let initiatives = JSONValue.lazy(plan.initiatives) { i in
            .object([
                "budget": string(i.budget?.value.text), "due": string(i.due.map { "\($0.value)" }), "id": .string(i.id.value),
                "owner": string(i.owner?.value), "start": string(i.start.map { "\($0.value)" }), "status": .string(i.status.rawValue),
                "supports": .strings(i.supports.map(\.value)), "team": string(i.team?.value), "title": .string(i.title.value),
            ])
        }
        let kpis = JSONValue.lazy(plan.kpis) { k in
            let r = rollUp.kpis[k.id.value]
            return .object([
                "alert": string(k.alert?.value.text), "date": string(r?.date.map { "\($0)" }), "direction": .string(k.direction.rawValue),
                "health": .string(r?.health.rawValue ?? "no data"), "id": .string(k.id.value), "owner": string(k.owner?.value),
                "readings": checkinsOf(k.id.value), "target": string(k.target?.value.text), "title": .string(k.title.value),
                "value": string(r?.value?.text),
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
            "teams": .lazy(plan.teams) { .object(["id": .string($0.id.value), "lead": string($0.lead?.value), "name": .string($0.name), "parent": string($0.parent)]) },
            "people": .lazy(plan.people) { .object(["id": .string($0.id.value), "name": .string($0.name), "role": string($0.role), "team": string($0.team?.value)]) },
        ])
    }

    /// How `plan.json` is laid out: the document's fields and the items of its lists each
    /// on their own line, every item (a goal, an objective, a key result with its check-ins…)
    /// written compactly on that one line. A line per record keeps the file small (a 20,000
    /// objective plan's is 40 % smaller than fully indented), lets line tools (`grep`,
    /// `jq -c`, `git diff`) work record by record, and is still one JSON document.
    public static let indentedDepth = 2

    /// `plan.json`'s bytes (`document` laid out as `indentedDepth` says, and a newline),
    /// handed to `piece` about a megabyte at a time as they are made, so the document is
    /// never held whole. Long lists are written on `workers` threads; the bytes are the same
    /// for any number.
    public static func write(_ rollUp: RollUp, workers: Int = 1, into piece: ([UInt8]) throws -> Void) throws {
        try document(rollUp).prettyPrinted(workers: workers, trailingNewline: true, indentedDepth: indentedDepth, into: piece)
    }
}
