import Foundation
import Testing
@testable import Strata

/// Plan text cleaning and CSV cells: the byte-level fast paths must agree with the rules.
@Suite struct CleanTextTests {
    @Test func cleanRemovesBidiAndControlsOnly() {
        #expect(CleanText.clean("plain text") == "plain text")
        #expect(CleanText.clean("a\u{202E}b\u{2066}c\u{2069}") == "abc")
        #expect(CleanText.clean("tab\there") == "tab here")
        #expect(CleanText.clean("two\nlines") == "two\nlines")
        // 0xE2 leads other characters too: an em dash and an ellipsis stay.
        #expect(CleanText.clean("a — b … c") == "a — b … c")
        #expect(CleanText.clean("Zürich 北京") == "Zürich 北京")
    }

    @Test func markdownEscapes() {
        #expect(MarkdownText.escape("Grow ARR 20% in Zürich") == "Grow ARR 20% in Zürich")
        #expect(MarkdownText.escape("a|b *c* [d](e) @f <g> & h_i") == "a\\|b \\*c\\* \\[d\\]\\(e\\) &#64;f &lt;g&gt; &amp; h\\_i")
        #expect(MarkdownText.escape("line\nbreak\u{2028}sep\u{85}next") == "line break sep next")
        #expect(MarkdownText.escape("a\u{202E}b\u{200F}c") == "abc")
        #expect(MarkdownText.escape("a — b") == "a — b")
        #expect(MarkdownText.escape("tab\there") == "tab here")
    }

    @Test func htmlEscapes() {
        #expect(HTMLText.escape("Trend of ARR in Zürich") == "Trend of ARR in Zürich")
        #expect(HTMLText.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
        #expect(HTMLText.escape("a\u{2066}b — c\u{1}d\ne") == "ab — c d\ne")
    }

    /// Sparkline and strategy-map coordinates: one decimal, rounded half away from zero,
    /// no `.0` on whole numbers, the sign kept between -1 and 0 (`fmt` lost it there when
    /// it was a second formatter).
    /// Values at the ends of the allowed range, or equal beyond what ±1 separates, or whose
    /// span overflows: every coordinate is a number inside the view box (no trap, no NaN).
    @Test(arguments: [[1e15, -1e15, 3], [1e15, 1e15 - 1], [9e15, 9e15], [1e17, 1e17], [1.7e308, -1.7e308, 0]])
    func sparklineCoordinatesStayInTheViewBox(_ values: [Double]) throws {
        let svg = Sparkline.svg(values: values, target: values[0] / 2, label: "x")
        let points = try #require(svg.split(separator: "points=\"").last?.split(separator: "\"").first)
        let pad = Sparkline.pad
        for point in points.split(separator: " ") {
            let xy = point.split(separator: ",").compactMap { Double($0) }
            try #require(xy.count == 2, "\(point)")
            #expect(xy[0] >= pad && xy[0] <= Sparkline.width - pad, "\(svg)")
            #expect(xy[1] >= pad && xy[1] <= Sparkline.height - pad, "\(svg)")
        }
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func sparklineNumbers() {
        for v in stride(from: -3.0, through: 130.0, by: 0.037) {
            var bytes: [UInt8] = []
            Sparkline.appendFixed(v, to: &bytes)
            let s = String(decoding: bytes, as: UTF8.self)
            #expect(s == Sparkline.fmt(v), "\(v)")
            // Reference: the value rounded to tenths, printed by printf (+ 0.0 turns -0 into 0).
            var reference = String(format: "%.1f", (v * 10).rounded() / 10 + 0.0)
            if reference.hasSuffix(".0") { reference.removeLast(2) }
            #expect(s == reference, "\(v)")
        }
        var zero: [UInt8] = []
        Sparkline.appendFixed(-0.04, to: &zero)
        #expect(zero == Array("0".utf8))
        for n in [0, 7, 10, 99, 100, 123_456_789, Int.max] {
            var digits: [UInt8] = []
            DecimalText.appendInteger(n, to: &digits)
            #expect(String(decoding: digits, as: UTF8.self) == String(n))
        }
        #expect(Sparkline.fmt(-0.5) == "-0.5")
        #expect(Sparkline.fmt(2.25) == "2.3")
    }

    @Test func csvCells() {
        #expect(ScorecardCSV.cell("plain") == "plain")
        #expect(ScorecardCSV.cell("") == "")
        #expect(ScorecardCSV.cell("=SUM(A1)") == "'=SUM(A1)")
        #expect(ScorecardCSV.cell("+1") == "'+1")
        #expect(ScorecardCSV.cell("@me") == "'@me")
        #expect(ScorecardCSV.cell("-12.5%") == "-12.5%")
        #expect(ScorecardCSV.cell("-x") == "'-x")
        #expect(ScorecardCSV.cell("a,b") == "\"a,b\"")
        #expect(ScorecardCSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ScorecardCSV.cell("tab\tin") == "tab in")
        #expect(ScorecardCSV.cell("\u{202E}=evil") == "'=evil")
        #expect(ScorecardCSV.cell("Zürich") == "Zürich")
    }
}

/// `MarkdownText.escape` works on bytes; it must give what the scalar-by-scalar version it
/// replaced gave (kept here as the reference).
@Suite struct MarkdownEscapeTests {
    static func reference(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~", "!", "(", ")", "{", "}", "$":
                out += "\\" + String(c)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "@": out += "&#64;"
            case "\n", "\r", "\u{2028}", "\u{2029}", "\u{85}": out += " "
            case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}", "\u{200E}", "\u{200F}":
                break
            default:
                if c.value < 0x20 { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    @Test func sameAsScalarByScalar() {
        let pieces = ["a", "Z", " ", "-", ".", "\\", "`", "*", "_", "[", "]", "|", "#", "~", "!", "(", ")", "{", "}", "$", "<", ">", "&", "@",
                      "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{85}", "\u{A0}", "é", "ß", "\u{2028}", "\u{2029}", "\u{202A}", "\u{202E}",
                      "\u{202F}", "\u{2066}", "\u{2069}", "\u{206A}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{2010}", "\u{2081}", "€", "→", "≥",
                      "日本", "👩🏽‍💻", "e\u{301}"]
        var generator = SplitMix(seed: 0x5EED)
        var texts = pieces + ["52% done vs 55% expected (ratio 0.94) ≥ 0.75", "plain text", ""]
        for _ in 0..<3000 {
            texts.append((0...generator.next(upTo: 12)).map { _ in pieces[generator.next(upTo: pieces.count)] }.joined())
        }
        for text in texts {
            #expect(MarkdownText.escape(text) == Self.reference(text), "\(Array(text.unicodeScalars))")
        }
    }
}
