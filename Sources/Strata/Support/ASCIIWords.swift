/// Tests on eight bytes read as one word (SWAR), for the loops that scan whole files
/// (`TextValidation` and `SourceFile`'s line table).
enum ASCIIWords {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// True when some byte of `w` is zero.
    @inline(__always) static func hasZeroByte(_ w: UInt64) -> Bool { (w &- ones) & ~w & highBits != 0 }

    /// True when some byte of `w` is below `n` (`n` at most 0x80).
    @inline(__always) static func hasByteBelow(_ w: UInt64, _ n: UInt8) -> Bool { (w &- ones &* UInt64(n)) & ~w & highBits != 0 }

    /// True when every byte is printable ASCII, 0x20 to 0x7E.
    @inline(__always) static func isPrintable(_ w: UInt64) -> Bool {
        w & highBits == 0 && !hasByteBelow(w, 0x20) && !hasZeroByte(w ^ (ones &* 0x7F))
    }

    /// True when every byte is ASCII and none is a line feed or carriage return.
    @inline(__always) static func isASCIIWithoutLineBreak(_ w: UInt64) -> Bool {
        w & highBits == 0 && !hasZeroByte(w ^ (ones &* 0x0A)) && !hasZeroByte(w ^ (ones &* 0x0D))
    }
}
