/// The unit of a quantity. Values of one key result must share a dimension.
public enum QuantityUnit: Hashable, Sendable, CustomStringConvertible {
    case none
    case percent
    case percentagePoints
    case currency(String)
    /// Durations are stored in seconds.
    case duration
    /// A rating out of a scale, e.g. `4.5/5`.
    case rating(Double)
    /// A counted thing, e.g. `users` (stored singular, lower-case).
    case count(String)

    public var description: String {
        switch self {
        case .none: return "a bare number"
        case .percent: return "%"
        case .percentagePoints: return "percentage points"
        case .currency(let c): return c
        case .duration: return "a duration"
        case .rating(let s): return "a rating out of \(Quantity.format(s))"
        case .count(let w): return "'\(w)'"
        }
    }

    /// Whether values in the two units can be compared. A bare number fits any unit.
    public func isCompatible(with other: QuantityUnit) -> Bool {
        if self == .none || other == .none { return true }
        return self == other
    }
}

/// A number with a unit, parsed from text such as `$4.5M`, `12%`, `450 ms`, `1,200 users`.
public struct Quantity: Hashable, Sendable, CustomStringConvertible {
    /// The value in the unit's base (dollars, seconds, per cent).
    public var value: Double
    public var unit: QuantityUnit
    /// The text as written, for reports.
    public var text: String

    public var description: String { text }

    public init(value: Double, unit: QuantityUnit, text: String) {
        self.value = value
        self.unit = unit
        self.text = text
    }

    static let currencySymbols: [Character: String] = ["$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"]
    static let currencyCodes: Set<String> = ["USD", "EUR", "GBP", "JPY", "CHF", "SEK", "NOK", "DKK", "PLN", "CAD", "AUD", "CNY", "INR"]
    static let durations: [String: Double] = [
        "ms": 0.001, "msec": 0.001, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
        "min": 60, "mins": 60, "minute": 60, "minutes": 60, "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
        "d": 86400, "day": 86400, "days": 86400, "w": 604800, "wk": 604800, "week": 604800, "weeks": 604800,
    ]

    /// Parses a whole value; nil when the text is not a quantity.
    public static func parse(_ raw: String) -> Quantity? {
        guard let (q, rest) = parsePrefix(raw, wordUnits: Int.max), rest.trimmed.isEmpty else { return nil }
        return q
    }

