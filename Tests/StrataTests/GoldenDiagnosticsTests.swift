import Foundation
import Testing
@testable import Strata

/// Golden diagnostics: each folder under `Fixtures/check/` is a plan repository
/// (`strata.yaml` + `plans/`) whose `strata check` output, in the one-line format, is
/// stored beside it in `expected.txt`. Re-record with `STRATA_RECORD=1 swift test`.
@Suite struct GoldenDiagnosticsTests {
    static let checkFolder = TestPaths.fixtures.appendingPathComponent("check")

    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkFolder.path)) ?? []
        return names.filter { name in
            var isDir: ObjCBool = false
            return !name.hasPrefix(".") && FileManager.default.fileExists(atPath: checkFolder.appendingPathComponent(name).path, isDirectory: &isDir) && isDir.boolValue
        }.sorted()
    }()

    /// The one-line rendering of a fixture's diagnostics.
    static func render(_ name: String) throws -> String {
        let root = checkFolder.appendingPathComponent(name)
        let compilation = try Pipeline.compile(root: root, asOf: fixedAsOf)
        let formatter = DiagnosticFormatter(format: .oneline, sources: { compilation.sources[$0] })
        return formatter.render(compilation.diagnostics)
    }

    @Test func thereAreEnoughCases() {
        #expect(Self.cases.count >= 15, "found \(Self.cases.count) cases in \(Self.checkFolder.path)")
    }

    @Test(arguments: cases)
    func diagnostics(_ name: String) throws {
        let root = Self.checkFolder.appendingPathComponent(name)
        let output = try Self.render(name)
        try assertGolden(output, at: root.appendingPathComponent("expected.txt"))
    }

    /// Running the same plan twice gives byte-identical output (no Dictionary order leaks).
    @Test(arguments: ["duplicate-ids", "dangling-references", "okr-owner-load", "checkins"])
    func outputIsDeterministic(_ name: String) throws {
        let first = try Self.render(name)
        let second = try Self.render(name)
        #expect(first == second)
    }
}
