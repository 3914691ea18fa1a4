import Foundation
import Testing
@testable import Strata

/// `plan.json`'s check-in lists, objectives, key results, teams and people are written
/// straight into bytes (`PlanJSON.checkinList`, `CompactJSONObject`); they must be the
/// bytes the same records give as JSON values.
@Suite struct PlanJSONTests {
    /// The check-ins of every key result and KPI as `JSONValue`s, the way the document
    /// built them before they were written directly.
    static func structured(_ rollUp: RollUp, _ id: String) -> [UInt8] {
        let value = JSONValue.array(rollUp.reachedCheckins(id).map {
            .object(["confidence": PlanJSON.number(PlanJSON.round($0.confidence?.value)), "date": .string("\($0.date.value)"),
                     "note": PlanJSON.string($0.note), "value": .string($0.value.value.description)])
        })
        var out: [UInt8] = []
        value.writeCompact(into: &out)
        return out
    }

    // The records as `JSONValue`s, the way the document built them before they were
    // written directly.
    static func progress(_ p: NodeProgress?) -> JSONValue? {
        guard let p else { return nil }
        return .object([
            "confidence": PlanJSON.number(PlanJSON.round(p.confidence)), "expected": PlanJSON.number(PlanJSON.round(p.expected)),
            "grade": PlanJSON.number(p.grade), "raw": .number(PlanJSON.round(p.raw)!), "rolled": .number(PlanJSON.round(p.rolled)!),
            "status": .string(p.status.rawValue), "status_reason": .string(p.statusReason),
        ])
    }

    static func source(_ r: SourceRange) -> JSONValue {
        .object(["column": .int(r.start.column), "file": .string(r.file), "line": .int(r.start.line)])
    }

    static func objective(_ rollUp: RollUp, _ o: Objective) -> JSONValue {
        .object([
            "children": .strings(rollUp.childObjectives(of: o.id.value)), "committed": .bool(o.committed), "id": .string(o.id.value),
            "key_results": .strings(o.keyResults), "owner": PlanJSON.string(o.owner?.value), "parent": PlanJSON.string(rollUp.graph.parent[o.id.value]),
            "period": PlanJSON.string(o.period?.value.name), "progress": progress(rollUp.explained(o.id.value, .reason)), "source": source(o.range),
            "supports": .strings(o.supports.map(\.value)), "team": PlanJSON.string(o.team?.value), "title": .string(o.title.value),
        ])
    }

    static func keyResult(_ rollUp: RollUp, _ k: KeyResult) -> JSONValue {
        .object([
            "checkins": .compact(structured(rollUp, k.id.value)), "current": PlanJSON.string(rollUp[k.id.value]?.current), "id": .string(k.id.value),
            "initiatives": .strings(rollUp.graph.initiativesFor[k.id.value] ?? []), "measure": .string(k.measure.kindName), "objective": .string(k.objective),
            "owner": PlanJSON.string(k.owner?.value), "progress": progress(rollUp.explained(k.id.value, .reason)), "source": source(k.range),
            "start": PlanJSON.string(k.measure.startText), "target": PlanJSON.string(k.measure.targetText()), "title": .string(k.title.value),
            "weight": .number(k.effectiveWeight),
        ])
    }

    static func compact(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        value.writeCompact(into: &out)
        return out
    }

    /// Each record of the document's lists, as written.
    static func records(_ document: JSONValue, _ list: String) throws -> [[UInt8]] {
        guard case .object(let fields) = document, let field = fields.first(where: { $0.name == list }), case .lazyArray(let items) = field.value else {
            throw ReportTools.Failure(description: "plan.json has no list '\(list)'")
        }
        return (0..<items.count).map { compact(items.item($0)) }
    }

    @Test(arguments: ["", "Tests/StrataTests/Fixtures/hostile/injection"])
    func recordsAreTheBytesOfTheirValues(_ folder: String) throws {
        let root = folder.isEmpty ? TestPaths.packageRoot : TestPaths.packageRoot.appendingPathComponent(folder)
        let c = try Pipeline.compile(root: root, asOf: Day(year: 2026, month: 11, day: 20))
        let rollUp = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        let document = PlanJSON.document(rollUp)
        let expected: [String: [JSONValue]] = [
            "objectives": c.plan.objectives.map { Self.objective(rollUp, $0) },
            "key_results": c.plan.keyResults.map { Self.keyResult(rollUp, $0) },
            "teams": c.plan.teams.map { .object(["id": .string($0.id.value), "lead": PlanJSON.string($0.lead?.value), "name": .string($0.name), "parent": PlanJSON.string($0.parent)]) },
            "people": c.plan.people.map { .object(["id": .string($0.id.value), "name": .string($0.name), "role": PlanJSON.string($0.role), "team": PlanJSON.string($0.team?.value)]) },
        ]
        for (list, values) in expected.sorted(by: { $0.key < $1.key }) {
            let written = try Self.records(document, list)
            #expect(written.count == values.count && !values.isEmpty, "\(list)")
            for (w, v) in zip(written, values) {
                #expect(w == Self.compact(v), "\(list): \(String(decoding: w, as: UTF8.self))")
            }
        }
    }

    @Test(arguments: ["", "Tests/StrataTests/Fixtures/hostile/injection"])
    func checkinListsAreTheBytesOfTheirValues(_ folder: String) throws {
        let root = folder.isEmpty ? TestPaths.packageRoot : TestPaths.packageRoot.appendingPathComponent(folder)
        let c = try Pipeline.compile(root: root, asOf: Day(year: 2026, month: 11, day: 20))
        let rollUp = RollUp(graph: c.graph, config: c.config, asOf: c.asOf)
        let ids = c.plan.keyResults.map(\.id.value) + c.plan.kpis.map(\.id.value) + ["no-such-id"]
        var withCheckins = 0, withNotes = 0
        for id in ids {
            let direct = PlanJSON.checkinList(rollUp, id)
            #expect(direct == Self.structured(rollUp, id), "\(id): \(String(decoding: direct, as: UTF8.self))")
            let checkins = rollUp.reachedCheckins(id)
            if !checkins.isEmpty { withCheckins += 1 }
            if checkins.contains(where: { $0.note != nil }) { withNotes += 1 }
        }
        // The plans exercise what the writer leaves out or escapes.
        #expect(withCheckins > 0)
        #expect(withNotes > 0)
    }
}

/// Numbers in JSON are written from their digits when they are whole ten-thousandths; that
/// must give the text `Double.description` gives (without `.0`) for every one of them.
@Suite struct JSONNumberTests {
    static func text(_ d: Double) -> String {
        var out: [UInt8] = []
        JSONValue.appendNumber(d, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func tenThousandthsAsDescriptionWritesThem() {
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 0.0001, -0.0001, 0.00005, 0.3, 0.1 + 0.2, 2.675, 1e-7, 123_456.789, 999_999_999.9999,
                                1e9, -1e9, 1e15, 1e16, 1e300, .nan, .infinity, -.infinity, .ulpOfOne, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for k in stride(from: -30_000, through: 30_000, by: 1) { values.append(Double(k) / 10000) }
        var generator = SplitMix(seed: 0x4A50)
        for _ in 0..<20_000 {
            let k = Int(generator.next() % 20_000_000_000_000) - 10_000_000_000_000
            values.append(Double(k) / 10000)
            values.append(PlanJSON.round(Double(generator.next() % 1_000_000) / 7919)!)
            values.append(Double(bitPattern: generator.next()))
        }
        for d in values {
            #expect(Self.text(d) == JSONValue.numberText(d), "\(d)")
        }
    }
}
