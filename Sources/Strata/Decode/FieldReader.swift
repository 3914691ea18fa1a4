/// Reads the fields of one YAML mapping by their declared types, reporting unknown keys
/// (with "did you mean"), missing required fields and malformed values as diagnostics.
///
/// A class: decoders call it a few times per mapping, and as a struct (a schema, its field
/// list and the pairs) every call copied and released it, 2,000 instructions per check-in.
final class FieldReader: ScalarFields {
    let schema: KindSchema
    let context: DecodeContext
    /// The mapping's document and place in it; its pairs are read from the document's
    /// entries in order (first of duplicates wins), without making a node per pair.
    private let tree: YAMLTree
    private let mapping: Int
    private let pairCount: Int
    /// The first line of the mapping, where "missing field" diagnostics point.
    let headRange: SourceRange

    /// Nil (with a diagnostic) when `node` is not a mapping.
    init?(_ node: YAMLNode, _ schema: KindSchema, _ context: DecodeContext, label: @autoclosure () -> String? = nil) {
        self.schema = schema
        self.context = context
        guard node.isMapping else {
            context.emit(.wrongType, "expected a mapping for \(label() ?? withArticle(schema.name)), found \(node.shapeName)", at: node.range,
                         help: "write it as 'key: value' lines, e.g. '\(schema.fields.first(where: { $0.required })?.name ?? schema.fields.first?.name ?? "id"): …'")
            return nil
        }
        tree = node.tree
        mapping = node.position
        pairCount = Int(tree.entries[mapping].count)
        headRange = pairCount > 0 ? tree.entries[mapping + 1].range : node.range
        if !schema.openKeys {
            var p = mapping + 1
            for _ in 0..<pairCount {
                defer { p = tree.keyAfter(p) }
                guard tree.entries[p].shape == .scalar, !schema.hasField(tree.entries[p].text) else { continue }
                let key = tree.entries[p].text
                context.emit(.unknownKey, "unknown key '\(key)' in \(label() ?? withArticle(schema.name))", at: tree.entries[p].range,
                             help: Suggestion.didYouMean(key, in: schema.fieldNames)
                                ?? "known keys: " + schema.fieldNames.joined(separator: ", "))
            }
        }
        for name in schema.requiredNames {
            let index = self.index(name)
            guard index == nil || tree.entries[tree.valueOfKey(at: index!)].isNull else { continue }
            let at = index.map { tree.entries[$0].range } ?? headRange
            let summary = schema.field(name)?.summary ?? ""
            context.emit(.missingField, "\(label() ?? schema.name) is missing '\(name)'", at: at,
                         help: "add '\(name): …' (\(summary.prefix { $0 != "." }.lowercased()))")
        }
    }

    /// The place of the first key `key`.
    private func index(_ key: String) -> Int? {
        tree.firstKey(key, ofMappingAt: mapping, among: pairCount)
    }

    var keys: [String] { YAMLPairList(tree: tree, parent: mapping).compactMap(\.key.scalar) }

    func pair(_ key: String) -> YAMLPair? {
        index(key).map { YAMLPair(key: YAMLNode(tree, $0), value: YAMLNode(tree, tree.valueOfKey(at: $0))) }
    }

    func has(_ key: String) -> Bool {
        guard let i = index(key) else { return false }
        return !tree.entries[tree.valueOfKey(at: i)].isNull
    }

    /// The value node of a key, nil when absent or null.
    func value(_ key: String) -> YAMLNode? {
        guard let i = index(key), !tree.entries[tree.valueOfKey(at: i)].isNull else { return nil }
        return YAMLNode(tree, tree.valueOfKey(at: i))
    }

    func keyRange(_ key: String) -> SourceRange? { index(key).map { tree.entries[$0].range } }

    /// A scalar's text, or nil with a wrong-type diagnostic.
    func scalar(_ key: String) -> Located<String>? {
        guard let v = value(key) else { return nil }
        // Text (the usual case) without building the wrong-type message's closure.
        if let s = v.scalar { return Located(s, v.range) }
        return ValueReader.scalar(v, field: key, expected: schema.field(key).map { ValueReader.expectation($0.type) } ?? "text", context)
    }

    /// A list of references; a single scalar counts as a one-element list.
    func references(_ key: String) -> [Located<String>] {
        guard let v = value(key) else { return [] }
        switch v.value {
        case .scalar(let s): return [Located(s.trimmed, v.range)]
        case .sequence(let items):
            return items.compactMap { item in ValueReader.scalar(item, field: key, context).map { Located($0.value.trimmed, $0.range) } }
        case .mapping:
            context.emit(.wrongType, "'\(key)' must be a list of ids, found a mapping", at: v.range)
            return []
        }
    }

