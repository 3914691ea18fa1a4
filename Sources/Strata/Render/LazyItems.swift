/// `count` items, each built by `item(i)` when it is needed: long lists in templates and
/// in plan.json are made one item at a time while they are written.
public final class LazyItems<Element: Equatable>: @unchecked Sendable, Equatable {
    public let count: Int
    let item: (Int) -> Element
    /// When given, who item `i` is: items with the same identity are the same value
    /// everywhere in one render, so a template section's bytes for one can be reused for
    /// the other without building it (`MustacheLibrary.SectionMemo`).
    /// Nil for an item means it has none.
    let identity: ((Int) -> String?)?

    public init(count: Int, identity: ((Int) -> String?)? = nil, item: @escaping (Int) -> Element) {
        self.count = count
        self.identity = identity
        self.item = item
    }

    public var items: [Element] { (0..<count).map(item) }

    public static func == (a: LazyItems, b: LazyItems) -> Bool { a === b || a.items == b.items }
}
