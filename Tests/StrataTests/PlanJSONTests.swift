import Foundation
import Testing
@testable import Strata

/// `plan.json`'s check-in lists are written straight into bytes (`PlanJSON.checkinList`);
/// they must be the bytes the same check-ins give as JSON values.
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