    func list(_ key: String) -> YAMLNodeList {
        guard let v = value(key) else { return .empty }
        guard case .sequence(let items) = v.value else {
            context.emit(.wrongType, "'\(key)' must be a list, found \(v.shapeName)", at: v.range,
                         help: "write each item on its own line starting with '- '")
            return .empty
        }
        return items
    }
}

/// A mapping's scalar fields, read by their types: the same readers, and so the same
/// values and diagnostics, however the mapping was parsed — `FieldReader` over a document's
/// tree, or `CheckinLedgerReader`'s records read straight from libyaml's events.
protocol ScalarFields {
    var context: DecodeContext { get }
    /// Where "missing field" diagnostics point: the mapping's first key.
    var headRange: SourceRange { get }
    /// A field's text; nil when it is absent or null, or (with a diagnostic) not text.
    func scalar(_ key: String) -> Located<String>?
}

extension ScalarFields {
    func text(_ key: String) -> Located<String>? {
        scalar(key).map { Located($0.value.trimmed, $0.range) }
    }

    func id(_ key: String) -> Located<String>? {
        guard let s = text(key) else { return nil }
        return ValueReader.id(s, field: key, context)
    }

    func reference(_ key: String) -> Located<String>? { text(key) }

    func date(_ key: String) -> Located<Day>? {
        scalar(key).flatMap { ValueReader.date($0, field: key, context) }
    }

    func period(_ key: String) -> Located<Period>? {
        scalar(key).flatMap { ValueReader.period($0, field: key, context) }
    }

    func quantity(_ key: String) -> Located<Quantity>? {
        scalar(key).flatMap { ValueReader.quantity($0, field: key, context) }
    }

    func number(_ key: String) -> Located<Double>? {
        scalar(key).flatMap { ValueReader.number($0, field: key, context) }
    }

    func bool(_ key: String) -> Located<Bool>? {
        scalar(key).flatMap { ValueReader.bool($0, field: key, context) }
    }

    func confidence(_ key: String) -> Located<Double>? {
        scalar(key).flatMap { ValueReader.confidence($0, field: key, context) }
    }

    func choice(_ key: String, _ options: [String]) -> Located<String>? {
        scalar(key).flatMap { ValueReader.choice($0, options, field: key, context) }
    }
}

/// Interprets scalar text by type. Shared by the YAML and Markdown decoders.
enum ValueReader {
    static func scalar(_ v: YAMLNode, field: String, expected: @autoclosure () -> String = "text", _ context: DecodeContext) -> Located<String>? {
        guard case .scalar(let s) = v.value else {
            let expected = expected()
            context.emit(.wrongType, "'\(field)' must be \(expected), found \(v.shapeName)", at: v.range,
                         help: expected == "text" ? "quote the value if it contains ': ' or starts with '[', '{', '-' or '*'" : nil)
            return nil
        }
        return Located(s, v.range)
    }

    /// How a field's expected value is described in messages.
    static func expectation(_ type: FieldType) -> String {
        switch type {
        case .boolean: return "yes or no (true or false)"
        case .number: return "a number"
        case .quantity: return "a number with an optional unit"
        case .date: return "a date (YYYY-MM-DD)"
        case .period: return "a period such as 2026-Q4"
        case .confidence: return "a confidence from 0 to 1"
        case .choice(let options): return "one of " + options.joined(separator: ", ")
        case .id: return "an id"
        case .reference(let kind): return "the id of \(withArticle(kind))"
        default: return "text"
        }
    }

    static func isValidID(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, s.utf8.count <= 128 else { return false }
        // ASCII ids (the common case) on bytes: the same rules without Unicode look-ups.
        var bytes = s
        if let ascii = bytes.withUTF8({ u -> Bool? in
            for b in u where b >= 0x80 { return nil }
            func ok(_ b: UInt8) -> Bool { CharacterSetASCII.alnum(Unicode.Scalar(b)) || b == 0x2D || b == 0x5F || b == 0x2E }
            let firstOK = ok(u[0]) && u[0] != 0x2D && u[0] != 0x5F && u[0] != 0x2E
            guard firstOK else { return false }
            for k in u.indices { guard ok(u[k]) else { return false }; if k > 0, u[k] == 0x2E, u[k - 1] == 0x2E { return false } }
            return true
        }) {
            return ascii
        }
        func ok(_ u: Unicode.Scalar) -> Bool {
            if u.value < 0x80 { return CharacterSetASCII.alnum(u) || u == "-" || u == "_" || u == "." }
            return u.properties.isAlphabetic || u.properties.numericType != nil
        }
        let firstOK = ok(first) && first != "-" && first != "_" && first != "."
        return firstOK && s.unicodeScalars.allSatisfy(ok) && !s.contains("..")
    }

