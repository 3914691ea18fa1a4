/// `count` items, each built by `item(i)` when it is needed: long lists in templates and
/// in plan.json are made one item at a time while they are written.
public final class LazyItems<Element: Equatable>: @unchecked Sendable, Equatable {
    public let count: Int
    let item: (Int) -> Element

    public init(count: Int, item: @escaping (Int) -> Element) {
        self.count = count
        self.item = item
    }

    public var items: [Element] { (0..<count).map(item) }

    public static func == (a: LazyItems, b: LazyItems) -> Bool { a === b || a.items == b.items }
}
