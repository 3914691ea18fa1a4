import Foundation
import Testing
@testable import Strata

/// The regular expressions of the JSON Schemas accept the text the decoder accepts: each
/// sample is read by `ValueReader`/`Quantity`/`Period`/`Day` and matched against the
/// pattern, and the two must agree. A seeded fuzz adds strings built from the characters
/// the forms are made of.
@Suite struct SchemaPatternTests {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(try! NSRegularExpression(pattern: pattern), text)
    }

    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func isQuantity(_ s: String) -> Bool { Quantity.parse(s) != nil }
    static func isNumber(_ s: String) -> Bool { Quantity.parse(s)?.unit == QuantityUnit.none }
    static func isBoolean(_ s: String) -> Bool {
        let t = s.trimmed.lowercased()
        return ValueReader.trueWords.contains(t) || ValueReader.falseWords.contains(t)
    }
    static func isConfidence(_ s: String) -> Bool {
        guard let q = Quantity.parse(s), q.unit == .none || q.unit == .percent else { return false }
        let v = q.unit == .percent ? q.value / 100 : q.value
        return v >= 0 && v <= 1
    }
    static func isPeriod(_ s: String) -> Bool { Period.parse(s.trimmed, fiscalYearStart: 1) != nil }
    static func isID(_ s: String) -> Bool { ValueReader.isValidID(s.trimmed) }

    static let forms: [(name: String, pattern: String, decoder: @Sendable (String) -> Bool)] = [
        ("quantity", ValuePatterns.quantity, isQuantity),
        ("number", ValuePatterns.number, isNumber),
        ("boolean", ValuePatterns.boolean, isBoolean),
        ("confidence", ValuePatterns.confidence, isConfidence),
        ("period", ValuePatterns.period, isPeriod),
        ("id", ValuePatterns.id, isID),
    ]

    static let samples = [
        "12%", "$4.5M", "€200k", "450 ms", "1,200 users", "4.5/5", "-3", ".5", "USD 5M", "5 EUR", "$5m", "12 pp",
        "3 customers", "1 customer", "7 active users", "10 k users", "$1.2bn", "5kg", "−2%", "-$5", "$-5", "40", "0",
        "99.95%", "2 d", "1.5 h", "100 NPS", "5k", "1,000", "1.0", "0.7", "70%", "100%", "100.0%", "101%", "1.5", "007",
        "lots", "12 %", "5 by Q4", "$5 million", "4.5/5 stars", "5/0", "1.2.3", "--5", "5 users!", "12% growth", "", "$",
        "1e3", "0x1F", "5 to 7", "from 5", "5,", "1.5,000", "five", "5 users 2", "USD  5", "$5Mm", "5/5.5.5", "5/5.",
        "true", "False", "YES", "no", "On", "off", "y", "N", "done", "Not Done", "not  done", "maybe", " yes ", "1",
        "2026", "2026-Q4", "2026-H2", "2026-11", "FY2027", "FY2027-Q1", "FY2027-H1", "FY2027-11", "2026-Q5", "2026-13",
        "0999", "26-Q4", "2026-q4", " 2026-Q4 ", "2026-00",
        "G1", "sales-q4-1.kr2", "a_b", "-a", "_a", ".a", "a..b", "a.", "a b", "ünal", "a/b", "9", "a-", "a.-b",
        "15 percent", "15 %", "0,001", "0,000.5", "0k", "-0", "0,050%", "1,234", "1,2345", "1,23", "5 eur", "2BY", "5kg",
    ]

    /// Where the pattern is stricter than the decoder on purpose: nonsense the decoder
    /// happens to read — a confidence of 0.0005 thousand, or of €8% (a currency before a
    /// percentage makes a percentage).
    static func isKnownDifference(_ form: String, _ s: String) -> Bool {
        form == "confidence" && (["0.0005k", "0.001k"].contains(s) || s.contains { "$€£¥".contains($0) })
    }
    static let knownDifferenceSamples = ["0.0005k", "0.001k", "€8%", "$.9%"]

    @Test(arguments: forms.map(\.name))
    func patternAgreesWithTheDecoderOnSamples(_ name: String) {
        let form = Self.forms.first { $0.name == name }!
        for s in Self.samples where !Self.isKnownDifference(name, s) {
            #expect(Self.matches(form.pattern, s) == form.decoder(s), "\(name) '\(s)': pattern \(Self.matches(form.pattern, s)), decoder \(form.decoder(s))")
        }
        for s in Self.knownDifferenceSamples where Self.isKnownDifference(name, s) {
            #expect(!Self.matches(form.pattern, s) && form.decoder(s), "\(name) '\(s)' is listed as a known difference")
        }
    }

    /// 100,000 strings of up to 8 characters from the forms' alphabet, from a fixed seed.
    @Test(arguments: forms.map(\.name))
    func patternAgreesWithTheDecoderOnGeneratedStrings(_ name: String) {
        let form = Self.forms.first { $0.name == name }!
        let regex = try! NSRegularExpression(pattern: form.pattern)
        let alphabet = Array("0123456789.,-−$€% /kKMBbmnsdhpuUSDEROQHFYyeotf_")
        var state: UInt64 = 0x5eed
        var disagreements: [String] = []
        for _ in 0..<100_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var s = ""
            var r = state
            for _ in 0..<(Int(r % 8) + 1) {
                r = r &* 6364136223846793005 &+ 1442695040888963407
                s.append(alphabet[Int((r >> 33) % UInt64(alphabet.count))])
            }
            if Self.matches(regex, s) != form.decoder(s), !Self.isKnownDifference(name, s) { disagreements.append(s) }
        }
        #expect(disagreements.isEmpty, "\(name): \(disagreements.count) disagreements, e.g. \(disagreements.prefix(20).map { "'\($0)' (decoder \(form.decoder($0)))" }.joined(separator: ", "))")
    }
}
