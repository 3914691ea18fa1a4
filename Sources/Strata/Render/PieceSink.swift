/// Where text that is too large to hold whole goes as it is made: `flush` hands the
/// buffer over once it has grown to a piece, and empties it. The first error the receiver
/// throws is kept (writing stops being useful, so later pieces are dropped) for the writer
/// to rethrow. Used for plan.json and the pages that list the whole plan.
final class PieceSink {
    let size: Int
    let piece: ([UInt8]) throws -> Void
    private(set) var error: Error?

    init(size: Int, piece: @escaping ([UInt8]) throws -> Void) {
        self.size = max(1, size)
        self.piece = piece
    }

    /// Hands `out` over and empties it, when it has grown to a piece (or `force`).
    func flush(_ out: inout [UInt8], force: Bool = false) {
        guard out.count >= size || (force && !out.isEmpty) else { return }
        if error == nil {
            do { try piece(out) } catch { self.error = error }
        }
        out.removeAll(keepingCapacity: true)
    }

    /// Runs `write` with a sink for `piece`, hands over what is left, and rethrows the
    /// first error.
    static func writing(pieceSize: Int, into piece: ([UInt8]) throws -> Void, _ write: (PieceSink, inout [UInt8]) -> Void) throws {
        try withoutActuallyEscaping(piece) { piece in
            let sink = PieceSink(size: pieceSize, piece: piece)
            var out: [UInt8] = []
            write(sink, &out)
            sink.flush(&out, force: true)
            if let error = sink.error { throw error }
        }
    }
}
