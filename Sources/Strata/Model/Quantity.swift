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

    /// The largest magnitude a plan's number may have (a quadrillion): far beyond any real
    /// figure, every whole number up to it is exact in a `Double`, and any sum, ratio or
    /// percentage of such numbers stays finite. A rating's scale has the same limit.
    public static let largestMagnitude = 1e15

    /// True when the value (and a rating's scale) is finite and within `largestMagnitude`.
    var isInRange: Bool {
        guard abs(value) <= Self.largestMagnitude else { return false }  // false for NaN too
        if case .rating(let scale) = unit { return scale <= Self.largestMagnitude }
        return true
    }

    /// Parses a whole value; nil when the text is not a quantity, or is one out of range
    /// (`isOutOfRange` tells the two apart for a message).
    public static func parse(_ raw: String) -> Quantity? {
        // At most 15 digits: always in range (and the common case, checked without a copy).
        if let number = plainNumber(raw) { return number }
        guard let q = parseWithUnit(raw), q.isInRange else { return nil }
        return q
    }

    /// True when `raw` reads as a quantity whose value is beyond `largestMagnitude`.
    public static func isOutOfRange(_ raw: String) -> Bool {
        parseWithUnit(raw).map { !$0.isInRange } ?? false
    }

    /// `parse` without the range check, past the plain numbers.
    private static func parseWithUnit(_ raw: String) -> Quantity? {
        if let fast = ASCIIQuantityParser.withBytes(of: raw, { p -> Quantity?? in
            guard let (q, restStart) = p.parsePrefix(wordUnits: Int.max) else { return .some(nil) }
            return p.isBlank(from: restStart) ? q : .some(nil)
        }) {
            return fast
        }
        guard let (q, rest) = parsePrefixCharacters(raw, wordUnits: Int.max), rest.trimmed.isEmpty else { return nil }
        return q
    }

    /// Digits with at most one decimal point inside them, and an optional `%` right after
    /// (`58`, `0.6`, `32%`), the most common values in a plan: read without the general
    /// parser. The value is worked out as the general parser does, so the result is the same.
    static func plainNumber(_ raw: String) -> Quantity? {
        var raw = raw
        var percent = false
        let value = raw.withUTF8 { u -> Double? in
            var n = u.count
            if n > 1, u[n - 1] == 0x25 { percent = true; n -= 1 }
            guard n > 0, n <= 15, ASCIIQuantityParser.isDigit(u[0]), ASCIIQuantityParser.isDigit(u[n - 1]) else { return nil }
            var mantissa: UInt64 = 0, fractionDigits = 0, sawPoint = false
            for b in UnsafeBufferPointer(rebasing: u[..<n]) {
                if ASCIIQuantityParser.isDigit(b) {
                    mantissa = mantissa &* 10 &+ UInt64(b - 0x30)
                    if sawPoint { fractionDigits += 1 }
                } else if b == 0x2E, !sawPoint {
                    sawPoint = true
                } else {
                    return nil
                }
            }
            return Double(mantissa) / ASCIIQuantityParser.powersOfTen[fractionDigits]
        }
        return value.map { Quantity(value: $0, unit: percent ? .percent : .none, text: raw) }
    }

    /// Parses a quantity at the start of `raw`, taking at most `wordUnits` words as its
    /// unit; returns the quantity and the unparsed rest.
    static func parsePrefix(_ raw: String, wordUnits: Int) -> (Quantity, Substring)? {
        guard let found = parsePrefixUnbounded(raw, wordUnits: wordUnits), found.0.isInRange else { return nil }
        return found
    }

    /// `parsePrefix` without the range check, to name a number that is out of range.
    static func parsePrefixUnbounded(_ raw: String, wordUnits: Int) -> (Quantity, Substring)? {
        if let fast = ASCIIQuantityParser.withBytes(of: raw, { p -> (Quantity, Int)?? in p.parsePrefix(wordUnits: wordUnits) }) {
            guard let (q, restStart) = fast else { return nil }
            return (q, raw[raw.utf8.index(raw.startIndex, offsetBy: restStart)...])
        }
        return parsePrefixCharacters(raw, wordUnits: wordUnits)
    }

    /// `parsePrefix` on `Character`s: the general path, for text with non-ASCII characters
    /// (`−`, `€`, non-Latin unit words). `ASCIIQuantityParser` gives the same results on
    /// ASCII text without Character look-ups.
    static func parsePrefixCharacters(_ raw: String, wordUnits: Int) -> (Quantity, Substring)? {
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

    /// Formats a number compactly and deterministically (at most 2 decimals). Total: a
    /// sum or ratio of large figures can be any size, and beyond `largestMagnitude` it is
    /// written whole while it fits an `Int`, then in Swift's shortest round-trip form
    /// (`1e+20`); neither depends on the locale.
    public static func format(_ v: Double) -> String {
        DecimalText.text { DecimalText.appendCompact(v, to: &$0) }
    }
}

