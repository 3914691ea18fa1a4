import Testing
@testable import Strata

/// Quantities: a number with an optional currency, multiplier and unit.
@Suite struct QuantityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var value: Double
        var unit: QuantityUnit
        var testDescription: String { text }
    }

    static let valid: [Case] = [
        Case(text: "$4.5M", value: 4_500_000, unit: .currency("USD")),
        Case(text: "€200k", value: 200_000, unit: .currency("EUR")),
        Case(text: "£1.2B", value: 1_200_000_000, unit: .currency("GBP")),
        Case(text: "¥500", value: 500, unit: .currency("JPY")),
        Case(text: "$4.5m", value: 4_500_000, unit: .currency("USD")),
        Case(text: "$2bn", value: 2_000_000_000, unit: .currency("USD")),
        Case(text: "USD 4,000", value: 4000, unit: .currency("USD")),
        Case(text: "4000 CHF", value: 4000, unit: .currency("CHF")),
        Case(text: "12%", value: 12, unit: .percent),
        Case(text: "12.6%", value: 12.6, unit: .percent),
        Case(text: "-3%", value: -3, unit: .percent),
        Case(text: "−3%", value: -3, unit: .percent),
        Case(text: "3 pp", value: 3, unit: .percentagePoints),
        Case(text: "450 ms", value: 0.45, unit: .duration),
        Case(text: "450ms", value: 0.45, unit: .duration),
        Case(text: "2 h", value: 7200, unit: .duration),
        Case(text: "1.5 days", value: 129_600, unit: .duration),
        Case(text: "3 weeks", value: 1_814_400, unit: .duration),
        Case(text: "1,200 users", value: 1200, unit: .count("user")),
        Case(text: "1,200,000 users", value: 1_200_000, unit: .count("user")),
        Case(text: "1 user", value: 1, unit: .count("user")),
        Case(text: "5 %", value: 5, unit: .percent),
        Case(text: "15 percent", value: 15, unit: .percent),
        Case(text: "4000 usd", value: 4000, unit: .currency("USD")),
        Case(text: "40 NPS", value: 40, unit: .count("nps")),
        Case(text: "6 pilot customers", value: 6, unit: .count("pilot customer")),
        Case(text: "4.5/5", value: 4.5, unit: .rating(5)),
        Case(text: "8/10", value: 8, unit: .rating(10)),
        Case(text: "0.7", value: 0.7, unit: .none),
        Case(text: "40", value: 40, unit: .none),
        Case(text: "4.2M", value: 4_200_000, unit: .none),
        Case(text: "10k", value: 10_000, unit: .none),
        Case(text: "-$5", value: -5, unit: .currency("USD")),
        Case(text: "$-5", value: -5, unit: .currency("USD")),
        Case(text: "  12%  ", value: 12, unit: .percent),
    ]

    @Test(arguments: valid)
    func parses(_ c: Case) throws {
        let q = try #require(Quantity.parse(c.text))
        #expect(abs(q.value - c.value) < 1e-9 * max(1, abs(c.value)), "value \(q.value)")
        #expect(q.unit == c.unit)
        #expect(q.text == c.text.trimmed)
    }

    @Test(arguments: ["", "lots", "%", "$", "$ 5", "abc 12", "1.2.3", "4.5/0", "12% more", "5 users by Q4", "--5", "4,5%", "1,20 users"])
    func rejects(_ text: String) {
        #expect(Quantity.parse(text) == nil)
    }

    /// The ASCII fast path must agree with the `Character` path on every ASCII text.
    @Test func asciiPathMatchesCharacterPath() {
        let pieces = ["", " ", "  ", "-", "$", "USD ", "usd", "12", "1,200", "1,20", "0.5", ".5", "5.", "4.5", "1234567890123456789", "0.1234567890123456",
                      "k", "K", "M", "B", "bn", "m", "kg", "%", " %", "/5", "/0", "/", "pp", " pp", "ms", " ms", " users", " pilot customers",
                      " by Q4", " story-points", "-x", " percent", " CHF", " chf", " s", " days", ",", ".", "x", "\t", "\n", " a b c", "5", "007",
                      " D", " Hours", " d-", " min2", " d x", " w", " WEEKS", " secondss", "d", " mIn "]
        var texts: [String] = []
        for a in pieces { for b in pieces { texts.append(a + b); for c in ["", "%", " users", "k", " by", "-", "0"] { texts.append(a + b + c) } } }
        for text in texts {
            for units in [0, 1, 2, Int.max] {
                let fast = Quantity.parsePrefixUnbounded(text, wordUnits: units)
                let slow = Quantity.parsePrefixCharacters(text, wordUnits: units)
                #expect(fast?.0 == slow?.0 && fast.map { String($0.1) } == slow.map { String($0.1) }, "\(text.debugDescription) \(units)")
            }
            let slowWhole = Quantity.parsePrefixCharacters(text, wordUnits: Int.max).flatMap { $0.1.trimmed.isEmpty && $0.0.isInRange ? $0.0 : nil }
            #expect(Quantity.parse(text) == slowWhole, "\(text.debugDescription)")
        }
    }

    @Test func prefixStopsAtTheFirstWordUnit() throws {
        let (q, rest) = try #require(Quantity.parsePrefix("5 users by Q4", wordUnits: 1))
        #expect(q.unit == .count("user"))
        #expect(rest == " by Q4")
        let (t, tail) = try #require(Quantity.parsePrefix("$5.5M to grow", wordUnits: 1))
        #expect(t.value == 5_500_000)
        #expect(tail == " to grow")
        let (bare, after) = try #require(Quantity.parsePrefix("40 by March", wordUnits: 1))
        #expect(bare.unit == .none)
        #expect(after == " by March")
    }

    @Test func unitCompatibility() throws {
        func unit(_ s: String) throws -> QuantityUnit { try #require(Quantity.parse(s)).unit }
        let compatible: [(String, String)] = [
            ("40", "$5M"), ("12%", "15%"), ("450 ms", "0.3 s"), ("2 h", "3 days"), ("1,200 users", "1 user"),
            ("4.5/5", "3/5"), ("$4M", "$5M"), ("45", "40 NPS"), ("3 pp", "2 pp"),
        ]
        for (a, b) in compatible {
            #expect(try unit(a).isCompatible(with: try unit(b)), "\(a) ~ \(b)")
            #expect(try unit(b).isCompatible(with: try unit(a)), "\(b) ~ \(a)")
        }
        let incompatible: [(String, String)] = [
            ("$4M", "€4M"), ("12%", "$5M"), ("12%", "3 pp"), ("450 ms", "12%"), ("1,000 users", "1,000 customers"),
            ("4.5/5", "8/10"), ("4.5/5", "90%"), ("3 users", "3 ms"),
        ]
        for (a, b) in incompatible {
            #expect(!(try unit(a).isCompatible(with: try unit(b))), "\(a) !~ \(b)")
        }
    }

    @Test func unitDescriptions() {
        #expect(QuantityUnit.none.description == "a bare number")
        #expect(QuantityUnit.currency("EUR").description == "EUR")
        #expect(QuantityUnit.rating(5).description == "a rating out of 5")
        #expect(QuantityUnit.count("user").description == "'user'")
    }

    @Test(arguments: [(4.5, "4.5"), (2, "2"), (0.333, "0.33"), (-1.5, "-1.5"), (1_000_000, "1000000"), (-0.25, "-0.25"), (Double.nan, "0"),
                      // Sums and ratios of large figures: no trap converting to Int (found by fuzzing).
                      (999_999_999_999_999, "999999999999999"), (1e15, "1000000000000000"), (1e20, "1e+20"), (-3e300, "-3e+300"), (Double.infinity, "0")])
    func format(_ value: Double, _ expected: String) {
        #expect(Quantity.format(value) == expected)
    }

    @Test func percentagesAndTwoDecimalsOfAnySize() {
        #expect(Percent.text(0.456) == "46%")
        #expect(Percent.text(1e20) == "1e+22%")
        #expect(Percent.text(-1e300) == "-1e+302%")
        #expect(Percent.text(.infinity) == "0%")
    }

    /// A plan's numbers are at most 10^15 in magnitude (the value in its base unit, and a
    /// rating's scale); larger ones are refused, and `isOutOfRange` says why.
    @Test(arguments: [("1,000,000,000,000,000", true), ("999999999999999 users", true), ("$1,000,000bn", true), ("-1000000000000000", true),
                      ("1,000,000,000,000,001", false), ("99999999999999999999", false), ("$1,000,001bn", false), ("4.5/99999999999999999999", false),
                      ("2000000000000000 weeks", false), ("1\(String(repeating: "0", count: 400))", false)])
    func magnitudeLimit(_ text: String, _ accepted: Bool) {
        #expect((Quantity.parse(text) != nil) == accepted)
        #expect(Quantity.isOutOfRange(text) == !accepted)
        #expect((Quantity.parsePrefix(text + " more", wordUnits: 1) != nil) == accepted)
    }

    @Test func textThatIsNoNumberIsNotOutOfRange() {
        #expect(!Quantity.isOutOfRange("lots"))
        #expect(!Quantity.isOutOfRange("12%"))
    }
}

