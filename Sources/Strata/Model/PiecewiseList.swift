/// A list kept in the pieces it was built in and read as one list, indexed from 0.
///
/// A plan's check-ins, key results and objectives come from many files, each decoded on
/// its own core into a list of its own. Joining those lists into one array copied every
/// element into memory the kernel had to hand out afresh (at 20,000 objectives: 560,000
/// check-ins, 148 MB, a fifth of a check's page faults; 80,000 key results, 42 MB, on one
/// core) only to free the lists it copied. A `PiecewiseList` takes the files' lists as they are.
/// Reading in order walks the pieces; reading one element by index starts at the piece
/// that holds the first element of its block of `blockSize` and steps on from there
/// (pieces hold dozens to thousands of elements, so it rarely steps at all).
public struct PiecewiseList<Element>: RandomAccessCollection, ExpressibleByArrayLiteral {
    /// The pieces, none of them empty (except a last one reserved and not yet appended to).
    public private(set) var pieces: [[Element]] = []
    /// `ends[k]`: the number of elements in pieces 0 through k.
    private var ends: [Int] = []
    /// `blockPieces[b]`: the piece that holds element `b * blockSize`.
    private var blockPieces: [Int32] = []
    static var blockSize: Int { 64 }

    public init() {}

    public init(_ elements: [Element]) {
        if !elements.isEmpty { addPiece(elements) }
    }

    public init(arrayLiteral elements: Element...) { self.init(elements) }

    /// The lists one after another; their pieces are taken as they are, not copied.
    public init(joining lists: [PiecewiseList<Element>]) {
        for list in lists {
            for piece in list.pieces where !piece.isEmpty { addPiece(piece) }
        }
    }

    private mutating func addPiece(_ piece: [Element]) {
        pieces.append(piece)
        ends.append((ends.last ?? 0) + piece.count)
        noteBlocks()
    }

    /// Starts the blocks whose first element the last piece holds.
    private mutating func noteBlocks() {
        let end = ends.last ?? 0
        while blockPieces.count * Self.blockSize < end { blockPieces.append(Int32(pieces.count - 1)) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.last ?? 0 }

    public subscript(position: Int) -> Element {
        _read {
            precondition(position >= 0 && position < endIndex, "PiecewiseList index out of range")
            var k = Int(blockPieces[position / Self.blockSize])
            while ends[k] <= position { k += 1 }
            yield pieces[k][k == 0 ? position : position - ends[k - 1]]
        }
    }

    public mutating func append(_ element: consuming Element) {
        if pieces.isEmpty { pieces.append([]); ends.append(0) }
        pieces[pieces.count - 1].append(element)
        ends[ends.count - 1] += 1
        noteBlocks()
    }

    /// Room for `capacity` elements in all, in the last piece.
    public mutating func reserveCapacity(_ capacity: Int) {
        if pieces.isEmpty { pieces.append([]); ends.append(0) }
        let before = ends.count > 1 ? ends[ends.count - 2] : 0
        pieces[pieces.count - 1].reserveCapacity(Swift.max(0, capacity - before))
    }

    /// The same list in one piece (a copy of every element, made once).
    public func joined() -> PiecewiseList {
        pieces.count <= 1 ? self : PiecewiseList(Array(self))
    }

    public struct Iterator: IteratorProtocol {
        let pieces: [[Element]]
        var piece = 0, offset = 0

        public mutating func next() -> Element? {
            while piece < pieces.count {
                if offset < pieces[piece].count {
                    defer { offset += 1 }
                    return pieces[piece][offset]
                }
                piece += 1
                offset = 0
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator { Iterator(pieces: pieces) }
}

extension PiecewiseList: Sendable where Element: Sendable {}
