/// A JSON value and its pretty-printed text: keys sorted, two-space indentation, `"key" : value`
/// — the same bytes Foundation's `JSONEncoder` writes with `.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes`, at a fraction of the cost (no `Encoder` boxing per value).
/// Values nested deeper than a chosen depth can be written compactly on one line instead
/// (`{"a":1,"b":[2]}`, as `JSONEncoder` writes with `.sortedKeys` alone): a document with a
/// record per line.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// An array whose items are built one at a time while it is written, so a document
    /// with one entry per check-in never holds all of them as values at once.
    case lazyArray(LazyJSONArray)
    /// Fields in the order they are written: sorted by name, each name once.
    case object([JSONField])
    /// A value already written compactly, as `writeCompact` writes it; its bytes are copied
    /// as they are, on one line at any depth. For the many small records of a document
    /// (plan.json's check-ins) that are always on a compact line: written straight into
    /// bytes, with no value per field to build, sort and free.
    case compact([UInt8])

    /// An object without the names whose value is absent (as `Encodable` omits nil optionals).
    /// Fields are sorted by name once, here; a name given twice keeps its last value.
    public static func object(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        var fields: [JSONField] = []
        fields.reserveCapacity(pairs.count)
        for (k, v) in pairs { if let v { fields.append(JSONField(name: k, value: v)) } }
        // Stable insertion sort: objects are small, and equal names keep their order.
        for i in fields.indices.dropFirst() {
            var j = i
            while j > 0, fields[j].name < fields[j - 1].name {
                fields.swapAt(j, j - 1)
                j -= 1
            }
        }
        // Names given twice are rare (none in plan.json): a second array only for them.
        guard zip(fields, fields.dropFirst()).contains(where: { $0.name == $1.name }) else { return .object(fields) }
        var unique: [JSONField] = []
        unique.reserveCapacity(fields.count)
        for f in fields {
            if let last = unique.last, last.name == f.name { unique[unique.count - 1] = f } else { unique.append(f) }
        }
        return .object(unique)
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
        write(into: &out, indent: 0, parallel: false)
        return out
    }

    /// The text with the first `indentedDepth` levels of nesting pretty-printed and every
    /// value nested deeper written compactly on one line, as UTF-8 bytes. With depth 2, an
    /// object of arrays of records has a line per record.
    public func printed(indentedDepth: Int) -> [UInt8] {
        var out: [UInt8] = []
        write(into: &out, indent: 0, parallel: false, flatIndent: Self.flatIndent(indentedDepth))
        return out
    }

    /// The pretty-printed text (and a final newline if asked), handed to `piece` in pieces of
    /// about `pieceSize` bytes as it is written: long lazy arrays are cut between rounds of
    /// items, so at most a round's text and one piece are in memory. Long lazy arrays are
    /// built and written on `workers` threads (their builders must be safe to call
    /// concurrently); the bytes, joined, are `prettyPrinted`'s for any number (or
    /// `printed(indentedDepth:)`'s when a depth is given). The first error `piece` throws
    /// stops the writing and is rethrown.
    public func prettyPrinted(workers: Int, trailingNewline: Bool = false, pieceSize: Int = 1 << 20, indentedDepth: Int = .max,
                              into piece: ([UInt8]) throws -> Void) throws {
        let flatIndent = Self.flatIndent(indentedDepth)
        try PieceSink.writing(pieceSize: pieceSize, into: piece) { sink, out in
            write(into: &out, indent: 0, parallel: workers > 1, workers: workers, flatIndent: flatIndent, sink: sink)
            if trailingNewline { out.append(10) }
        }
    }

    /// The indentation (two spaces a level) from which values are written compactly.
    static func flatIndent(_ indentedDepth: Int) -> Int { indentedDepth > Int.max / 4 ? .max : 2 * max(0, indentedDepth) }

    /// Writes the value at `indent` spaces; from `flatIndent` on, compactly on one line.
    func write(into out: inout [UInt8], indent: Int, parallel: Bool, workers: Int = 1, flatIndent: Int = .max, sink: PieceSink? = nil) {
        if indent >= flatIndent {
            writeCompact(into: &out)
            return
        }
        switch self {
        case .string(let s): Self.writeString(s, into: &out)
        case .number(let d): Self.appendNumber(d, to: &out)
        case .int(let i): DecimalText.appendInteger(i, to: &out)
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .null: out += "null".utf8
        case .compact(let bytes): out += bytes
        case .array(let items):
            Self.writeArray(count: items.count, { items[$0] }, into: &out, indent: indent, flatIndent: flatIndent)
        case .lazyArray(let lazy):
            if parallel && lazy.count >= Self.parallelChunk {
                Self.writeArrayInParallel(lazy, into: &out, indent: indent, workers: workers, flatIndent: flatIndent, sink: sink)
            } else {
                Self.writeArray(count: lazy.count, lazy.item, into: &out, indent: indent, flatIndent: flatIndent, sink: sink)
            }
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            out.append(10)
            for (i, field) in fields.enumerated() {
                if i > 0 { out += ",\n".utf8 }
                Self.pad(&out, indent + 2)
                Self.writeString(field.name, into: &out)
                out += " : ".utf8
                field.value.write(into: &out, indent: indent + 2, parallel: parallel, workers: workers, flatIndent: flatIndent, sink: sink)
            }
            out.append(10)
            Self.pad(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The value on one line: no spaces, `"key":value`.
    func writeCompact(into out: inout [UInt8]) {
        switch self {
        case .string, .number, .int, .bool, .null, .compact:
            write(into: &out, indent: 0, parallel: false)
        case .array(let items):
            Self.writeCompactItems(count: items.count, { items[$0] }, into: &out)
        case .lazyArray(let lazy):
            Self.writeCompactItems(count: lazy.count, lazy.item, into: &out)
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (i, field) in fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(field.name, into: &out)
                out.append(UInt8(ascii: ":"))
                field.value.writeCompact(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeCompactItems(count: Int, _ item: (Int) -> JSONValue, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for i in 0..<count {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            item(i).writeCompact(into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func writeArray(count: Int, _ item: (Int) -> JSONValue, into out: inout [UInt8], indent: Int, flatIndent: Int = .max, sink: PieceSink? = nil) {
        out.append(UInt8(ascii: "["))
        out.append(10)
        writeItems(0..<count, item, into: &out, indent: indent, flatIndent: flatIndent, sink: sink)
        out.append(10)
        Self.pad(&out, indent)
        out.append(UInt8(ascii: "]"))
    }

    /// Items `range` of an array, each on its own line after a ",\n" (but the first item).
    static func writeItems(_ range: Range<Int>, _ item: (Int) -> JSONValue, into out: inout [UInt8], indent: Int, flatIndent: Int = .max, sink: PieceSink? = nil) {
        for i in range {
            if i > 0 { out += ",\n".utf8 }
            Self.pad(&out, indent + 2)
            item(i).write(into: &out, indent: indent + 2, parallel: false, flatIndent: flatIndent)
            sink?.flush(&out)
        }
    }

    /// Items per chunk when a long lazy array is written in parallel.
    static let parallelChunk = 1024

    /// A long lazy array, in rounds of one chunk per worker: each chunk is built and written
    /// into its own buffer, and the buffers are appended in order, so memory grows only by
    /// a round's text.
    static func writeArrayInParallel(_ lazy: LazyJSONArray, into out: inout [UInt8], indent: Int, workers: Int, flatIndent: Int = .max, sink: PieceSink? = nil) {
        out.append(UInt8(ascii: "["))
        out.append(10)
        let chunk = parallelChunk
        var start = 0
        while start < lazy.count {
            let round = min(workers, (lazy.count - start + chunk - 1) / chunk)
            let first = start
            let texts = Parallel.map(round) { k -> [UInt8] in
                let lo = first + k * chunk, hi = min(lazy.count, lo + chunk)
                var text: [UInt8] = []
                writeItems(lo..<hi, lazy.item, into: &text, indent: indent, flatIndent: flatIndent)
                return text
            }
            for text in texts { out += text }
            sink?.flush(&out)
            start += round * chunk
        }
        out.append(10)
        Self.pad(&out, indent)
        out.append(UInt8(ascii: "]"))
    }

    static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    static func pad(_ out: inout [UInt8], _ n: Int) {
        if n <= spaces.count { out.append(contentsOf: spaces[..<n]) } else { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n)) }
    }

    /// Shortest round-trip digits, without a trailing `.0` (`1`, `0.25`, `1e-07`); JSON has
    /// no NaN or infinity, so those are `null`.
    static func numberText(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        var s = d.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// Appends `numberText(d)`. Most of plan.json's numbers are rounded to ten-thousandths
    /// (`PlanJSON.round`); those are written from their digits directly, which is what
    /// `description` gives for them (the decimal with at most four places is the shortest
    /// that reads back as the same `Double`); any other number goes through `numberText`.
    static func appendNumber(_ d: Double, to out: inout [UInt8]) {
        let tenThousandths = (d * 10000).rounded()
        guard abs(d) < 1e9, tenThousandths / 10000 == d, d != 0 || d.sign == .plus else {
            out += numberText(d).utf8
            return
        }
        let n = Int(tenThousandths)
        if n < 0 { out.append(UInt8(ascii: "-")) }
        DecimalText.appendInteger(abs(n) / 10000, to: &out)
        var fraction = abs(n) % 10000
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "."))
        var divisor = 1000
        while fraction != 0 {
            out.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: copy them whole.
        var text = s
        let copied = text.withUTF8 { bytes -> Bool in
            for b in bytes where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied {
            out.append(UInt8(ascii: "\""))
            return
        }
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

/// One field of a JSON object.
public struct JSONField: Sendable, Equatable {
    public var name: String
    public var value: JSONValue
}

/// The items of `JSONValue.lazyArray`.
public typealias LazyJSONArray = LazyItems<JSONValue>

/// A JSON object written straight into compact bytes, a field at a time: the bytes
/// `JSONValue.object([...]).writeCompact` gives for the same fields, without building,
/// sorting and freeing a value per field (plan.json has a record per objective, key result
/// and person). Names are given in sorted order, each once, and are plain ASCII; a nil
/// value leaves its field out.
struct CompactJSONObject {
    private(set) var bytes: [UInt8]
    #if DEBUG
    private var lastName = ""
    #endif

    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    private mutating func name(_ name: StaticString) {
        #if DEBUG
        let text = name.description
        precondition(lastName.isEmpty || lastName < text, "fields out of order: '\(lastName)' before '\(text)'")
        lastName = text
        #endif
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        self.name(name)
        JSONValue.writeString(value, into: &bytes)
    }

    mutating func number(_ name: StaticString, _ value: Double?) {
        guard let value else { return }
        self.name(name)
        JSONValue.appendNumber(value, to: &bytes)
    }

    mutating func int(_ name: StaticString, _ value: Int) {
        self.name(name)
        DecimalText.appendInteger(value, to: &bytes)
    }

    mutating func bool(_ name: StaticString, _ value: Bool) {
        self.name(name)
        bytes += (value ? "true" : "false").utf8
    }

    mutating func strings(_ name: StaticString, _ values: [String]) {
        self.name(name)
        bytes.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.writeString(v, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A value already written compactly (a nested object or list).
    mutating func compact(_ name: StaticString, _ value: [UInt8]?) {
        guard let value else { return }
        self.name(name)
        bytes += value
    }

    /// The object's bytes, closed.
    consuming func finished() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
