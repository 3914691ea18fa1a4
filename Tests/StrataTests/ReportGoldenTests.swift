import Foundation
import Testing

/// Golden reports: the demo plan built by the real `strata` binary, compared byte for byte
/// with `Snapshots/report-*`. Re-record with `STRATA_RECORD=1 swift test`, then review the diff.
@Suite struct ReportGoldenTests {
    /// Output path → snapshot name.
    static let cases: [(output: String, snapshot: String)] = [
        ("reports/2026-q4.md", "report-quarterly-2026-q4.md"),
        ("reports/2026-q4/teams/sales.md", "report-team-sales-2026-q4.md"),
        ("reports/2026-q4/owners/erik.md", "report-owner-erik-2026-q4.md"),
        ("reports/2026-q4/balanced-scorecard.md", "report-balanced-scorecard-2026-q4.md"),
        ("data/scorecard-2026-q4.csv", "report-scorecard-2026-q4.csv"),
    ]

    @Test(arguments: cases.map(\.output))
    func demoOutputMatchesGolden(_ path: String) throws {
        let output = try DemoBuild.output()
        let snapshot = try #require(Self.cases.first { $0.output == path }?.snapshot)
        let data = try #require(FileManager.default.contents(atPath: output.appendingPathComponent(path).path), "strata build did not write \(path)")
        try assertGolden(String(decoding: data, as: UTF8.self), at: TestPaths.snapshots.appendingPathComponent(snapshot))
    }
}
