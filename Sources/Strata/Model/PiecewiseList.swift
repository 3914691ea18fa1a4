/// A list kept in the pieces it was built in and read as one list, indexed from 0.
///
/// A plan's check-ins come from many files, each decoded on its own core into a list of
/// its own. Joining those lists into one array copied every check-in into memory the
/// kernel had to hand out afresh (at 20,000 objectives: 560,000 check-ins, 148 MB, a fifth
/// of a check's page faults) only to free the lists it copied. A `PiecewiseList` takes
/// the files' lists as they are. Reading in order walks the pieces; reading one element
/// by index finds its piece by binary search over the pieces' ends.
public struct PiecewiseList<Element>: RandomAccessCollection, ExpressibleByArrayLiteral {
    /// The pieces, none of them empty (except a last one reserved and not yet appended to).
    public private(set) var pieces: [[Element]] = []
    /// `ends[k]`: the number of elements in pieces 0 through k.
    private var ends: [Int] = []

    public init() {}

    public init(_ elements: [Element]) {
        if !elements.isEmpty { pieces = [elements]; ends = [elements.count] }
    }

    public init(arrayLiteral elements: Element...) { self.init(elements) }

    /// The lists one after another; their pieces are taken as they are, not copied.
    public init(joining lists: [PiecewiseList<Element>]) {
        for list in lists {
            for piece in list.pieces where !piece.isEmpty {
                pieces.append(piece)
                ends.append((ends.last ?? 0) + piece.count)
            }
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.last ?? 0 }

    public subscript(position: Int) -> Element {
        _read {
            precondition(position >= 0 && position < endIndex, "PiecewiseList index out of range")
            let k = piece(containing: position)
            yield pieces[k][k == 0 ? position : position - ends[k - 1]]
        }
    }

    /// The index of the piece that holds `position` (which is in range).
    private func piece(containing position: Int) -> Int {
        var low = 0, high = ends.count - 1
        while low < high {
            let middle = (low + high) / 2
            if ends[middle] > position { high = middle } else { low = middle + 1 }
        }
        return low
    }

    public mutating func append(_ element: Element) {
        if pieces.isEmpty { pieces.append([]); ends.append(0) }
        pieces[pieces.count - 1].append(element)
        ends[ends.count - 1] += 1
    }

    /// Room for `capacity` elements in all, in the last piece.
    public mutating func reserveCapacity(_ capacity: Int) {
        if pieces.isEmpty { pieces.append([]); ends.append(0) }
        let before = ends.count > 1 ? ends[ends.count - 2] : 0
        pieces[pieces.count - 1].reserveCapacity(Swift.max(0, capacity - before))
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