/// `Quantity.parsePrefix` on the UTF-8 bytes of ASCII text (without CR, which joins a
/// following LF into one `Character`): for ASCII, `Character.isLetter` is A–Z/a–z,
/// `isNumber` is 0–9 and one character is one byte, so positions and results are the same
/// as the `Character` path's.
struct ASCIIQuantityParser {
    let u: UnsafeBufferPointer<UInt8>

    /// Runs `body` when `text` is ASCII without CR; nil (take the general path) otherwise.
    static func withBytes<R>(of text: String, _ body: (ASCIIQuantityParser) -> R?) -> R? {
        var text = text
        return text.withUTF8 { u -> R? in
            for b in u where b >= 0x80 || b == 0x0D { return nil }
            return body(ASCIIQuantityParser(u: u))
        }
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    /// `Character.isWhitespace` for ASCII: tab, LF, VT, FF, CR and space.
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    func byte(_ i: Int) -> UInt8? { i < u.count ? u[i] : nil }

    /// True when the bytes from `i` on are whitespace (`rest.trimmed.isEmpty`).
    func isBlank(from i: Int) -> Bool {
        var i = i
        while i < u.count { guard Self.isSpace(u[i]) else { return false }; i += 1 }
        return true
    }

    func string(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: u[r]), as: UTF8.self) }

    /// `string(r).lowercased()` for ASCII bytes, made in one step.
    func lowercasedString(_ r: Range<Int>) -> String {
        String(unsafeUninitializedCapacity: r.count) { buffer in
            for (k, i) in r.enumerated() {
                let b = u[i]
                buffer[k] = b >= 0x41 && b <= 0x5A ? b + 0x20 : b
            }
            return r.count
        }
    }

    /// The quantity and the byte offset where the unparsed rest starts.
    func parsePrefix(wordUnits: Int) -> (Quantity, Int)? {
        let n = u.count
        var i = 0
        while i < n, u[i] == 0x20 { i += 1 }
        let begin = i
        var negative = false
        var currency: String?
        if byte(i) == 0x2D { negative = true; i += 1 }
        if byte(i) == 0x24 { currency = "USD"; i += 1 }
        else if n - i > 4, u[i + 3] == 0x20, (i..<(i + 3)).allSatisfy({ u[$0] >= 0x41 && u[$0] <= 0x5A }),
                Quantity.currencyCodes.contains(string(i..<(i + 3))) {
            currency = string(i..<(i + 3)); i += 4
        }
        if !negative, byte(i) == 0x2D { negative = true; i += 1 }
        // Digits with thousands separators and one decimal point. Up to 15 digits are
        // exact in a Double and a power of ten up to 1e22 is exact, so one division gives
        // the correctly rounded value, as `Double(String)` does; longer numbers use it.
        var mantissa: UInt64 = 0, digitCount = 0, fractionDigits = 0
        let numberStart = i
        var sawDigit = false, sawPoint = false
        while i < n {
            let c = u[i]
            if Self.isDigit(c) {
                mantissa = mantissa &* 10 &+ UInt64(c - 0x30)
                digitCount += 1
                if sawPoint { fractionDigits += 1 }
                sawDigit = true; i += 1
            } else if c == 0x2C, sawDigit, !sawPoint, isThousandsGroup(at: i + 1) {
                i += 1
            } else if c == 0x2E, !sawPoint, let next = byte(i + 1), Self.isDigit(next) {
                sawPoint = true; i += 1
            } else { break }
        }
        guard sawDigit else { return nil }
        var value: Double
        if digitCount <= 15 {
            value = Double(mantissa) / Self.powersOfTen[fractionDigits]
        } else {
            guard let v = Double(String(decoding: u[numberStart..<i].filter { $0 != 0x2C }, as: UTF8.self)) else { return nil }
            value = v
        }
        if negative { value = -value }
        // Multiplier directly after the number.
        if let (length, factor) = multiplier(at: i), byte(i + length).map({ !Self.isLetter($0) }) ?? true {
            value *= factor; i += length
        }
        if currency != nil, byte(i) == 0x6D, byte(i + 1).map({ !Self.isLetter($0) }) ?? true { value *= 1e6; i += 1 }
        var unit: QuantityUnit = currency.map { .currency($0) } ?? .none
        var rest = i
        var spaced = rest
        while spaced < n, u[spaced] == 0x20 { spaced += 1 }
        if byte(rest) == 0x25 { unit = .percent; rest += 1 }
        else if currency == nil, byte(spaced) == 0x25 { unit = .percent; rest = spaced + 1 }
        else if byte(rest) == 0x2F, let (scale, after) = leadingNumber(at: rest + 1) { unit = .rating(scale); rest = after }
        else if currency == nil, wordUnits > 0, let (factor, end) = loneDuration(at: spaced) {
            // The usual unit word, read on the bytes: what the words below make of it.
            unit = .duration; value *= factor; rest = end
        }
        else if currency == nil, wordUnits > 0 {
            // Words: a duration, a currency code or a counted thing.
            // The words, lower-cased, made once each (a unit word is read for every check-in);
            // a list only for the rare units of more than one word.
            var first: String?
            var more: [String] = []
            var count = 0
            var cursor = spaced
            while count < wordUnits {
                var end = cursor
                while end < n, Self.isLetter(u[end]) || u[end] == 0x2D { end += 1 }
                while end > cursor, u[end - 1] == 0x2D { end -= 1 }
                guard end > cursor, Self.isLetter(u[cursor]), byte(end).map({ !Self.isLetter($0) && !Self.isDigit($0) }) ?? true else { break }
                let word = lowercasedString(cursor..<end)
                if Quantity.stopWords.contains(word) { break }
                if first == nil { first = word } else { more.append(word) }
                count += 1
                cursor = end
                var next = cursor
                while next < n, u[next] == 0x20 { next += 1 }
                if byte(next).map(Self.isLetter) ?? false, count < wordUnits { cursor = next } else { break }
            }
            if let lower = first {
                if count == 1, lower == "pp" { unit = .percentagePoints; rest = cursor }
                else if count == 1, lower == "percent" { unit = .percent; rest = cursor }
                else if count == 1, let f = Quantity.durations[lower] { unit = .duration; value *= f; rest = cursor }
                else if count == 1, lower.utf8.count == 3, Quantity.currencyCodes.contains(lower.uppercased()) { unit = .currency(lower.uppercased()); rest = cursor }
                else {
                    var noun = count == 1 ? lower : ([lower] + more).joined(separator: " ")
                    // A plural 's' off the ASCII bytes (`String.removeLast` walks graphemes).
                    if noun.utf8.count > 3, noun.utf8.last == 0x73 { noun = String(decoding: noun.utf8.dropLast(), as: UTF8.self) }
                    unit = .count(noun); rest = cursor
                }
            }
        }
        var textStart = begin, textEnd = rest
        while textStart < textEnd, Self.isSpace(u[textStart]) { textStart += 1 }
        while textEnd > textStart, Self.isSpace(u[textEnd - 1]) { textEnd -= 1 }
        return (Quantity(value: value, unit: unit, text: string(textStart..<textEnd)), rest)
    }

    /// A duration word at `i` (`d`, `ms`, `hours`, in any case) with no other word after
    /// it: its factor in seconds and where it ends. Nil for anything else, which the
    /// general reading of unit words then takes (its answer for these is the same).
    func loneDuration(at i: Int) -> (Double, Int)? {
        var end = i
        while end < u.count, Self.isLetter(u[end]) { end += 1 }
        guard end > i, end - i <= 7, byte(end).map({ !Self.isLetter($0) && !Self.isDigit($0) && $0 != 0x2D }) ?? true else { return nil }
        var next = end
        while next < u.count, u[next] == 0x20 { next += 1 }
        guard !(byte(next).map(Self.isLetter) ?? false) else { return nil }
        // The word, lower-cased, packed into an integer (7 bytes at most).
        var word: UInt64 = 0
        for k in i..<end { word = word << 8 | UInt64(u[k] | 0x20) }
        guard let factor = Self.durationWords[word] else { return nil }
        return (factor, end)
    }

    /// `Quantity.durations`, keyed by the packed words `loneDuration` makes.
    static let durationWords: [UInt64: Double] = Dictionary(uniqueKeysWithValues: Quantity.durations.map { word, factor in
        (word.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }, factor)
    })

    /// The multiplier written at `i` (bn, k, K, M, B): its length in bytes and its factor.
    func multiplier(at i: Int) -> (Int, Double)? {
        switch byte(i) {
        case 0x62: return byte(i + 1) == 0x6E ? (2, 1e9) : nil
        case 0x6B, 0x4B: return (1, 1e3)
        case 0x4D: return (1, 1e6)
        case 0x42: return (1, 1e9)
        default: return nil
        }
    }
    static let powersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { r, _ in r * 10 } }

    /// Exactly three digits, then something other than a digit.
    func isThousandsGroup(at i: Int) -> Bool {
        guard u.count - i >= 3, Self.isDigit(u[i]), Self.isDigit(u[i + 1]), Self.isDigit(u[i + 2]) else { return false }
        return byte(i + 3).map { !Self.isDigit($0) } ?? true
    }

    func leadingNumber(at i: Int) -> (Double, Int)? {
        var end = i
        while end < u.count, Self.isDigit(u[end]) || u[end] == 0x2E { end += 1 }
        guard end > i, let v = Double(string(i..<end)), v > 0 else { return nil }
        return (v, end)
    }
}
