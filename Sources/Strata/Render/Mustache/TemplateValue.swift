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

/// `count` items, each built by `item(i)` when it is needed.
public final class LazyList: @unchecked Sendable, Equatable {
    public let count: Int
    let item: (Int) -> TemplateValue

    public init(count: Int, item: @escaping (Int) -> TemplateValue) {
        self.count = count
        self.item = item
    }

    public var items: [TemplateValue] { (0..<count).map(item) }

    public static func == (a: LazyList, b: LazyList) -> Bool { a === b || a.items == b.items }
}

/// A template object: names to values. Assigning any `TemplateValueConvertible`
/// (`String`, `Int`, `Bool`, lists, objects, optionals of them) converts it once, when the
/// model is built; rendering only ever sees `TemplateValue`s.
public struct TemplateObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public var fields: [String: TemplateValue]
    /// An object this one extends: names missing from `fields` are looked up there. A page
    /// adds a few names to a node's shared values this way without copying them.
    let base: Base?

    final class Base: Sendable {
        let object: TemplateObject
        init(_ object: TemplateObject) { self.object = object }
    }

    public init(_ fields: [String: TemplateValue] = [:]) {
        self.fields = fields
        base = nil
    }

    /// A new object that shows every name of `base` plus the names set on it.
    public init(extending base: TemplateObject) {
        fields = [:]
        self.base = Base(base)
    }

    public init(dictionaryLiteral elements: (String, any TemplateValueConvertible)...) {
        fields = Dictionary(minimumCapacity: elements.count)
        for (k, v) in elements { fields[k] = v.templateValue }
        base = nil
    }

    /// Setting `nil` removes the name from this object's own fields.
    public subscript(name: String) -> (any TemplateValueConvertible)? {
        get { value(named: name) }
        set { fields[name] = newValue?.templateValue }
    }

    /// The value of `name`, from this object or the one it extends.
    public func value(named name: String) -> TemplateValue? {
        if let v = fields[name] { return v }
        return base?.object.value(named: name)
    }

    /// All names and values, the object's own winning over the extended one's.
    public var merged: [String: TemplateValue] {
        guard let base else { return fields }
        return base.object.merged.merging(fields) { _, own in own }
    }

    public var isEmpty: Bool { merged.isEmpty }
    public var count: Int { merged.count }

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
    /// A list of objects.
    /// A lazy list of objects, one per element of `source`.
    public static func lazyObjects<C: RandomAccessCollection>(_ source: C, _ make: @escaping (C.Element) -> TemplateObject) -> TemplateValue where C.Index == Int {
        let start = source.startIndex
        return .lazyList(LazyList(count: source.count) { .object(make(source[start + $0])) })
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
    public var templateValue: TemplateValue { .list(map(\.templateValue)) }
}
extension Dictionary: TemplateValueConvertible where Key == String, Value: TemplateValueConvertible {
    public var templateValue: TemplateValue { .object(TemplateObject(mapValues(\.templateValue))) }
}
extension TemplateObject: TemplateValueConvertible {
    public var templateValue: TemplateValue { .object(self) }
}
