/// A JSON value and its pretty-printed text: keys sorted, two-space indentation, `"key" : value`
/// — the same bytes Foundation's `JSONEncoder` writes with `.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes`, at a fraction of the cost (no `Encoder` boxing per value).
public indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// An array whose items are built one at a time while it is written, so a document
    /// with one entry per check-in never holds all of them as values at once.
    case lazyArray(LazyJSONArray)
    case object([String: JSONValue])

    /// An object without the names whose value is absent (as `Encodable` omits nil optionals).
    public static func object(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        var o: [String: JSONValue] = [:]
        for (k, v) in pairs { if let v { o[k] = v } }
        return .object(o)
    }

    public static func strings(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }

    /// A lazy array with an item per element of `source`.
    public static func lazy<C: RandomAccessCollection>(_ source: C, _ item: @escaping (C.Element) -> JSONValue) -> JSONValue where C.Index == Int {
        let start = source.startIndex
        return .lazyArray(LazyJSONArray(count: source.count) { item(source[start + $0]) })
    }

    /// The pretty-printed text, as UTF-8 bytes.
    public var prettyPrinted: [UInt8] {
        var out: [UInt8] = []
        write(into: &out, indent: 0)
        return out
    }

    func write(into out: inout [UInt8], indent: Int) {
        switch self {
        case .string(let s): Self.writeString(s, into: &out)
        case .number(let d): out += Self.numberText(d).utf8
        case .int(let i): out += i.description.utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .null: out += "null".utf8
        case .array(let items):
            Self.writeArray(count: items.count, { items[$0] }, into: &out, indent: indent)
        case .lazyArray(let lazy):
            Self.writeArray(count: lazy.count, lazy.item, into: &out, indent: indent)
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            out.append(10)
            for (i, key) in fields.keys.sorted().enumerated() {
                if i > 0 { out += ",\n".utf8 }
                Self.pad(&out, indent + 2)
                Self.writeString(key, into: &out)
                out += " : ".utf8
                fields[key]!.write(into: &out, indent: indent + 2)
            }
            out.append(10)
            Self.pad(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeArray(count: Int, _ item: (Int) -> JSONValue, into out: inout [UInt8], indent: Int) {
        out.append(UInt8(ascii: "["))
        out.append(10)
        for i in 0..<count {
            if i > 0 { out += ",\n".utf8 }
            Self.pad(&out, indent + 2)
            item(i).write(into: &out, indent: indent + 2)
        }
        out.append(10)
        Self.pad(&out, indent)
        out.append(UInt8(ascii: "]"))
    }

    static func pad(_ out: inout [UInt8], _ n: Int) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n))
    }

    /// Shortest round-trip digits, without a trailing `.0` (`1`, `0.25`, `1e-07`); JSON has
    /// no NaN or infinity, so those are `null`.
    static func numberText(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        var s = d.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += "\\\"".utf8
            case UInt8(ascii: "\\"): out += "\\\\".utf8
            case 10: out += "\\n".utf8
            case 13: out += "\\r".utf8
            case 9: out += "\\t".utf8
            case 8: out += "\\b".utf8
            case 12: out += "\\f".utf8
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += "\\u00".utf8
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The items of `JSONValue.lazyArray`.
public typealias LazyJSONArray = LazyItems<JSONValue>
