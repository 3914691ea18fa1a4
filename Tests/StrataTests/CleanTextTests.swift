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