/// `DecimalText` writes numbers as bytes; these compare it with the string formatting it
/// replaced (kept here as the reference).
@Suite struct DecimalTextTests {
    static func referenceFormat(_ v: Double) -> String {
        if v.isNaN || v.isInfinite { return "0" }
        guard abs(v) < Quantity.largestMagnitude else { return abs(v) < 9e18 ? String(Int(v.rounded())) : "\(v)" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        let cents = Int((abs(r) * 100).rounded())
        let frac = cents % 100
        var s = (r < 0 ? "-" : "") + "\(cents / 100)." + (frac < 10 ? "0" : "") + "\(frac)"
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    static func referencePercent(_ v: Double) -> String {
        guard v.isFinite else { return "0%" }
        let percent = (v * 100).rounded()
        guard abs(percent) < Quantity.largestMagnitude else { return referenceFormat(percent) + "%" }
        return "\(Int(percent))%"
    }

    @Test func compactNumbersAndPercentagesAsBefore() {
        var values: [Double] = [0, -0.0, 0.004, -0.004, 0.005, -0.005, 0.1, 0.25, -0.25, 1.5, -1.5, 2.675, 99.995, 0.95, 0.75, 1 / 3,
                                1e13 + 0.25, 9e13 + 0.37, 4.5e14 + 0.5, 999_999_999_999_999.9, 1e15, -1e15, 1e20, -3e300,
                                .nan, .infinity, -.infinity, .ulpOfOne, Double.leastNonzeroMagnitude]
        var x = 0.000_7
        while x < 1e16 { values += [x, -x, x * 1.000_1]; x *= 1.37 }
        for v in stride(from: -3.0, through: 3.0, by: 0.001) { values.append(v) }
        for v in values {
            #expect(Quantity.format(v) == Self.referenceFormat(v), "\(v)")
            #expect(Percent.text(v) == Self.referencePercent(v), "\(v)")
        }
    }

    @Test func integers() {
        for n in [0, 7, -7, 10, 99, -100, 123_456_789, Int.max, Int.min] {
            var digits: [UInt8] = []
            DecimalText.appendInteger(n, to: &digits)
            #expect(String(decoding: digits, as: UTF8.self) == String(n))
        }
    }
}
