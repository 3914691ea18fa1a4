/// Generates JSON Schemas (draft 2020-12) from `PlanSchema`, the definitions the decoder
/// reads plan files by, so editors can complete and check plan files and the schemas
/// cannot drift from the decoder.
///
/// Values are described as an editor reading YAML 1.2 sees them (yaml-language-server's
/// default): `2026-11-20` and `yes` are strings, `2026` and `0.7` numbers, `true` a boolean.
/// Each field type accepts every such value whose text the decoder accepts: a quantity is a
/// number or a string such as `$4.5M`, a boolean `true`/`false` or a word such as `done`, a
/// period `2026-Q4` or the number `2026`. Optional fields may be empty (`null`), which the
/// decoder reads as absent.
public enum JSONSchemaGenerator {
    /// One generated file.
    public struct SchemaFile: Sendable, Equatable {
        /// The name without `.schema.json` (`plan`, `okrs`, `strata`, `okrs-front-matter`).
        public var name: String
        public var schema: SchemaJSON

        public var fileName: String { name + ".schema.json" }
        public var text: String { schema.rendered }
    }

    public static let draft = "https://json-schema.org/draft/2020-12/schema"

    /// Schemas are identified, not located: the files travel with each plan repository.
    public static func id(_ name: String) -> String { "urn:strata:schema:1:\(name)" }

    static let kindSummaries: [String: String] = [
        "checkins": "A ledger of dated check-ins for key results and KPIs.",
        "goals": "Strategic goals: specific, measurable, owned and time-bound.",
        "initiatives": "Projects that support key results; they never count in progress.",
        "kpis": "Ongoing health metrics with thresholds and dated readings.",
        "mission": "Mission, vision and values.",
        "okrs": "Objectives and key results; file-level period, team and owner apply to every objective that does not set its own.",
        "org": "Teams, nested, and people.",
        "swot": "A SWOT analysis: strengths, weaknesses, opportunities and threats.",
    ]

    /// Every file, sorted by name: the combined `plan` and `front-matter` schemas, one per
    /// kind, one per Markdown front matter, and `strata` for strata.yaml.
    public static func files() -> [SchemaFile] {
        var files = [SchemaFile(name: "plan", schema: combined(PlanSchema.kinds, name: "plan", markdown: false)),
                     SchemaFile(name: "front-matter", schema: combined(PlanSchema.markdownFrontMatter, name: "front-matter", markdown: true)),
                     SchemaFile(name: "strata", schema: document(PlanSchema.config, name: "strata", title: "strata.yaml",
                                                                 description: "The configuration at the root of a Strata plan repository."))]
        for (kind, schema) in PlanSchema.kinds {
            files.append(SchemaFile(name: kind, schema: document(schema, name: kind, title: "Strata plan: kind \(kind)",
                                                                description: kindSummaries[kind] ?? "")))
        }
        for (kind, schema) in PlanSchema.markdownFrontMatter {
            files.append(SchemaFile(name: "\(kind)-front-matter", schema: document(
                schema, name: "\(kind)-front-matter", title: "Strata Markdown front matter: kind \(kind)",
                description: "The YAML front matter of a Markdown file of kind \(kind). " + (kindSummaries[kind] ?? ""))))
        }
        return files.sorted { $0.name < $1.name }
    }

    /// The names `strata schema` accepts.
    public static var names: [String] { files().map(\.name) }

    public static func file(named name: String) -> SchemaFile? { files().first { $0.name == name } }

    /// A standalone schema for one mapping shape.
    static func document(_ kind: KindSchema, name: String, title: String, description: String) -> SchemaJSON {
        var emitter = Emitter()
        var schema = emitter.object(kind)
        schema["$schema"] = .string(draft)
        schema["$id"] = .string(id(name))
        schema["title"] = .string(title)
        schema["description"] = .string(description)
        if !emitter.definitions.isEmpty { schema["$defs"] = .object(emitter.definitions) }
        return schema
    }

