/// A value a template can show: the typed tree the report models build and the Mustache
/// renderer walks. Typed (not `Any`), so looking a name up is one dictionary access and
/// rendering needs no dynamic casts.
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    case int(Int)
    case bool(Bool)
    case list([TemplateValue])
    /// A list whose items are built only while a template renders them, one at a time, so
    /// a page that lists every objective never holds all their values at once.
    case lazyList(LazyList)
    case object(TemplateObject)
}

/// The items of `TemplateValue.lazyList`.
public typealias LazyList = LazyItems<TemplateValue>

/// A template object: names to values. Assigning any `TemplateValueConvertible`
/// (`String`, `Int`, `Bool`, lists, objects, optionals of them) converts it once, when the
/// model is built; rendering only ever sees `TemplateValue`s.
///
/// The names and values are kept in one array sorted by name: an object has a few dozen
/// names at most, so a binary search is as fast as hashing, and a large site keeps
/// hundreds of thousands of these alive in the node cache, where a dictionary's spare
/// capacity would more than double their memory.
public struct TemplateObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// This object's own names and values, sorted by name, names unique.
    private var entries: [(name: String, value: TemplateValue)]
    /// An object this one extends: names missing from `entries` are looked up there. A page
    /// adds a few names to a node's shared values this way without copying them.
    let base: Base?

    final class Base: Sendable {
        let object: TemplateObject
        init(_ object: TemplateObject) { self.object = object }
    }

    public init(_ fields: [String: TemplateValue] = [:]) {
        entries = fields.map { (name: $0.key, value: $0.value) }
        entries.sort { Self.precedes($0.name, $1.name) }
        base = nil
    }

    /// A new object that shows every name of `base` plus the names set on it.
    public init(extending base: TemplateObject) {
        entries = []
        self.base = Base(base)
    }

    public init(dictionaryLiteral elements: (String, any TemplateValueConvertible)...) {
        entries = []
        entries.reserveCapacity(elements.count)
        base = nil
        for (k, v) in elements { set(k, v.templateValue) }
    }

    /// Setting `nil` removes the name from this object's own fields.
    public subscript(name: String) -> (any TemplateValueConvertible)? {
        get { value(named: name) }
        set { set(name, newValue?.templateValue) }
    }

    /// The value of `name`, from this object or the one it extends.
    public func value(named name: String) -> TemplateValue? {
        let (i, found) = position(of: name)
        if found { return entries[i].value }
        return base?.object.value(named: name)
    }

    /// `value(named:)`, trying position `hint` first and setting it to where the name was
    /// found. Objects built by the same code have the same names, so a template tag usually
    /// finds its name where it did last time: one comparison of equal strings instead of a
    /// binary search. The hint is only a guess; a wrong one costs one comparison.
    func value(named name: String, hint: inout Int) -> TemplateValue? {
        if UInt(bitPattern: hint) < UInt(entries.count), entries[hint].name == name { return entries[hint].value }
        let (i, found) = position(of: name)
        if found {
            hint = i
            return entries[i].value
        }
        return base?.object.value(named: name, hint: &hint)
    }

    mutating func set(_ name: String, _ value: TemplateValue?) {
        let (i, found) = position(of: name)
        switch (found, value) {
        case (true, let v?): entries[i].value = v
        case (true, nil): entries.remove(at: i)
        case (false, let v?):
            // Appended, then moved into place: the entries after it are moved up one place
            // bit for bit (`insert(_:at:)` went through the generic `replaceSubrange`, about
            // 300 instructions a name; a large site sets millions of names).
            entries.append((name: name, value: v))
            let last = entries.count - 1
            guard i < last else { break }
            entries.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                let added = (base + last).move()
                (base + i + 1).moveInitialize(from: base + i, count: last - i)
                (base + i).initialize(to: added)
            }
        case (false, nil): break
        }
    }

    /// The same object with its own names in storage of exactly their number: one built name
    /// by name grows by doubling and may carry almost as much spare room as it uses, which
    /// the node cache would otherwise keep for the whole build.
    func compacted() -> TemplateObject {
        var copy = self
        copy.entries = Array(entries[...])
        return copy
    }

    /// Where `name` is, or where it would be inserted: the first name that does not
    /// precede it, found with one comparison a step, then tested for equality once (a
    /// test for equality at every step as well cost more than it saved).
    private func position(of name: String) -> (Int, Bool) {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Self.precedes(entries[mid].name, name) { lo = mid + 1 } else { hi = mid }
        }
        return (lo, lo < entries.count && entries[lo].name == name)
    }

    /// String order, which agrees with String equality (canonically equivalent names are
    /// the same name, as they were as dictionary keys).
    static func precedes(_ a: String, _ b: String) -> Bool { a < b }

    /// All names and values, the object's own winning over the extended one's.
    public var merged: [String: TemplateValue] {
        var all = base?.object.merged ?? [:]
        for e in entries { all[e.name] = e.value }
        return all
    }

    public var isEmpty: Bool { entries.isEmpty && (base?.object.isEmpty ?? true) }
    public var count: Int { base == nil ? entries.count : merged.count }

    public static func == (a: TemplateObject, b: TemplateObject) -> Bool { a.merged == b.merged }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self = .text(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        var o: [String: TemplateValue] = Dictionary(minimumCapacity: elements.count)
        for (k, v) in elements { o[k] = v }
        self = .object(TemplateObject(o))
    }
}