    static func id(_ s: Located<String>, field: String, _ context: DecodeContext) -> Located<String>? {
        guard isValidID(s.value) else {
            context.emit(.invalidValue, "'\(s.value.prefix(60))' is not a valid id", at: s.range,
                         help: "ids use letters, digits, '-', '_' and '.', start with a letter or digit, and are at most 128 characters")
            return nil
        }
        return s
    }

    static func date(_ s: Located<String>, field: String, _ context: DecodeContext) -> Located<Day>? {
        let t = s.value.trimmed
        guard let d = Day(t) else {
            context.emit(.invalidValue, "'\(t.prefix(40))' is not a valid date for '\(field)'", at: s.range,
                         help: "write dates as YYYY-MM-DD, e.g. 2026-11-20")
            return nil
        }
        return Located(d, s.range)
    }

    static func period(_ s: Located<String>, field: String, _ context: DecodeContext) -> Located<Period>? {
        let t = s.value.trimmed
        guard let p = Period.parse(t, fiscalYearStart: context.fiscalYearStart) else {
            context.emit(.invalidValue, "'\(t.prefix(40))' is not a period", at: s.range,
                         help: "write periods as 2026, 2026-H2, 2026-Q4, 2026-11, FY2027 or FY2027-Q1")
            return nil
        }
        return Located(p, s.range)
    }

    /// For a value that reads as a number beyond `Quantity.largestMagnitude`: says so, and
    /// returns true (the caller then skips its own "is not a number" message).
    static func reportOutOfRange(_ s: Located<String>, _ context: DecodeContext) -> Bool {
        guard Quantity.isOutOfRange(s.value) else { return false }
        context.emit(.invalidValue, "'\(s.value.prefix(40))' is too large: a number in a plan can be at most 10^15 (1,000,000,000,000,000)",
                     at: s.range, help: "check the figure for a typo")
        return true
    }

    static func quantity(_ s: Located<String>, field: String, _ context: DecodeContext) -> Located<Quantity>? {
        guard let q = Quantity.parse(s.value) else {
            if reportOutOfRange(s, context) { return nil }
            context.emit(.invalidValue, "'\(s.value.prefix(40))' is not a number with an optional unit", at: s.range,
                         help: "write values such as 12%, $4.5M, €200k, 450 ms, 1,200 users or 4.5/5")
            return nil
        }
        return Located(q, s.range)
    }

    static func number(_ s: Located<String>, field: String, _ context: DecodeContext) -> Located<Double>? {
        guard let q = Quantity.parse(s.value), q.unit == .none else {
            if reportOutOfRange(s, context) { return nil }
            context.emit(.invalidValue, "'\(s.value.prefix(40))' is not a number", at: s.range)
            return nil
        }
        return Located(q.value, s.range)
    }

    static let trueWords: Set<String> = ["true", "yes", "on", "done", "y"]
    static let falseWords: Set<String> = ["false", "no", "off", "not done", "n"]

    static func bool(_ s: Located<String>, field: String, _ context: DecodeContext) -> Located<Bool>? {
        let t = s.value.trimmed.lowercased()
        if trueWords.contains(t) { return Located(true, s.range) }
        if falseWords.contains(t) { return Located(false, s.range) }
        context.emit(.invalidValue, "'\(s.value.prefix(40))' is not yes or no for '\(field)'", at: s.range,
                     help: "write yes or no (or true or false)")
        return nil
    }

    static func confidence(_ s: Located<String>, field: String, _ context: DecodeContext) -> Located<Double>? {
        guard let q = Quantity.parse(s.value), q.unit == .none || q.unit == .percent else {
            if reportOutOfRange(s, context) { return nil }
            context.emit(.invalidValue, "'\(s.value.prefix(40))' is not a confidence", at: s.range,
                         help: "write a number from 0 to 1 or a percentage, e.g. 0.7 or 70%")
            return nil
        }
        let v = q.unit == .percent ? q.value / 100 : q.value
        guard v >= 0, v <= 1 else {
            context.emit(.invalidValue, "confidence \(s.value) is outside 0–1", at: s.range,
                         help: "write a number from 0 to 1 or a percentage, e.g. 0.7 or 70%")
            return nil
        }
        return Located(v, s.range)
    }

    static func choice(_ s: Located<String>, _ options: [String], field: String, _ context: DecodeContext) -> Located<String>? {
        let t = s.value.trimmed
        guard options.contains(t) else {
            context.emit(.invalidValue, "'\(t.prefix(40))' is not a valid '\(field)'", at: s.range,
                         help: (Suggestion.didYouMean(t, in: options).map { $0 + " " } ?? "") + "choose one of: " + options.joined(separator: ", "))
            return nil
        }
        return Located(t, s.range)
    }
}

enum CharacterSetASCII {
    static func alnum(_ u: Unicode.Scalar) -> Bool {
        (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9")
    }
}
