/// The nodes of one YAML document, stored flat in document order: each collection is
/// followed by its children (each followed by its own children), and records where its
/// subtree ends. A mapping's keys are scalars (the parser rejects others), so each value
/// directly follows its key. Building a document appends to a few large blocks, and
/// freeing it frees those, where a tree of nested arrays allocated and freed an array per
/// mapping and list (a fifth of a large check went to making and freeing those).
///
/// Never changed once the parser hands it over.
public final class YAMLTree: @unchecked Sendable {
    struct Entry {
        enum Shape: UInt8 { case scalar, sequence, mapping }
        /// A scalar's text; empty for collections.
        var text: String
        var range: SourceRange
        /// The position after this node's subtree (the next sibling, if there is one).
        var end: Int32
        /// Children of a sequence, pairs of a mapping; 0 for scalars.
        var count: Int32
        var shape: Shape
        /// True for plain (unquoted) scalars.
        var isPlain: Bool

        /// A plain empty, `~` or `null` scalar: worked out once, when the entry is made
        /// (`isNullText`), as decoders ask it of every value they read.
        var isNull: Bool

        init(text: String, range: SourceRange, end: Int32, count: Int32, shape: Shape, isPlain: Bool) {
            self.text = text
            self.range = range
            self.end = end
            self.count = count
            self.shape = shape
            self.isPlain = isPlain
            isNull = isPlain && shape == .scalar && Self.isNullText(text)
        }

        static func isNullText(_ s: String) -> Bool {
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
        var shapeName: String {
            switch shape {
            case .scalar: return isNull ? "an empty value" : "text"
            case .sequence: return "a list"
            case .mapping: return "a mapping"
            }
        }
    }

    /// The entries, in memory the tree owns, in chunks of 2,048 (112 KiB: below glibc's
    /// mmap threshold, so freeing a tree neither unmaps memory nor raises that threshold,
    /// which made large trees come from the heap and fragment it, +46 MiB on a 20k check).
    /// A field is read through a pointer: no array bounds check, no copy of the entry.
    /// Only the parser writes, while it builds the tree. Unchecked: an access check on each
    /// read would cost more than the read, and a tree is built by one thread before any
    /// other sees it.
    @exclusivity(unchecked) private(set) var entries = Entries()
    @exclusivity(unchecked) private(set) var count = 0

    struct Entries {
        static let chunkShift = 11, chunkSize = 1 << chunkShift
        fileprivate var chunks: UnsafeMutablePointer<UnsafeMutablePointer<Entry>> = .allocate(capacity: 4)
        fileprivate var chunkCount = 0, chunkCapacity = 4

        func pointer(_ i: Int) -> UnsafeMutablePointer<Entry> {
            chunks[i >> Self.chunkShift] + (i & (Self.chunkSize - 1))
        }

        subscript(i: Int) -> Entry {
            unsafeAddress { UnsafePointer(pointer(i)) }
            nonmutating unsafeMutableAddress { pointer(i) }
        }
    }

    deinit {
        for c in 0..<entries.chunkCount {
            entries.chunks[c].deinitialize(count: min(Entries.chunkSize, count - c * Entries.chunkSize))
            entries.chunks[c].deallocate()
        }
        entries.chunks.deallocate()
    }

    func append(_ entry: consuming Entry) {
        if count == entries.chunkCount * Entries.chunkSize {
            if entries.chunkCount == entries.chunkCapacity {
                let grown = UnsafeMutablePointer<UnsafeMutablePointer<Entry>>.allocate(capacity: entries.chunkCapacity * 2)
                grown.moveInitialize(from: entries.chunks, count: entries.chunkCount)
                entries.chunks.deallocate()
                entries.chunks = grown
                entries.chunkCapacity *= 2
            }
            (entries.chunks + entries.chunkCount).initialize(to: .allocate(capacity: Entries.chunkSize))
            entries.chunkCount += 1
        }
        entries.pointer(count).initialize(to: consume entry)
        count += 1
    }

    /// A document that is one empty list, behind `YAMLNodeList.empty`.
    static let emptyList: YAMLTree = {
        let tree = YAMLTree()
        let start = SourceLocation(line: 1, column: 1, offset: 0)
        tree.append(Entry(text: "", range: SourceRange(fileID: SourcePathID(""), start: start, end: start), end: 1, count: 0, shape: .sequence, isPlain: false))
        return tree
    }()

    var root: YAMLNode { YAMLNode(self, 0) }

    /// In a mapping, the place of the value of the key at `key`: right after it, since keys
    /// are scalars (one entry each).
    @inline(__always) func valueOfKey(at key: Int) -> Int { key + 1 }

    /// In a mapping, the place of the key after the one at `key`: past its value's subtree.
    @inline(__always) func keyAfter(_ key: Int) -> Int { Int(entries[key + 1].end) }

