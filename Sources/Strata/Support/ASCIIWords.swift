/// Tests on eight bytes read as one word (SWAR), for the loops that scan whole files
/// (`TextValidation` and `SourceFile`'s line table). Each gives a mask with the high bit
/// set in exactly the bytes that fail the test (no borrow or carry crosses a byte), so a
/// scan that meets one skips the bytes before it in one step: a line break no longer
/// sends the rest of its word through the byte-by-byte loop.
enum ASCIIWords {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080
    static let lowBits: UInt64 = ~highBits

    /// The eight bytes at `offset`, the first in the lowest bits (on any byte order).
    @inline(__always) static func word(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// From `offset`, eight bytes at a time: the place of the first byte `flags` marks, or,
    /// when none is marked, the first place with fewer than eight bytes left (those are for
    /// the caller's byte loop, as is the byte found).
    @inline(__always) static func skipUnflagged(_ raw: UnsafeRawBufferPointer, from offset: Int, _ flags: (UInt64) -> UInt64) -> Int {
        var i = offset
        while i + 8 <= raw.count {
            let mask = flags(word(raw, at: i))
            if mask != 0 { return i + mask.trailingZeroBitCount >> 3 }
            i += 8
        }
        return i
    }

    /// High bit set in each byte of `low7` (every byte below 0x80) that equals `c`
    /// (below 0x80): a byte t = b ^ c is at most 0x7F, so t + 0x7F carries into its own
    /// high bit exactly when t is not zero, and never into the next byte.
    @inline(__always) static func equal(_ low7: UInt64, _ c: UInt8) -> UInt64 {
        let t = low7 ^ (ones &* UInt64(c))
        return ~((t &+ ones &* 0x7F) | t) & highBits
    }

    /// High bit set in each byte that is not printable ASCII (0x20 to 0x7E): not ASCII,
    /// below 0x20 (its low seven bits + 0x60 stay below 0x80), or 0x7F (+ 1 reaches 0x80).
    @inline(__always) static func notPrintable(_ w: UInt64) -> UInt64 {
        let low7 = w & lowBits
        let atLeast20 = (low7 &+ ones &* 0x60) & highBits
        let is7F = (low7 &+ ones) & highBits
        return (w & highBits) | (~atLeast20 & highBits) | is7F
    }

    /// High bit set in each byte that is not ASCII or is a line feed or carriage return.
    @inline(__always) static func notASCIIOrLineBreak(_ w: UInt64) -> UInt64 {
        let low7 = w & lowBits
        return (w & highBits) | equal(low7, 0x0A) | equal(low7, 0x0D)
    }
}