    /// A schema accepting a document of any of `kinds`, chosen by its `kind`.
    static func combined(_ kinds: [(String, KindSchema)], name: String, markdown: Bool) -> SchemaJSON {
        var emitter = Emitter()
        var definitions: [String: SchemaJSON] = [:]
        var branches: [SchemaJSON] = []
        for (kind, schema) in kinds {
            var def = emitter.object(schema)
            def["title"] = .string(markdown ? "front matter of kind \(kind)" : "kind \(kind)")
            if let summary = kindSummaries[kind] { def["description"] = .string(summary) }
            definitions[kind] = def
            branches.append([
                "if": ["properties": ["kind": ["const": .string(kind)]], "required": ["kind"]],
                "then": ["$ref": .string("#/$defs/\(kind)")],
            ])
        }
        for (key, def) in emitter.definitions {
            precondition(definitions[key] == nil, "schema definition '\(key)' is both a kind and a shared shape")
            definitions[key] = def
        }
        let kindNames = kinds.map { SchemaJSON.string($0.0) }
        return [
            "$schema": .string(draft),
            "$id": .string(id(name)),
            "title": markdown ? "Strata Markdown front matter" : "Strata plan document",
            "description": .string(markdown
                ? "The YAML front matter of a Markdown plan file (between the two `---` lines at the top); the kinds with a Markdown form are mission, okrs and swot."
                : "One YAML document of a Strata plan file. Its `kind` chooses the format; see docs/plan-format.md."),
            "type": "object",
            "required": ["kind"],
            "properties": ["kind": ["enum": .array(kindNames), "description": "The kind of plan file."]],
            "allOf": .array(branches),
            "$defs": .object(definitions),
        ]
    }

    /// Turns field types into schemas; shapes that contain themselves become `$defs`.
    struct Emitter {
        var definitions: [String: SchemaJSON] = [:]

        mutating func object(_ kind: KindSchema) -> SchemaJSON {
            if Self.isRecursive(kind) {
                let key = Self.slug(kind.name)
                if definitions[key] == nil {
                    definitions[key] = [:]
                    definitions[key] = body(kind, selfReference: key)
                }
                return ["$ref": .string("#/$defs/\(key)")]
            }
            return body(kind, selfReference: nil)
        }

        mutating func body(_ kind: KindSchema, selfReference: String?) -> SchemaJSON {
            var properties: [String: SchemaJSON] = [:]
            for field in kind.fields {
                var property = type(field.type, selfReference: selfReference)
                if !field.required { property = Self.nullable(property) }
                property["description"] = .string(field.summary)
                properties[field.name] = property
            }
            var schema: SchemaJSON = ["type": "object", "title": .string(kind.name), "properties": .object(properties)]
            let required = kind.fields.filter(\.required).map { SchemaJSON.string($0.name) }
            if !required.isEmpty { schema["required"] = .array(required) }
            if !kind.openKeys { schema["additionalProperties"] = false }
            if !kind.exactlyOneOf.isEmpty {
                schema["oneOf"] = .array(kind.exactlyOneOf.map { ["required": [.string($0)]] })
            }
            return schema
        }

        mutating func type(_ type: FieldType, selfReference: String?) -> SchemaJSON {
            switch type {
            case .text, .markdown:
                return ["type": ["string", "number", "boolean"]]
            case .id:
                return value("id")
            case .reference(let what):
                var schema = value("id")
                if what == "perspective" { schema["examples"] = .array(Config.defaultPerspectives.map { .string($0.id) }) }
                return schema
            case .date:
                return value("date")
            case .period:
                return value("period")
            case .quantity:
                return value("quantity")
            case .number:
                return value("number")
            case .boolean:
                return value("boolean")
            case .confidence:
                return value("confidence")
            case .choice(let options):
                return ["enum": .array(options.map { .string($0) })]
            case .severity:
                return ["enum": .array((["off"] + Severity.allCases.map(\.rawValue)).map { .string($0) })]
            case .list(.reference(let what)):
                // `FieldReader.references`: a single id counts as a one-element list.
                let item = self.type(.reference(what), selfReference: selfReference)
                return ["anyOf": [["type": "array", "items": item], item]]
            case .list(let item):
                return ["type": "array", "items": self.type(item, selfReference: selfReference)]
            case .object(let kind):
                return object(kind)
            case .oneOf(let types):
                return ["anyOf": .array(types.map { self.type($0, selfReference: selfReference) })]
            case .recursive:
                guard let key = selfReference else { return [:] }
                return ["$ref": .string("#/$defs/\(key)")]
            case .any:
                return [:]
            }
        }

