import Foundation
import Testing
@testable import Strata

/// Plan files checked against the generated JSON Schemas by a real validator: Python's
/// `jsonschema` (Draft202012Validator) through `scripts/validate-schema.py`, which reads
/// YAML as YAML 1.2 like editors do. The demo and the valid fixtures must pass; each
/// invalid fixture must fail at the place its `# expect: <path> <validator>` line names —
/// and the decoder must agree: no schema diagnostics for the valid files, at least one for
/// each invalid file. A missing python3, jsonschema or PyYAML fails these tests
/// (`scripts/setup --test` installs them).
@Suite struct SchemaValidationTests {
    static let fixtures = TestPaths.fixtures.appendingPathComponent("schema")
    static let script = TestPaths.packageRoot.appendingPathComponent("scripts/validate-schema.py")
    static let schemas = TestPaths.packageRoot.appendingPathComponent("schemas")

    /// The rules by which the decoder reports what the schema describes.
    static let schemaRules = Set([Rule.unknownKey, Rule.wrongType, Rule.invalidValue, Rule.missingField, Rule.unknownKind].map(\.id))

    struct Report: Decodable {
        struct Check: Decodable {
            var file: String
            var document: Int
            var schema: String
            var errors: [Failure]
        }
        struct Failure: Decodable {
            var path: String
            var validator: String
            var message: String
        }
        var files: [Check]
    }

    struct Validation {
        var status: Int32
        var report: Report?
        var stderr: String
    }

