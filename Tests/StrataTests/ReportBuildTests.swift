import Foundation
import Testing

/// `strata build` as a whole: the output does not depend on the machine's time zone or
/// locale, and `--check` tells whether an output folder is what the plans produce.
@Suite struct ReportBuildTests {
    static func environment(_ overrides: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("LC_") { env[key] = nil }
        for (key, value) in overrides { env[key] = value }
        return env
    }

    @Test func buildIsByteIdenticalAcrossTimeZonesAndLocales() throws {
        let folder = try makeTemporaryFolder("strata-determinism")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("utc"), second = folder.appendingPathComponent("auckland")
        try ReportTools.build(root: TestPaths.packageRoot, output: first, environment: Self.environment(["TZ": "UTC", "LANG": "C", "LC_ALL": "C"]))
        try ReportTools.build(root: TestPaths.packageRoot, output: second,
                              environment: Self.environment(["TZ": "Pacific/Kiritimati", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "LC_NUMERIC": "de_DE.UTF-8"]))
        let a = try ReportTools.tree(first), b = try ReportTools.tree(second)
        #expect(a.count > 100)
        #expect(a.map(\.path) == b.map(\.path))
        for (x, y) in zip(a, b) where x.path == y.path {
            #expect(x.data == y.data, "\(x.path) differs between TZ=UTC LANG=C and TZ=Pacific/Kiritimati LANG=de_DE.UTF-8")
        }
    }

    /// The committed `output/` is what the committed plans and templates produce. When this
    /// fails, rebuild it: `strata build` in the package root.
    @Test func committedOutputIsCurrent() throws {
        let result = try ReportTools.run(try ReportTools.strataBinary(), ["build", "--check", "--root", TestPaths.packageRoot.path, "--no-color"])
        #expect(result.status == 0, "strata build --check on the committed output/ exited \(result.status):\n\(result.stderr)\(result.text)")
    }

    /// A copy of the repository whose output folder was touched fails `--check`, and
    /// `--check` writes nothing.
    @Test(arguments: ["edit", "delete", "add"])
    func checkFailsOnAModifiedOutput(_ change: String) throws {
        let folder = try makeTemporaryFolder("strata-check")
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = TestPaths.packageRoot
        for item in ["strata.yaml", "plans", "templates"] {
            try ReportTools.copy(root.appendingPathComponent(item), to: folder.appendingPathComponent(item))
        }
        let output = folder.appendingPathComponent("output")
        try ReportTools.build(root: folder, output: output)
        let strata = try ReportTools.strataBinary()
        let clean = try ReportTools.run(strata, ["build", "--check", "--root", folder.path, "--no-color"])
        #expect(clean.status == 0, "a fresh build fails --check: \(clean.stderr)")

        let index = output.appendingPathComponent("index.html")
        switch change {
        case "edit":
            var data = try Data(contentsOf: index)
            data.append(contentsOf: Array("<!-- edited -->\n".utf8))
            try data.write(to: index)
        case "delete":
            try FileManager.default.removeItem(at: output.appendingPathComponent("reports/2026-q4.md"))
        default:
            try write("stray\n", to: output.appendingPathComponent("reports/stray.md"))
        }
        let before = try ReportTools.tree(output)
        let result = try ReportTools.run(strata, ["build", "--check", "--root", folder.path, "--no-color"])
        #expect(result.status == 1, "--check after '\(change)' exited \(result.status): \(result.stderr)")
        let after = try ReportTools.tree(output)
        #expect(before.map(\.path) == after.map(\.path) && zip(before, after).allSatisfy { $0.data == $1.data }, "--check changed the output folder")
    }
}
