/// A YAML node with its source range. Scalars stay text: their meaning comes from the
/// field that reads them, never from YAML 1.1 implicit typing.
public struct YAMLNode: Sendable {
    public enum Value: Sendable {
        case scalar(String)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    // Declared in this order so the flag fills the value's padding: 48 bytes, not 56.
    public var value: Value
    /// True for plain (unquoted) scalars, whose `~`, `null` and empty text mean "no value".
    public var isPlain: Bool
    public var range: SourceRange

    public init(_ value: Value, range: SourceRange, isPlain: Bool = false) {
        self.value = value
        self.range = range
        self.isPlain = isPlain
    }

    public var scalar: String? {
        if case .scalar(let s) = value { return s }
        return nil
    }

    /// A plain empty, `~` or `null` scalar.
    public var isNull: Bool {
        guard isPlain, case .scalar(let s) = value else { return false }
        // By length first: most scalars are neither 0, 1 nor 4 bytes long, and a string
        // comparison that fails costs a call into the runtime.
        switch s.utf8.count {
        case 0: return true
        case 1: return s == "~"
        case 4: return s == "null" || s == "Null" || s == "NULL"
        default: return false
        }
    }

    /// What the node is, for messages such as "expected text, found a list".
    public var shapeName: String {
        switch value {
        case .scalar: return isNull ? "an empty value" : "text"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// True when this is the scalar `text` (lengths are compared first: cheaper than
    /// comparing two different strings).
    public func isScalar(_ text: String) -> Bool {
        guard case .scalar(let s) = value else { return false }
        return s.utf8.count == text.utf8.count && s == text
    }

    /// Value of a key in a mapping node.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = value else { return nil }
        return pairs.first { $0.key.isScalar(key) }?.value
    }
}

public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode
}

/// One `---` document of a YAML stream.
public struct YAMLDocument: Sendable {
    public var root: YAMLNode
    public var file: SourceFile
}