    /// Runs the validator on `files` (paths relative to `directory`) with the given schemas.
    static func validate(_ files: [String], in directory: URL, schemas: URL = schemas) throws -> Validation {
        let temp = try makeTemporaryFolder("strata-schema-validation")
        defer { try? FileManager.default.removeItem(at: temp) }
        let out = temp.appendingPathComponent("stdout"), err = temp.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--json", "--schemas", schemas.path] + files
        process.currentDirectoryURL = directory
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let stdout = try Data(contentsOf: out)
        return Validation(status: process.terminationStatus,
                          report: try? JSONDecoder().decode(Report.self, from: stdout),
                          stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    static func files(under folder: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var found: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            let ext = url.pathExtension
            guard ["yaml", "yml", "md"].contains(ext) else { continue }
            found.append(String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)))
        }
        return found.sorted()
    }

    /// The decoder's diagnostics of the kinds the schema describes, for one file on its own.
    static func decoderDiagnostics(_ url: URL) throws -> [Diagnostic] {
        let file = SourceFile(path: url.lastPathComponent, text: try String(contentsOf: url, encoding: .utf8))
        let collector = DiagnosticCollector()
        if url.lastPathComponent == "strata.yaml" {
            _ = ConfigDecoder.decode(file, into: collector)
        } else {
            let parsed = Pipeline.parseOne(file, limits: InputLimits(), into: collector)
            _ = PlanDecoder.decode(parsed.map { [$0] } ?? [], config: Config(), sources: [file], into: collector)
        }
        return collector.sorted.filter { schemaRules.contains($0.rule) }
    }

    static func describe(_ v: Validation) -> String {
        let failures = v.report?.files.flatMap { c in c.errors.map { "\(c.file) [\(c.schema)] \($0.path): \($0.message) [\($0.validator)]" } } ?? []
        return "exit \(v.status)\n" + failures.joined(separator: "\n") + (v.stderr.isEmpty ? "" : "\nstderr: \(v.stderr)")
    }

    // MARK: - The demo

    @Test func everyDemoPlanAndFrontMatterIsValid() throws {
        let plans = Self.files(under: TestPaths.packageRoot.appendingPathComponent("plans")).map { "plans/" + $0 }
        #expect(plans.count >= 20)
        let v = try Self.validate(["strata.yaml"] + plans, in: TestPaths.packageRoot)
        #expect(v.status == 0, "\(Self.describe(v))")
        let report = try #require(v.report, "no JSON report: \(v.stderr)")
        // Every plan document was checked against the combined schema and its kind's.
        for file in plans {
            let schemas = Set(report.files.filter { $0.file == file }.map(\.schema))
            let combined = file.hasSuffix(".md") ? "front-matter" : "plan"
            #expect(schemas.contains(combined) && schemas.count == 2, "\(file) was checked against \(schemas.sorted())")
        }
        #expect(report.files.contains { $0.file == "strata.yaml" && $0.schema == "strata" })
    }

    @Test func everyDemoYAMLFileHasAModeline() throws {
        for file in Self.files(under: TestPaths.packageRoot.appendingPathComponent("plans")) where !file.hasSuffix(".md") {
            let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("plans/" + file), encoding: .utf8)
            let depth = file.split(separator: "/").count
            let expected = "# yaml-language-server: $schema=" + String(repeating: "../", count: depth) + "schemas/plan.schema.json\n"
            #expect(text.hasPrefix(expected), "plans/\(file) should start with \(expected)")
        }
    }

    // MARK: - Fixtures

    @Test func validFixturesPassTheSchemaAndTheDecoder() throws {
        let folder = Self.fixtures.appendingPathComponent("valid")
        let files = Self.files(under: folder)
        #expect(files.count >= 5)
        let v = try Self.validate(files, in: folder)
        #expect(v.status == 0, "\(Self.describe(v))")
        for file in files {
            let diagnostics = try Self.decoderDiagnostics(folder.appendingPathComponent(file))
            #expect(diagnostics.isEmpty, "\(file): the decoder reports \(diagnostics.map { "\($0.range.start.line):\($0.range.start.column) \($0.message) [\($0.rule)]" })")
        }
    }

    static let invalidFixtures = files(under: fixtures.appendingPathComponent("invalid"))

    @Test func thereAreInvalidFixturesOfEveryKindOfMistake() {
        let expectations = Self.invalidFixtures.compactMap { try? Self.expectation(Self.fixtures.appendingPathComponent("invalid/" + $0)) }
        let validators = Set(expectations.map(\.validator))
        for v in ["additionalProperties", "type", "pattern", "format", "enum", "required", "anyOf", "oneOf"] {
            #expect(validators.contains(v), "no invalid fixture expects '\(v)'")
        }
    }

    /// `# expect: <JSON pointer> <validator>` in the file.
    static func expectation(_ url: URL) throws -> (path: String, validator: String) {
        let text = try String(contentsOf: url, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("# expect: ") }, "\(url.lastPathComponent) has no '# expect:' line")
        let parts = line.dropFirst("# expect: ".count).split(separator: " ")
        try #require(parts.count == 2)
        return (String(parts[0]), String(parts[1]))
    }

    @Test(arguments: invalidFixtures)
    func invalidFixtureFailsTheSchemaAndTheDecoder(_ file: String) throws {
        let folder = Self.fixtures.appendingPathComponent("invalid")
        let expected = try Self.expectation(folder.appendingPathComponent(file))
        let v = try Self.validate([file], in: folder)
        #expect(v.status == 1, "\(Self.describe(v))")
        let report = try #require(v.report, "no JSON report: \(v.stderr)")
        let combined = ["plan", "front-matter", "strata"]
        let failures = report.files.filter { combined.contains($0.schema) }.flatMap(\.errors)
        #expect(failures.contains { $0.path == expected.path && $0.validator == expected.validator },
                "expected \(expected.validator) at \(expected.path); \(Self.describe(v))")
        #expect(failures.allSatisfy { $0.path == expected.path }, "errors beyond \(expected.path): \(Self.describe(v))")
        // The kind's own schema rejects it too.
        for check in report.files where !combined.contains(check.schema) {
            #expect(!check.errors.isEmpty, "\(check.schema).schema.json accepts \(file)")
        }
        let diagnostics = try Self.decoderDiagnostics(folder.appendingPathComponent(file))
        #expect(!diagnostics.isEmpty, "the schema rejects \(file) but the decoder accepts it")
    }

    @Test func validatorFailsOnAMissingSchemaFolder() throws {
        let folder = Self.fixtures.appendingPathComponent("valid")
        let v = try Self.validate(["okrs.md"], in: folder, schemas: folder.appendingPathComponent("no-such-folder"))
        #expect(v.status == 1)
    }
}
