/// Regular expressions for the text forms `ValueReader` accepts, written in the subset of
/// ECMA-262 and Python `re` syntax that both understand (editors use the first, the tests
/// the second). `\s*` at either end mirrors the decoder trimming values.
///
/// Where a regular expression cannot say exactly what the Swift code does, it errs on the
/// side of accepting: "letter" is approximated by Unicode blocks of scripts (non-ASCII
/// letters in ids and unit words), and an id's 128-byte limit is checked in characters.
enum ValuePatterns {
    /// Non-ASCII letters and digits, approximately: from À, without the Latin-1 signs × and
    /// ÷, the punctuation and symbol blocks U+2000–U+2BFF, surrogates and private use.
    static let nonASCIILetters = #"\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u1FFF\u2C00-\uD7FF\uF900-\uFFEF"#
    static let letter = "[A-Za-z" + nonASCIILetters + "]"

    /// `ValueReader.isValidID`: starts with a letter or digit; letters, digits, `-`, `_`,
    /// `.`; no `..`.
    static let id: String = {
        let first = "[A-Za-z0-9" + nonASCIILetters + "]"
        let next = "[A-Za-z0-9_" + nonASCIILetters + "-]"
        return #"^\s*"# + first + #"(?:\.?"# + next + #")*\.?\s*$"#
    }()

    /// `Day.init(_:)`: strict `YYYY-MM-DD` (the schema adds `format: date` for the calendar).
    static let date = #"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"#

    /// `Period.parse`: `2026`, `2026-H2`, `2026-Q4`, `2026-11`, `FY2027`, `FY2027-H1`, `FY2027-Q1`.
    static let period = #"^\s*(?:[1-9][0-9]{3}(?:-(?:Q[1-4]|H[12]|0[1-9]|1[0-2]))?|FY[1-9][0-9]{3}(?:-(?:Q[1-4]|H[12]))?)\s*$"#

    /// `ValueReader.bool`: the true and false words, any letter case.
    static let boolean: String = {
        let words = (ValueReader.trueWords.union(ValueReader.falseWords)).sorted()
        return #"^\s*(?:"# + words.map(caseInsensitive).joined(separator: "|") + #")\s*$"#
    }()

    /// Digits with thousands separators (a comma and exactly three digits) and one decimal
    /// point, as `Quantity.parsePrefix` reads them.
    static let digits = #"(?:[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|\.[0-9]+)"#
    static let multiplier = "(?:bn|[kKMB])"

    /// `ValueReader.number`: a quantity without a unit (`7`, `1,200`, `-3`, `5k`).
    static let number = #"^ *[-−]?"# + digits + multiplier + #"?\s*$"#

    /// A multiplier is one only when no letter follows (`5kg` is five kg).
    static let multiplierBeforeNonLetter = "(?:" + multiplier + "(?!" + letter + "))"

    /// `Quantity.parse`: a number with an optional currency, multiplier and unit.
    static let quantity: String = {
        let codes = Quantity.currencyCodes.sorted().joined(separator: "|")
        let symbols = "[" + Quantity.currencySymbols.keys.map(String.init).sorted().joined() + "]"
        let currency = "(?:" + symbols + "|(?:" + codes + ") )"
        let rating = #"/(?=[0-9.]*[1-9])(?:[0-9]+\.?[0-9]*|\.[0-9]+)"#
        let stop = "(?!(?:" + Quantity.stopWords.sorted().map(caseInsensitive).joined(separator: "|") + #")(?:\s|$))"#
        // A word starts and ends with a letter and may hold hyphens (`story-points`).
        let word = stop + letter + "+(?:-+" + letter + "+)*"
        let words = " *" + word + "(?: +" + word + ")*"
        // With a currency: multipliers (and `m` for million), then % or a rating; no unit words.
        let withCurrency = "(?:[-−]" + currency + "|" + currency + "[-−]?)" + digits
            + multiplierBeforeNonLetter + "?(?:m(?!" + letter + "))?(?:%|" + rating + ")?"
        // Without: % may follow spaces; unit words (durations, pp, percent, currency codes, nouns).
        // The decoder takes a multiplier whenever it can, so without one none may be takeable.
        let plain = "[-−]?" + digits + "(?:" + multiplierBeforeNonLetter + "|(?!" + multiplierBeforeNonLetter + "))"
            + "(?: *%|" + rating + "|" + words + ")?"
        return "^ *(?:" + withCurrency + "|" + plain + #")\s*$"#
    }()

    /// `ValueReader.confidence` given as text: 0–1, or 0–100 followed by `%` or `percent`.
    /// Zero may carry a sign or a multiplier; other values may not (`0.0005k` is refused,
    /// though it reads as 0.5).
    static let confidence: String = {
        let zeros = #"0+(?:,000)*"#
        let percent = "(?: *%| *" + caseInsensitive("percent") + ")"
        let zero = "[-−]?(?:" + zeros + #"(?:\.0+)?|\.0+)"# + multiplierBeforeNonLetter + "?" + percent + "?"
        let fraction = "(?:" + zeros + #")?\.[0-9]+|"# + zeros + #"|(?:"# + zeros + ",001|0*1)" + #"(?:\.0+)?"#
        let upTo100 = "(?:(?:" + zeros + ",0[0-9]{2}|0*[0-9]{1,2})" + #"(?:\.[0-9]+)?|(?:"# + zeros + #")?\.[0-9]+|(?:"#
            + zeros + ",100|0*100)" + #"(?:\.0+)?)"# + percent
        return "^ *(?:" + zero + "|" + fraction + "|" + upTo100 + #")\s*$"#
    }()

    /// `yes` → `[Yy][Ee][Ss]`: JSON Schema patterns have no case-insensitive flag.
    static func caseInsensitive(_ word: String) -> String {
        word.map { c -> String in
            let lower = c.lowercased(), upper = c.uppercased()
            if lower != upper { return "[" + upper + lower + "]" }
            return ".^$|?*+()[]{}\\/-".contains(c) ? "\\" + String(c) : String(c)
        }.joined()
    }
}
