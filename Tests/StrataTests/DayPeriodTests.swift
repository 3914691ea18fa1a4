import Testing
@testable import Strata

/// Dates (strict YYYY-MM-DD, no time zones) and planning periods, including fiscal years.
@Suite struct DayPeriodTests {
    @Test func parsesDates() throws {
        let d = try #require(Day("2026-11-20"))
        #expect(d.components == (2026, 11, 20))
        #expect(d.description == "2026-11-20")
        #expect(Day("1970-01-01")?.number == 0)
        #expect(Day("1969-12-31")?.number == -1)
        #expect(Day("0001-01-01")?.description == "0001-01-01")
        #expect(Day("9999-12-31")?.description == "9999-12-31")
    }

    /// The text is written digit by digit for years 0–9999; it must agree with the plain
    /// formatting (and parse back) for every day of those years, and stay readable outside.
    @Test func descriptionOfEveryDay() throws {
        func plain(_ d: Day) -> String {
            let c = d.components
            func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
            return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
        }
        let first = Day(number: -719528)  // 0000-01-01
        let last = try #require(Day("9999-12-31"))
        #expect(first.description == "0000-01-01")
        var mismatches: [Int] = []
        // A year beyond each end too, where the plain formatting is used.
        for n in (first.number - 400)...(last.number + 400) {
            let d = Day(number: n)
            let text = d.description
            let parses = n >= first.number + 366 && n <= last.number  // year 0 is not accepted
            if text != plain(d) || (parses && Day(text) != d) { mismatches.append(n) }
        }
        #expect(mismatches.isEmpty)
        #expect(Day(number: last.number + 1).description == "10000-01-01")
    }

    @Test(arguments: ["2024-02-29", "2000-02-29", "2026-02-28", "2026-12-31", "2026-04-30"])
    func validDates(_ text: String) {
        #expect(Day(text)?.description == text)
    }

    @Test(arguments: ["2026-02-29", "1900-02-29", "2100-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-11-00",
                      "2026-1-01", "2026/11/20", "20261120", " 2026-11-20", "2026-11-20 ", "0000-01-01", "2026-11-2x",
                      "２０２６-11-20", "", "2026-11-20T00:00"])
    func invalidDates(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test func dayArithmetic() throws {
        let a = try #require(Day("2024-02-28"))
        #expect((a + 1).description == "2024-02-29")
        #expect((a + 2).description == "2024-03-01")
        #expect(try #require(Day("2025-03-01")) - a == 367)
        #expect(a < a + 1)
        // Every day of four centuries survives number → components → number.
        var day = try #require(Day("1999-12-01"))
        let end = try #require(Day("2401-01-01"))
        var mismatches: [Day] = []
        while day < end {
            let c = day.components
            if Day(year: c.year, month: c.month, day: c.day) != day { mismatches.append(day) }
            day = day + 1
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    func period(_ text: String, fiscalYearStart: Int = 1) -> String? {
        Period.parse(text, fiscalYearStart: fiscalYearStart).map { "\($0.start) – \($0.end)" }
    }

    @Test func calendarPeriods() {
        #expect(period("2026") == "2026-01-01 – 2026-12-31")
        #expect(period("2026-H1") == "2026-01-01 – 2026-06-30")
        #expect(period("2026-H2") == "2026-07-01 – 2026-12-31")
        #expect(period("2026-Q1") == "2026-01-01 – 2026-03-31")
        #expect(period("2026-Q4") == "2026-10-01 – 2026-12-31")
        #expect(period("2026-02") == "2026-02-01 – 2026-02-28")
        #expect(period("2024-02") == "2024-02-01 – 2024-02-29")
        #expect(period("2026-12") == "2026-12-01 – 2026-12-31")
        // Calendar periods ignore the fiscal start.
        #expect(period("2026-Q4", fiscalYearStart: 4) == "2026-10-01 – 2026-12-31")
    }

    @Test func fiscalPeriodsStartingInApril() {
        // FY2027 ends in 2027: April 2026 – March 2027.
        #expect(period("FY2027", fiscalYearStart: 4) == "2026-04-01 – 2027-03-31")
        #expect(period("FY2027-Q1", fiscalYearStart: 4) == "2026-04-01 – 2026-06-30")
        #expect(period("FY2027-Q3", fiscalYearStart: 4) == "2026-10-01 – 2026-12-31")
        #expect(period("FY2027-Q4", fiscalYearStart: 4) == "2027-01-01 – 2027-03-31")
        #expect(period("FY2027-H1", fiscalYearStart: 4) == "2026-04-01 – 2026-09-30")
        #expect(period("FY2027-H2", fiscalYearStart: 4) == "2026-10-01 – 2027-03-31")
        #expect(Period.parse("FY2025", fiscalYearStart: 4)?.length == 365)
        #expect(Period.parse("FY2024", fiscalYearStart: 4)?.length == 366)  // includes 2024-02-29
    }

    @Test func fiscalPeriodsOtherStarts() {
        #expect(period("FY2027") == "2027-01-01 – 2027-12-31")
        #expect(period("FY2027-Q1") == "2027-01-01 – 2027-03-31")
        #expect(period("FY2027", fiscalYearStart: 10) == "2026-10-01 – 2027-09-30")
        #expect(period("FY2027-Q2", fiscalYearStart: 10) == "2027-01-01 – 2027-03-31")
        #expect(period("FY2027", fiscalYearStart: 12) == "2026-12-01 – 2027-11-30")
        #expect(period("FY2027-Q4", fiscalYearStart: 2) == "2026-11-01 – 2027-01-31")
    }

    @Test(arguments: ["2026-Q5", "2026-Q0", "2026-H3", "2026-H0", "2026-13", "2026-00", "2026-1", "FY2027-05", "26-Q4",
                      "2026-Q4-1", "FY", "FY-Q1", "", "999", "0999", "2026-", "Q4 2026", "2026 Q4", "10000", "2026-W12"])
    func invalidPeriods(_ text: String) {
        #expect(Period.parse(text, fiscalYearStart: 4) == nil)
    }

    @Test func containment() throws {
        let year = try #require(Period.parse("2026", fiscalYearStart: 1))
        let q4 = try #require(Period.parse("2026-Q4", fiscalYearStart: 1))
        let nov = try #require(Period.parse("2026-11", fiscalYearStart: 1))
        let next = try #require(Period.parse("2027-Q1", fiscalYearStart: 1))
        #expect(year.contains(q4) && q4.contains(nov) && year.contains(year))
        #expect(!q4.contains(year) && !year.contains(next))
        #expect(q4.contains(try #require(Day("2026-10-01"))))
        #expect(q4.contains(try #require(Day("2026-12-31"))))
        #expect(!q4.contains(try #require(Day("2027-01-01"))))
        #expect(q4.length == 92)
        #expect([next, nov, year, q4].sorted().map(\.name) == ["2026", "2026-Q4", "2026-11", "2027-Q1"])
    }
}