extension TemplateValue {
    /// A lazy list of objects, one per element of `source`; `identity` (when given) names
    /// each item so that what a section renders for it can be reused (`LazyItems.identity`).
    public static func lazyObjects<C: RandomAccessCollection>(_ source: C, identity: ((C.Element) -> String?)? = nil,
                                                            _ make: @escaping (C.Element) -> TemplateObject) -> TemplateValue where C.Index == Int {
        let start = source.startIndex
        return .lazyList(LazyList(count: source.count, identity: identity.map { id in { id(source[start + $0]) } }) { .object(make(source[start + $0])) })
    }

    /// The object's value for `name`, if this is an object.
    public subscript(name: String) -> TemplateValue? {
        if case .object(let o) = self { return o.value(named: name) }
        return nil
    }

    /// A plain Swift value (`String`, `Int`, `Bool`, `[Any]`, `[String: Any]`), for JSON
    /// dumps and comparisons in tests.
    public var plain: Any {
        switch self {
        case .text(let s): return s
        case .int(let i): return i
        case .bool(let b): return b
        case .list(let l): return l.map(\.plain)
        case .lazyList(let l): return l.items.map(\.plain)
        case .object(let o): return o.merged.mapValues(\.plain)
        }
    }
}

/// Swift values that have a template form, so the report models can put strings, numbers,
/// flags, lists and objects into a `TemplateObject` directly.
public protocol TemplateValueConvertible {
    var templateValue: TemplateValue { get }
}

extension TemplateValue: TemplateValueConvertible {
    public var templateValue: TemplateValue { self }
}
extension String: TemplateValueConvertible {
    public var templateValue: TemplateValue { .text(self) }
}
extension Int: TemplateValueConvertible {
    public var templateValue: TemplateValue { .int(self) }
}
extension Bool: TemplateValueConvertible {
    public var templateValue: TemplateValue { .bool(self) }
}
extension Array: TemplateValueConvertible where Element: TemplateValueConvertible {
    // A closure, not `\.templateValue`: in this generic context the key path is built at
    // run time on every call (4.6 % of a 5k build's instructions went to `swift_getKeyPath`).
    public var templateValue: TemplateValue { .list(map { $0.templateValue }) }
}
extension Dictionary: TemplateValueConvertible where Key == String, Value: TemplateValueConvertible {
    public var templateValue: TemplateValue { .object(TemplateObject(mapValues { $0.templateValue })) }
}
extension TemplateObject: TemplateValueConvertible {
    public var templateValue: TemplateValue { .object(self) }
}
