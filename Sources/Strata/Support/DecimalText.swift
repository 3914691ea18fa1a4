/// Numbers written as ASCII digits straight into a byte buffer: no locale, no `String`
/// interpolation. A large site formats a few numbers for every node (progress, expected
/// pace, ratios, sparkline coordinates), and interpolating them into strings piece by
/// piece cost a few hundred instructions a piece.
enum DecimalText {
    /// Appends the decimal digits of `n`, with a minus sign when it is negative.
    static func appendInteger(_ n: Int, to b: inout [UInt8]) {
        // Most numbers on a page are percentages and coordinates: one or two digits.
        if n >= 0 && n < 100 {
            if n >= 10 { b.append(UInt8(ascii: "0") + UInt8(n / 10)) }
            b.append(UInt8(ascii: "0") + UInt8(n % 10))
            return
        }
        if n < 0 { b.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n.magnitude
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[count] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10; count += 1 } while v > 0
            for i in stride(from: count - 1, through: 0, by: -1) { b.append(d[i]) }
        }
    }

    /// Appends `Quantity.format(v)`'s text (the rules are documented there); not a number
    /// and infinities are `0`.
    static func appendCompact(_ v: Double, to b: inout [UInt8]) {
        guard v.isFinite else {
            b.append(UInt8(ascii: "0"))
            return
        }
        guard abs(v) < Quantity.largestMagnitude else {
            if abs(v) < 9e18 { appendInteger(Int(v.rounded()), to: &b) } else { b += "\(v)".utf8 }
            return
        }
        // Rounded to hundredths; whole, or written with the hundredths counted in an `Int`
        // (below `largestMagnitude` they fit).
        let r = (v * 100).rounded() / 100
        if r == r.rounded() {
            appendInteger(Int(r), to: &b)
            return
        }
        if r < 0 { b.append(UInt8(ascii: "-")) }
        let hundredths = Int((abs(r) * 100).rounded())
        appendInteger(hundredths / 100, to: &b)
        b.append(UInt8(ascii: "."))
        let fraction = hundredths % 100
        b.append(UInt8(ascii: "0") + UInt8(fraction / 10))
        if fraction % 10 != 0 { b.append(UInt8(ascii: "0") + UInt8(fraction % 10)) }
    }

    /// Appends `Percent.text(v)`: a share as a whole percentage, `0.456` as `46%`.
    static func appendPercent(_ v: Double, to b: inout [UInt8]) {
        guard v.isFinite else {
            b += "0%".utf8
            return
        }
        let percent = (v * 100).rounded()
        if abs(percent) < Quantity.largestMagnitude {
            appendInteger(Int(percent), to: &b)
        } else {
            appendCompact(percent, to: &b)
        }
        b.append(UInt8(ascii: "%"))
    }

    /// The text of bytes written by these functions (ASCII, or Swift's own float text).
    static func text(_ build: (inout [UInt8]) -> Void) -> String {
        var b: [UInt8] = []
        build(&b)
        return String(decoding: b, as: UTF8.self)
    }
}
