/// A small inline SVG of a key result's or KPI's check-ins, oldest to newest.
public enum Sparkline {
    static let width = 120.0, height = 28.0, pad = 3.0
    /// What follows the number of readings in the label: the same for every sparkline.
    private static let afterCount = Array(" readings\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">".utf8)

    static func svg(for kr: KeyResult, checkins: [Checkin], label: String) -> String {
        var values: [Double] = []
        for c in checkins { if case .quantity(let q) = c.value.value { values.append(q.value) } }
        var target: Double?
        var start: Double?
        switch kr.measure {
        case .change(let s, let t): start = s.value.value; target = t.value.value
        case .stayAbove(let q), .stayBelow(let q): target = q.value.value
        default: break
        }
        if let s = start, !values.isEmpty { values.insert(s, at: 0) }
        return svg(values: values, target: target, label: "Trend of \(label)")
    }

    public static func svg(values: [Double], target: Double? = nil, label: String) -> String {
        let finite = values.filter(\.isFinite)
        guard finite.count >= 2 else {
            return "<svg class=\"spark\" role=\"img\" aria-label=\"\(HTMLText.escape(label)): not enough check-ins\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\"><line x1=\"\(pad)\" y1=\"\(height / 2)\" x2=\"\(width - pad)\" y2=\"\(height / 2)\" class=\"spark-empty\"/></svg>"
        }
        var lo = finite.min()!, hi = finite.max()!
        if let t = target, t.isFinite { lo = min(lo, t); hi = max(hi, t) }
        if hi == lo { hi += 1; lo -= 1 }
        func x(_ i: Int) -> Double { pad + (width - 2 * pad) * Double(i) / Double(finite.count - 1) }
        // Where v lies between lo and hi (0...1). Values so large that `hi - lo` overflows,
        // or so close that ±1 does not separate them, sit in the middle.
        func y(_ v: Double) -> Double {
            let t = (v - lo) / (hi - lo)
            return height - pad - (height - 2 * pad) * (t.isFinite ? min(1, max(0, t)) : 0.5)
        }
        // Written as bytes into one buffer: a sparkline is built for every key result of a
        // large plan, and appending to a `String` piece by piece cost about 300 instructions
        // an append.
        var b: [UInt8] = []
        b.reserveCapacity(320 + 12 * finite.count + label.utf8.count)
        b += "<svg class=\"spark\" role=\"img\" aria-label=\"".utf8
        b += HTMLText.escape(label).utf8
        b += ": ".utf8
        DecimalText.appendInteger(finite.count, to: &b)
        b += afterCount
        if let t = target, t.isFinite {
            b += "<line class=\"spark-target\" x1=\"".utf8; appendFixed(pad, to: &b)
            b += "\" y1=\"".utf8; appendFixed(y(t), to: &b)
            b += "\" x2=\"".utf8; appendFixed(width - pad, to: &b)
            b += "\" y2=\"".utf8; appendFixed(y(t), to: &b)
            b += "\"/>".utf8
        }
        b += "<polyline class=\"spark-line\" fill=\"none\" points=\"".utf8
        for (i, v) in finite.enumerated() {
            if i > 0 { b.append(UInt8(ascii: " ")) }
            appendFixed(x(i), to: &b)
            b.append(UInt8(ascii: ","))
            appendFixed(y(v), to: &b)
        }
        b += "\"/><circle class=\"spark-last\" cx=\"".utf8; appendFixed(x(finite.count - 1), to: &b)
        b += "\" cy=\"".utf8; appendFixed(y(finite.last!), to: &b)
        b += "\" r=\"2.5\"/></svg>".utf8
        return String(decoding: b, as: UTF8.self)
    }

    /// Appends `fmt(v)`'s bytes without building intermediate strings.
    static func appendFixed(_ v: Double, to b: inout [UInt8]) {
        // Coordinates lie inside the small view box; the clamp only keeps `Int` total.
        let tenths = Int((min(1e9, max(-1e9, v.isFinite ? v : 0)) * 10).rounded())
        if tenths < 0 { b.append(UInt8(ascii: "-")) }
        let magnitude = abs(tenths)
        DecimalText.appendInteger(magnitude / 10, to: &b)
        if magnitude % 10 != 0 {
            b.append(UInt8(ascii: "."))
            b.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        }
    }

    /// One decimal, no locale; no `.0` on whole numbers.
    static func fmt(_ v: Double) -> String {
        DecimalText.text { appendFixed(v, to: &$0) }
    }
}
