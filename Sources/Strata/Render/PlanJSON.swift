import Foundation

/// `plan.json`: the linked graph with computed progress. The shape is versioned
/// (`format_version`) and documented in `docs/plan-json.md`; fields are only ever added
/// within a version.
public enum PlanJSON {
    public static let formatVersion = 1

    static func round(_ v: Double?) -> Double? { v.map { ($0 * 10000).rounded() / 10000 } }
    static func number(_ v: Double?) -> JSONValue? { v.map(JSONValue.number) }
    static func string(_ v: String?) -> JSONValue? { v.map(JSONValue.string) }

    /// A node's progress, compactly (`nil` for a node without).
    static func progress(_ p: NodeProgress?) -> [UInt8]? {
        guard let p else { return nil }
        var o = CompactJSONObject(capacity: 160)
        o.number("confidence", round(p.confidence))
        o.number("expected", round(p.expected))
        o.number("grade", p.grade)
        o.number("raw", round(p.raw))
        o.number("rolled", round(p.rolled))
        o.string("status", p.status.rawValue)
        o.string("status_reason", p.statusReason)
        return o.finished()
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

    static func source(_ r: SourceRange) -> [UInt8] {
        var o = CompactJSONObject(capacity: 64)
        o.int("column", r.start.column)
        o.string("file", r.file)
        o.int("line", r.start.line)
        return o.finished()
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
                "progress": progress(rollUp.explained(x.id.value, .reason)).map(JSONValue.compact), "source": .compact(source(x.id.range)),
                "title": .string(x.title.value),
            ])
        }
        // Objectives and key results (most of the document) are written field by field;
        // the names in sorted order, as everywhere in the document.
        let objectives = JSONValue.lazy(plan.objectives) { o -> JSONValue in
            var j = CompactJSONObject(capacity: 512)
            j.strings("children", rollUp.childObjectives(of: o.id.value))
            j.bool("committed", o.committed)
            j.string("id", o.id.value)
            j.strings("key_results", o.keyResults)
            j.string("owner", o.owner?.value)
            j.string("parent", g.parent[o.id.value])
            j.string("period", o.period?.value.name)
            j.compact("progress", progress(rollUp.explained(o.id.value, .reason)))
            j.compact("source", source(o.range))
            j.strings("supports", o.supports.map(\.value))
            j.string("team", o.team?.value)
            j.string("title", o.title.value)
            return .compact(j.finished())
        }
        let keyResults = JSONValue.lazy(plan.keyResults) { k -> JSONValue in
            let id = k.id.value
            var j = CompactJSONObject(capacity: 1024)
            j.compact("checkins", checkinList(rollUp, id))
            j.string("current", rollUp[id]?.current)
            j.string("id", id)
            j.strings("initiatives", g.initiativesFor[id] ?? [])
            j.string("measure", k.measure.kindName)
            j.string("objective", k.objective)
            j.string("owner", k.owner?.value)
            j.compact("progress", progress(rollUp.explained(id, .reason)))
            j.compact("source", source(k.range))
            j.string("start", k.measure.startText)
            j.string("target", k.measure.targetText())
            j.string("title", k.title.value)
            j.number("weight", k.effectiveWeight)
            return .compact(j.finished())
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
            "teams": .lazy(plan.teams) { t -> JSONValue in
                var j = CompactJSONObject(capacity: 96)
                j.string("id", t.id.value)
                j.string("lead", t.lead?.value)
                j.string("name", t.name)
                j.string("parent", t.parent)
                return .compact(j.finished())
            },
            "people": .lazy(plan.people) { p -> JSONValue in
                var j = CompactJSONObject(capacity: 96)
                j.string("id", p.id.value)
                j.string("name", p.name)
                j.string("role", p.role)
                j.string("team", p.team?.value)
                return .compact(j.finished())
            },
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
