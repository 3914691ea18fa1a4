import Foundation
import Testing
@testable import Strata

/// Key results written as plain-English sentences in Markdown OKR files.
@Suite struct KeyResultSentenceTests {
    /// A compact description of the parsed shape.
    func shape(_ s: KeyResultSentence) -> String {
        switch s.shape {
        case .change(let a, _, let b, _): return "change \(a.text) → \(b.text)"
        case .above(let q, _): return "above \(q.text)"
        case .below(let q, _): return "below \(q.text)"
        case .milestone(let done): return done ? "milestone done" : "milestone open"
        case .none: return "none"
        }
    }

    /// The text at a UTF-8 byte offset of `full`, `length` bytes long.
    func text(_ full: String, _ offset: Int, _ length: Int) -> String {
        String(decoding: Array(full.utf8)[offset..<(offset + length)], as: UTF8.self)
    }

    @Test func fromToWithAnnotationsAndID() throws {
        let line = "Grow mid-market ARR from $4.0M to $5.5M (now $4.6M) {#sales-q4-1.arr}"
        let s = KeyResultSentence.parse(line)
        #expect(shape(s) == "change $4.0M → $5.5M")
        #expect(s.title == "Grow mid-market ARR from $4.0M to $5.5M")
        #expect(s.id?.0 == "sales-q4-1.arr")
        #expect(s.annotations.map { "\($0.key)=\($0.value)" } == ["now=$4.6M"])
        guard case .change(let start, let so, let target, let to) = s.shape else { return }
        #expect(start.value == 4_000_000 && target.value == 5_500_000)
        #expect(text(line, so, start.text.utf8.count) == "$4.0M")
        #expect(text(line, to, target.text.utf8.count) == "$5.5M")
        let id = try #require(s.id)
        #expect(text(line, id.offset, id.0.utf8.count) == "sales-q4-1.arr")
        let now = try #require(s.annotations.first)
        #expect(text(line, now.offset, now.value.utf8.count) == "$4.6M")
    }