    /// Parses a quantity at the start of `raw`, taking at most `wordUnits` words as its
    /// unit; returns the quantity and the unparsed rest.
    static func parsePrefix(_ raw: String, wordUnits: Int) -> (Quantity, Substring)? {
        var s = Substring(raw)
        while s.first == " " { s = s.dropFirst() }
        let begin = s
        var negative = false
        var currency: String?
        if s.first == "-" || s.first == "−" { negative = true; s = s.dropFirst() }
        if let c = s.first, let code = currencySymbols[c] { currency = code; s = s.dropFirst() }
        else if s.count > 4, currencyCodes.contains(String(s.prefix(3))), s.dropFirst(3).first == " " {
            currency = String(s.prefix(3)); s = s.dropFirst(4)
        }
        if !negative, s.first == "-" || s.first == "−" { negative = true; s = s.dropFirst() }
        // Digits with thousands separators and one decimal point.
        var digits = ""
        var sawDigit = false, sawPoint = false
        while let c = s.first {
            if c.isASCII, c.isNumber { digits.append(c); sawDigit = true; s = s.dropFirst() }
            else if c == ",", sawDigit, !sawPoint, isThousandsGroup(s.dropFirst()) { s = s.dropFirst() }
            else if c == ".", !sawPoint, let n = s.dropFirst().first, n.isASCII, n.isNumber { digits.append("."); sawPoint = true; s = s.dropFirst() }
            else { break }
        }
        guard sawDigit, var value = Double(digits) else { return nil }
        if negative { value = -value }
        // Multiplier directly after the number.
        let multipliers: [(String, Double)] = [("bn", 1e9), ("k", 1e3), ("K", 1e3), ("M", 1e6), ("B", 1e9)]
        for (m, f) in multipliers where s.hasPrefix(m) {
            let after = s.dropFirst(m.count)
            if after.first.map({ !$0.isLetter }) ?? true {
                value *= f; s = after; break
            }
        }
        if currency != nil, s.hasPrefix("m"), s.dropFirst().first.map({ !$0.isLetter }) ?? true { value *= 1e6; s = s.dropFirst() }
        var unit: QuantityUnit = currency.map { .currency($0) } ?? .none
        var rest = s
        var spaced = rest
        while spaced.first == " " { spaced = spaced.dropFirst() }
        if rest.first == "%" { unit = .percent; rest = rest.dropFirst() }
        else if currency == nil, spaced.first == "%" { unit = .percent; rest = spaced.dropFirst() }
        else if rest.first == "/", let (scale, after) = leadingNumber(rest.dropFirst()) { unit = .rating(scale); rest = after }
        else if currency == nil, wordUnits > 0 {
            // Words: a duration, a currency code or a counted thing.
            var words: [Substring] = []
            var cursor = spaced
            while words.count < wordUnits {
                var word = cursor.prefix { $0.isLetter || $0 == "-" }
                while word.last == "-" { word = word.dropLast() }
                guard !word.isEmpty, word.first!.isLetter, cursor.dropFirst(word.count).first.map({ !$0.isLetter && !$0.isNumber }) ?? true else { break }
                if !words.isEmpty && stopWords.contains(word.lowercased()) { break }
                if words.isEmpty && stopWords.contains(word.lowercased()) { break }
                words.append(word)
                cursor = cursor.dropFirst(word.count)
                var next = cursor
                while next.first == " " { next = next.dropFirst() }
                if next.first.map({ $0.isLetter }) ?? false, words.count < wordUnits { cursor = next } else { break }
            }
            if let first = words.first {
                let lower = first.lowercased()
                if words.count == 1, lower == "pp" { unit = .percentagePoints; rest = cursor }
                else if words.count == 1, lower == "percent" { unit = .percent; rest = cursor }
                else if words.count == 1, let f = durations[lower] { unit = .duration; value *= f; rest = cursor }
                else if words.count == 1, currencyCodes.contains(String(first).uppercased()) { unit = .currency(String(first).uppercased()); rest = cursor }
                else {
                    var noun = words.joined(separator: " ").lowercased()
                    if noun.count > 3, noun.hasSuffix("s") { noun.removeLast() }
                    unit = .count(noun); rest = cursor
                }
            }
        }
        let consumed = begin.count - rest.count
        let text = String(begin.prefix(consumed)).trimmed
        return (Quantity(value: value, unit: unit, text: text), rest)
    }

    /// Exactly three digits, then something other than a digit.
    static func isThousandsGroup(_ s: Substring) -> Bool {
        let digits = s.prefix(4)
        guard digits.count >= 3, digits.prefix(3).allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return digits.count == 3 || !(digits.last!.isASCII && digits.last!.isNumber)
    }

    static let stopWords: Set<String> = ["by", "in", "within", "per", "across", "for", "at", "of", "on", "and", "before", "from", "to", "now", "weight", "owner", "or", "with", "while", "over", "under", "above", "below", "each", "every", "a", "the"]

    private static func leadingNumber(_ s: Substring) -> (Double, Substring)? {
        let n = s.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
        guard !n.isEmpty, let v = Double(n), v > 0 else { return nil }
        return (v, s.dropFirst(n.count))
    }

    /// Formats a number compactly and deterministically (at most 2 decimals).
    public static func format(_ v: Double) -> String {
        if v.isNaN || v.isInfinite { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        var s = String(format2: r)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}

extension String {
    /// Two decimals without Foundation's locale-dependent formatting.
    init(format2 v: Double) {
        let negative = v < 0
        let cents = Int((abs(v) * 100).rounded())
        let frac = cents % 100
        self = (negative ? "-" : "") + "\(cents / 100)." + (frac < 10 ? "0" : "") + "\(frac)"
    }
}
