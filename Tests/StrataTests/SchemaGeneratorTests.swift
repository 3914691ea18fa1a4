import Foundation
import Testing
@testable import Strata

/// The JSON Schemas generated from `PlanSchema`: the committed `schemas/` folder is what
/// the generator produces, every field of the format is in them, and `strata schema`
/// prints and writes them.
@Suite struct SchemaGeneratorTests {
    static let folder = TestPaths.packageRoot.appendingPathComponent("schemas")

    @Test func committedSchemasAreCurrent() throws {
        let generated = JSONSchemaGenerator.files()
        for file in generated {
            let url = Self.folder.appendingPathComponent(file.fileName)
            let committed = try #require(try? String(contentsOf: url, encoding: .utf8), "schemas/\(file.fileName) is missing; run 'strata schema --output schemas'")
            if committed != file.text {
                let changes = lineDiff(expected: committed, actual: file.text).split(separator: "\n").filter { !$0.hasPrefix("  ") }
                Issue.record("schemas/\(file.fileName) is out of date; run 'strata schema --output schemas':\n\(changes.prefix(20).joined(separator: "\n"))")
            }
        }
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".schema.json") }.sorted()
        #expect(present == generated.map(\.fileName).sorted(), "schemas/ holds files the generator does not make")
    }

    @Test func generationIsDeterministic() {
        #expect(JSONSchemaGenerator.files() == JSONSchemaGenerator.files())
        #expect(JSONSchemaGenerator.files().map(\.name) == ["checkins", "front-matter", "goals", "initiatives", "kpis", "mission",
                                                             "mission-front-matter", "okrs", "okrs-front-matter", "org", "plan",
                                                             "strata", "swot", "swot-front-matter"])
    }

    @Test func everySchemaIsDraft202012WithAnID() {
        for file in JSONSchemaGenerator.files() {
            #expect(file.schema["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
            #expect(file.schema["$id"] == .string("urn:strata:schema:1:\(file.name)"))
            #expect(file.schema["title"] != nil && file.schema["description"] != nil, "\(file.name)")
        }
    }

    /// Every field of every mapping in the format is a property of the schema, described by
    /// its summary, and required exactly when the field is.
    @Test(arguments: PlanSchema.kinds.map(\.0) + ["strata"])
    func everyFieldIsAPropertyWithItsSummary(_ kind: String) throws {
        let file = try #require(JSONSchemaGenerator.file(named: kind))
        let kindSchema = kind == "strata" ? PlanSchema.config : PlanSchema.kinds.first { $0.0 == kind }!.1
        var checked = 0
        func visit(_ shape: KindSchema, _ json: SchemaJSON, _ path: String) {
            var json = json
            if case .string(let ref)? = json["$ref"], ref.hasPrefix("#/$defs/"),
               let def = file.schema["$defs"]?[String(ref.dropFirst("#/$defs/".count))] { json = def }
            #expect(json["additionalProperties"] == (shape.openKeys ? nil : .bool(false)), "\(path)")
            let required = shape.fields.filter(\.required).map { SchemaJSON.string($0.name) }
            #expect(json["required"] == (required.isEmpty ? nil : .array(required)), "\(path)")
            for field in shape.fields {
                guard let property = json["properties"]?[field.name] else {
                    Issue.record("\(path).\(field.name) is not in \(kind).schema.json")
                    continue
                }
                checked += 1
                #expect(property["description"] == .string(field.summary), "\(path).\(field.name)")
                for nested in Self.objects(field.type) {
                    guard let sub = Self.objectSchema(in: property, file.schema) else {
                        Issue.record("\(path).\(field.name): no object schema")
                        continue
                    }
                    visit(nested, sub, path + "." + field.name)
                }
            }
        }
        visit(kindSchema, file.schema, kind)
        #expect(checked >= kindSchema.fields.count)
    }

    static func objects(_ type: FieldType) -> [KindSchema] {
        switch type {
        case .object(let k): return [k]
        case .list(let t): return objects(t)
        case .oneOf(let ts): return ts.flatMap(objects)
        default: return []
        }
    }

    /// The first object schema inside a property (through items, anyOf and $ref).
    static func objectSchema(in json: SchemaJSON, _ root: SchemaJSON) -> SchemaJSON? {
        if case .string(let ref)? = json["$ref"], ref.hasPrefix("#/$defs/") {
            return objectSchema(in: root["$defs"]?[String(ref.dropFirst("#/$defs/".count))] ?? .null, root)
        }
        if json["properties"] != nil { return json }
        if let items = json["items"], let o = objectSchema(in: items, root) { return o }
        if case .array(let options)? = json["anyOf"] {
            for option in options { if let o = objectSchema(in: option, root) { return o } }
        }
        return nil
    }

    @Test func combinedSchemaDispatchesOnKind() throws {
        let plan = try #require(JSONSchemaGenerator.file(named: "plan")).schema
        let kinds = PlanSchema.kinds.map { SchemaJSON.string($0.0) }
        #expect(plan["properties"]?["kind"]?["enum"] == .array(kinds))
        #expect(plan["required"] == ["kind"])
        guard case .array(let branches)? = plan["allOf"] else { Issue.record("no allOf"); return }
        #expect(branches.count == kinds.count)
        for (branch, kind) in zip(branches, kinds) {
            #expect(branch["if"]?["properties"]?["kind"]?["const"] == kind)
            guard case .string(let k) = kind else { continue }
            #expect(branch["then"]?["$ref"] == .string("#/$defs/\(k)"))
            #expect(plan["$defs"]?[k]?["properties"] != nil)
        }
        let frontMatter = try #require(JSONSchemaGenerator.file(named: "front-matter")).schema
        #expect(frontMatter["properties"]?["kind"]?["enum"] == ["mission", "okrs", "swot"])
        #expect(frontMatter["$defs"]?["okrs"]?["properties"]?["period"] != nil)
        #expect(frontMatter["$defs"]?["mission"]?["properties"]?["period"] == nil)
    }

    @Test func renderingSortsKeysAndEscapes() {
        let json: SchemaJSON = ["b": 1, "a": ["x\"\\\n\u{1}é", true, .null], "$c": [:], "d": [], "e": .number(0.5)]
        #expect(json.rendered == """
            {
              "$c": {},
              "a": ["x\\"\\\\\\n\\u0001é", true, null],
              "b": 1,
              "d": [],
              "e": 0.5
            }

            """)
    }

    // MARK: - strata schema

    @Test func schemaCommandPrintsTheCombinedSchema() throws {
        let r = try CLITests.run(["schema"])
        #expect(r.status == 0)
        #expect(r.stdout == JSONSchemaGenerator.file(named: "plan")!.text)
        let okrs = try CLITests.run(["schema", "okrs"])
        #expect(okrs.status == 0)
        #expect(okrs.stdout == JSONSchemaGenerator.file(named: "okrs")!.text)
    }

    @Test func schemaCommandRejectsAnUnknownNameWithASuggestion() throws {
        let r = try CLITests.run(["schema", "okr"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("no schema named 'okr'; did you mean 'okrs'?"))
        #expect(r.stderr.contains("schemas: checkins, front-matter, goals"))
    }

    @Test func schemaCommandWritesAndChecksAFolder() throws {
        let temp = try makeTemporaryFolder("strata-schema-output")
        defer { try? FileManager.default.removeItem(at: temp) }
        let out = temp.appendingPathComponent("schemas")
        let stale = try CLITests.run(["schema", "--output", out.path, "--check"])
        #expect(stale.status == 1)
        let r = try CLITests.run(["schema", "--output", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("wrote 14 schema files"))
        for file in JSONSchemaGenerator.files() {
            #expect((try? String(contentsOf: out.appendingPathComponent(file.fileName), encoding: .utf8)) == file.text)
        }
        let current = try CLITests.run(["schema", "--output", out.path, "--check"])
        #expect(current.status == 0, "\(current.stderr)")
        let usage = try CLITests.run(["schema", "--check"])
        #expect(usage.status == 2)
    }
}