    @Test func allThreeAnnotations() {
        let line = "Keep p95 quote latency below 300 ms (now 280 ms, weight 2, owner li)"
        let s = KeyResultSentence.parse(line)
        #expect(shape(s) == "below 300 ms")
        #expect(s.title == "Keep p95 quote latency below 300 ms")
        #expect(s.annotations.map { "\($0.key)=\($0.value)" } == ["now=280 ms", "weight=2", "owner=li"])
        for a in s.annotations { #expect(text(line, a.offset, a.value.utf8.count) == a.value) }
        #expect(s.unknownAnnotations.isEmpty)
    }

    @Test(arguments: [
        ("Keep NPS above 40", "above 40"),
        ("Keep NPS over 40", "above 40"),
        ("Keep uptime at least 99.9%", "above 99.9%"),
        ("Keep p95 latency below 300 ms", "below 300 ms"),
        ("Keep churn under 2%", "below 2%"),
        ("Keep cost per shipment at most €4.20", "below €4.20"),
        ("Keep NPS above 40 while keeping churn below 2%", "below 2%"),
        ("Raise the app-store rating from 3.6/5 to 4.2/5", "change 3.6/5 → 4.2/5"),
        ("Reduce churn from 5% to 3% by Q4", "change 5% → 3%"),
        ("Lift NPS from 40 to 45 NPS", "change 40 → 45 NPS"),
        ("Cut onboarding from 45 days to 30 days", "change 45 days → 30 days"),
        ("Move from the old system from 10 to 20 carriers", "change 10 → 20 carriers"),
        ("FROM 1 TO 2", "change 1 → 2"),
        ("[ ] Launch the partner programme", "milestone open"),
        ("[x] Sign two reseller agreements", "milestone done"),
        ("[X] Sign two reseller agreements", "milestone done"),
        ("Improve the onboarding experience", "none"),
        ("Grow ARR", "none"),
        ("Grow from here to there", "none"),
    ])
    func shapes(_ line: String, _ expected: String) {
        #expect(shape(KeyResultSentence.parse(line)) == expected)
    }

    @Test func milestoneTitleDropsTheCheckbox() {
        let s = KeyResultSentence.parse("[x] Release e-POD on Android (owner tiago)")
        #expect(s.title == "Release e-POD on Android")
        #expect(s.annotations.map(\.value) == ["tiago"])
    }

    @Test func parenthesesThatAreNotAnnotationsStayInTheTitle() {
        let s = KeyResultSentence.parse("Keep NPS above 40 (our main metric)")
        #expect(s.title == "Keep NPS above 40 (our main metric)")
        #expect(s.annotations.isEmpty)
        #expect(shape(s) == "above 40")
        let inner = KeyResultSentence.parse("Grow ARR (annual recurring revenue) from $1M to $2M")
        #expect(shape(inner) == "change $1M → $2M")
    }

    @Test func unknownAnnotationsAfterAKnownOne() {
        let line = "Keep NPS above 40 (now 38, colour blue)"
        let s = KeyResultSentence.parse(line)
        #expect(s.annotations.map(\.key) == ["now"])
        #expect(s.unknownAnnotations.map(\.0) == ["colour blue"])
        #expect(s.unknownAnnotations.first.map { text(line, $0.1, 6) } == "colour")
    }

    @Test func annotationKeysWithColons() {
        let s = KeyResultSentence.parse("Keep NPS above 40 (now: 38, owner: li)")
        #expect(s.annotations.map { "\($0.key)=\($0.value)" } == ["now=38", "owner=li"])
    }

    @Test func offsetsAreUTF8BytesWithEmojiAndCJK() throws {
        let line = "Grow 😀 漢字 users from 1,000 to 2,000 users {#kr-😀}"
        let s = KeyResultSentence.parse(line)
        guard case .change(let a, let ao, let b, let bo) = s.shape else {
            Issue.record("not a change: \(shape(s))")
            return
        }
        #expect(text(line, ao, a.text.utf8.count) == "1,000")
        #expect(text(line, bo, b.text.utf8.count) == "2,000 users")
        let id = try #require(s.id)
        #expect(text(line, id.offset, id.0.utf8.count) == "kr-😀")
    }

    @Test func idWithoutAnnotations() {
        let s = KeyResultSentence.parse("Keep NPS above 40 {#nps}  ")
        #expect(s.id?.0 == "nps")
        #expect(s.title == "Keep NPS above 40")
    }

    /// The byte search the sentence parser uses agrees with Foundation's backwards search
    /// on ASCII patterns, with and without case, in ASCII and non-ASCII text.
    @Test func asciiSearchMatchesFoundation() {
        let pieces = ["", " ", "from ", "FROM ", "From", "{#", "(", ")", " at least ", " AT most ", "below", " under ", "x", "é", "漢字", "😀", "ab", "{", "#"]
        var texts: [String] = []
        for a in pieces { for b in pieces { for c in ["", " from ", "{#id}", "é (now 3)"] { texts.append(a + b + c) } } }
        func offsets(_ r: Range<String.Index>?, in t: String) -> [Int]? {
            r.map { [t.utf8.distance(from: t.startIndex, to: $0.lowerBound), t.utf8.distance(from: t.startIndex, to: $0.upperBound)] }
        }
        for t in texts {
            #expect(offsets(t.lastRange(ofASCII: "{#"), in: t) == offsets(t.range(of: "{#", options: .backwards), in: t), "\(t.debugDescription)")
            #expect(offsets(t.lastRange(ofASCII: "("), in: t) == offsets(t.range(of: "(", options: .backwards), in: t), "\(t.debugDescription)")
            #expect(offsets(t.lastRange(ofASCII: "from ", ignoringCase: true), in: t)
                    == offsets(t.range(of: "from ", options: [.caseInsensitive, .backwards]), in: t), "\(t.debugDescription)")
            #expect(offsets(t.lastRange(ofASCII: " at most ", ignoringCase: true), in: t)
                    == offsets(t.range(of: " at most ", options: [.caseInsensitive, .backwards]), in: t), "\(t.debugDescription)")
            if let mid = t.lastRange(ofASCII: "from ", ignoringCase: true)?.lowerBound {
                #expect(offsets(t.lastRange(ofASCII: "from ", ignoringCase: true, before: mid), in: t)
                        == offsets(t.range(of: "from ", options: [.caseInsensitive, .backwards], range: t.startIndex..<mid), in: t), "\(t.debugDescription)")
            }
            #expect(t.trimmingTrailingSpaces == String(t.reversed().drop { $0 == " " || $0 == "\t" }.reversed()))
        }
    }
}