        /// A reference to the shared definition of a value type, added to `definitions` on first use.
        mutating func value(_ name: String) -> SchemaJSON {
            if definitions[name] == nil { definitions[name] = Self.valueTypes[name]! }
            return ["$ref": .string("#/$defs/\(name)")]
        }

        /// The text forms of `ValueReader`, with its help texts as the editor's message for a
        /// value that does not match.
        static let valueTypes: [String: SchemaJSON] = [
            "id": [
                "title": "id", "description": "Letters, digits, '-', '_' and '.'; starts with a letter or digit; at most 128 characters.",
                "type": ["string", "number"], "pattern": .string(ValuePatterns.id), "maxLength": 128, "minimum": 0,
                "patternErrorMessage": "ids use letters, digits, '-', '_' and '.', start with a letter or digit, and are at most 128 characters",
            ],
            "date": [
                "title": "date", "description": "YYYY-MM-DD.",
                "type": "string", "format": "date", "pattern": .string(ValuePatterns.date),
                "patternErrorMessage": "write dates as YYYY-MM-DD, e.g. 2026-11-20",
            ],
            "period": [
                "title": "period", "description": "YYYY, YYYY-H1/H2, YYYY-Q1..Q4, YYYY-MM, or fiscal FY2027, FY2027-H1, FY2027-Q1.",
                "type": ["string", "integer"], "pattern": .string(ValuePatterns.period), "minimum": 1000, "maximum": 9999,
                "patternErrorMessage": "write periods as 2026, 2026-H2, 2026-Q4, 2026-11, FY2027 or FY2027-Q1",
            ],
            "quantity": [
                "title": "quantity",
                "description": "A number with an optional currency ($ € £ ¥ or a code), thousands separators, multiplier (k, M, B) and unit (%, pp, ms s min h d, a rating /5, or words such as users).",
                "type": ["number", "string"], "pattern": .string(ValuePatterns.quantity),
                "patternErrorMessage": "write values such as 12%, $4.5M, €200k, 450 ms, 1,200 users or 4.5/5",
            ],
            "number": [
                "title": "number", "description": "A number without a unit.",
                "type": ["number", "string"], "pattern": .string(ValuePatterns.number),
                "patternErrorMessage": "write a number without a unit, e.g. 7 or 1,200",
            ],
            "boolean": [
                "title": "boolean", "description": "true or false; also yes/no, on/off, y/n, done/not done.",
                "type": ["boolean", "string"], "pattern": .string(ValuePatterns.boolean),
                "patternErrorMessage": "write true or false (also yes/no, on/off, done/not done)",
            ],
            "confidence": [
                "title": "confidence", "description": "A number from 0 to 1 or a percentage.",
                "type": ["number", "string"], "minimum": 0, "maximum": 1, "pattern": .string(ValuePatterns.confidence),
                "patternErrorMessage": "write a number from 0 to 1 or a percentage, e.g. 0.7 or 70%",
            ],
        ]

        /// Adds `null` to what a schema accepts: an empty optional field reads as absent.
        static func nullable(_ schema: SchemaJSON) -> SchemaJSON {
            var s = schema
            switch s["type"] {
            case .string(let t)?:
                s["type"] = [.string(t), "null"]
                return s
            case .array(let ts)?:
                s["type"] = .array(ts + ["null"])
                return s
            default: break
            }
            if case .array(let values)? = s["enum"] {
                s["enum"] = .array(values + [.null])
                return s
            }
            if case .array(let options)? = s["anyOf"] {
                s["anyOf"] = .array(options + [["type": "null"]])
                return s
            }
            if s["$ref"] != nil { return ["anyOf": [s, ["type": "null"]]] }
            return s
        }

        static func isRecursive(_ kind: KindSchema) -> Bool {
            func contains(_ t: FieldType) -> Bool {
                switch t {
                case .recursive: return true
                case .list(let item): return contains(item)
                case .oneOf(let types): return types.contains(where: contains)
                default: return false
                }
            }
            return kind.fields.contains { contains($0.type) }
        }

        static func slug(_ name: String) -> String {
            String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        }
    }
}
