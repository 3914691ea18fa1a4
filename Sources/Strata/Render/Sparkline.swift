/// A small inline SVG of a key result's or KPI's check-ins, oldest to newest.
public enum Sparkline {
    static let width = 120.0, height = 28.0, pad = 3.0

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
        func y(_ v: Double) -> Double { height - pad - (height - 2 * pad) * (v - lo) / (hi - lo) }
        // Appended piece by piece into one string: a KR's sparkline is built for every key
        // result of a large plan.
        var s = "<svg class=\"spark\" role=\"img\" aria-label=\""
        s.reserveCapacity(320 + 12 * finite.count + label.utf8.count)
        s += HTMLText.escape(label)
        s += ": \(finite.count) readings\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        if let t = target, t.isFinite {
            s += "<line class=\"spark-target\" x1=\""; appendFixed(pad, to: &s)
            s += "\" y1=\""; appendFixed(y(t), to: &s)
            s += "\" x2=\""; appendFixed(width - pad, to: &s)
            s += "\" y2=\""; appendFixed(y(t), to: &s)
            s += "\"/>"
        }
        s += "<polyline class=\"spark-line\" fill=\"none\" points=\""
        for (i, v) in finite.enumerated() {
            if i > 0 { s += " " }
            appendFixed(x(i), to: &s)
            s += ","
            appendFixed(y(v), to: &s)
        }
        s += "\"/><circle class=\"spark-last\" cx=\""; appendFixed(x(finite.count - 1), to: &s)
        s += "\" cy=\""; appendFixed(y(finite.last!), to: &s)
        s += "\" r=\"2.5\"/></svg>"
        return s
    }

    /// Appends `fmt(v)` without building intermediate strings.
    static func appendFixed(_ v: Double, to s: inout String) {
        let tenths = Int((v * 10).rounded())
        if tenths < 0 { s += "-" }
        let magnitude = abs(tenths)
        s += String(magnitude / 10)
        if magnitude % 10 != 0 {
            s += "."
            s += String(magnitude % 10)
        }
    }

    /// One decimal, no locale; no `.0` on whole numbers.
    static func fmt(_ v: Double) -> String {
        var s = ""
        appendFixed(v, to: &s)
        return s
    }
}