    /// The place of the first key that is `text` among the first `pairs` pairs of the
    /// mapping at `mapping` (lengths compared first: a failed comparison of two different
    /// strings costs a call into the runtime).
    @inline(__always) func firstKey(_ text: String, ofMappingAt mapping: Int, among pairs: Int) -> Int? {
        let n = text.utf8.count
        var p = mapping + 1
        for _ in 0..<pairs {
            let key = entries.pointer(p)
            if key.pointee.text.utf8.count == n, key.pointee.text == text { return p }
            p = keyAfter(p)
        }
        return nil
    }
}

/// A YAML node with its source range: a position in its document's `YAMLTree`. Scalars
/// stay text: their meaning comes from the field that reads them, never from YAML 1.1
/// implicit typing.
public struct YAMLNode: Sendable {
    public enum Value: Sendable {
        case scalar(String)
        case sequence(YAMLNodeList)
        case mapping(YAMLPairList)
    }

    let tree: YAMLTree
    let position: Int

    init(_ tree: YAMLTree, _ position: Int) {
        self.tree = tree
        self.position = position
    }

    private var entry: UnsafeMutablePointer<YAMLTree.Entry> { tree.entries.pointer(position) }

    public var value: Value {
        switch entry.pointee.shape {
        case .scalar: return .scalar(entry.pointee.text)
        case .sequence: return .sequence(YAMLNodeList(tree: tree, parent: position))
        case .mapping: return .mapping(YAMLPairList(tree: tree, parent: position))
        }
    }

    /// True for plain (unquoted) scalars, whose `~`, `null` and empty text mean "no value".
    public var isPlain: Bool { entry.pointee.isPlain }

    public var range: SourceRange { entry.pointee.range }

    public var scalar: String? {
        entry.pointee.shape == .scalar ? entry.pointee.text : nil
    }

    public var isMapping: Bool { entry.pointee.shape == .mapping }

    /// A plain empty, `~` or `null` scalar.
    public var isNull: Bool { entry.pointee.isNull }

    /// What the node is, for messages such as "expected text, found a list".
    public var shapeName: String { entry.pointee.shapeName }

    /// True when this is the scalar `text` (lengths are compared first: cheaper than
    /// comparing two different strings).
    public func isScalar(_ text: String) -> Bool {
        guard entry.pointee.shape == .scalar else { return false }
        return entry.pointee.text.utf8.count == text.utf8.count && entry.pointee.text == text
    }

    /// Value of a key in a mapping node.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = value else { return nil }
        return pairs.first { $0.key.isScalar(key) }?.value
    }
}

/// The items of a sequence node, in order. Positions are places in the document, not
/// 0, 1, 2…: use `indices`, `first`, iteration or `dropFirst(n)`.
public struct YAMLNodeList: Collection, Sendable {
    let tree: YAMLTree
    let parent: Int

    static let empty = YAMLNodeList(tree: .emptyList, parent: 0)

    public var startIndex: Int { parent + 1 }
    public var endIndex: Int { Int(tree.entries[parent].end) }
    public var count: Int { Int(tree.entries[parent].count) }
    public var isEmpty: Bool { tree.entries[parent].count == 0 }
    public func index(after i: Int) -> Int { Int(tree.entries[i].end) }
    public subscript(position: Int) -> YAMLNode {
        precondition(position >= startIndex && position < endIndex, "position \(position) is not in this list")
        return YAMLNode(tree, position)
    }

    /// Iteration without the subscript's position check: it only visits real items.
    public struct Iterator: IteratorProtocol {
        let tree: YAMLTree
        var position: Int, left: Int

        public mutating func next() -> YAMLNode? {
            guard left > 0 else { return nil }
            defer { position = Int(tree.entries[position].end); left -= 1 }
            return YAMLNode(tree, position)
        }
    }

    public func makeIterator() -> Iterator { Iterator(tree: tree, position: startIndex, left: count) }
}

/// The key–value pairs of a mapping node, in order. Positions are places in the
/// document (each pair's key), not 0, 1, 2….
public struct YAMLPairList: Collection, Sendable {
    let tree: YAMLTree
    let parent: Int

    public var startIndex: Int { parent + 1 }
    public var endIndex: Int { Int(tree.entries[parent].end) }
    public var count: Int { Int(tree.entries[parent].count) }
    public var isEmpty: Bool { tree.entries[parent].count == 0 }
    /// Past the key, then past its value.
    public func index(after i: Int) -> Int { tree.keyAfter(i) }
    public subscript(position: Int) -> YAMLPair {
        precondition(position >= startIndex && position < endIndex, "position \(position) is not in this mapping")
        return YAMLPair(key: YAMLNode(tree, position), value: YAMLNode(tree, tree.valueOfKey(at: position)))
    }

    /// Iteration without the subscript's position check: it only visits real pairs.
    public struct Iterator: IteratorProtocol {
        let tree: YAMLTree
        var position: Int, left: Int

        public mutating func next() -> YAMLPair? {
            guard left > 0 else { return nil }
            defer { position = tree.keyAfter(position); left -= 1 }
            return YAMLPair(key: YAMLNode(tree, position), value: YAMLNode(tree, tree.valueOfKey(at: position)))
        }
    }

    public func makeIterator() -> Iterator { Iterator(tree: tree, position: startIndex, left: count) }
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
