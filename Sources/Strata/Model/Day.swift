/// A calendar date as a day number (days since 1970-01-01), without time zones, so
/// results never depend on `TZ`. Parsing is strict `YYYY-MM-DD`.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var number: Int

    public init(number: Int) { self.number = number }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(year: year, month: month), (1...9999).contains(year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = era * 146097 + doe - 719468
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        var text = text
        let parts = text.withUTF8 { u -> (Int, Int, Int)? in
            guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
            func num(_ r: Range<Int>) -> Int? {
                var v = 0
                for i in r { guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }; v = v * 10 + Int(u[i] - 0x30) }
                return v
            }
            guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
            return (y, m, d)
        }
        guard let (y, m, d) = parts else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = number + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var description: String {
        let c = components
        // Years 0–9999 (every parsed date): ten digits and dashes written in place. Pages
        // and plan.json show a date per check-in, so this runs hundreds of thousands of times.
        if (0...9999).contains(c.year) {
            return String(unsafeUninitializedCapacity: 10) { b in
                func put(_ v: Int, _ at: Int, _ n: Int) {
                    var v = v
                    for i in stride(from: at + n - 1, through: at, by: -1) { b[i] = UInt8(0x30 + v % 10); v /= 10 }
                }
                put(c.year, 0, 4); b[4] = 0x2D; put(c.month, 5, 2); b[7] = 0x2D; put(c.day, 8, 2)
                return 10
            }
        }
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }
    public static func + (a: Day, n: Int) -> Day { Day(number: a.number + n) }
    public static func - (a: Day, b: Day) -> Int { a.number - b.number }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Today in UTC.
    public static func today() -> Day {
        var t = time_t()
        time(&t)
        return Day(number: Int(t) / 86400)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A planning period such as `2026-Q4`, with its first and last day (inclusive).
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var name: String
    public var start: Day
    public var end: Day

    public var description: String { name }
    public var length: Int { end - start + 1 }

    public static func < (a: Period, b: Period) -> Bool { (a.start, a.end, a.name) < (b.start, b.end, b.name) }

    public func contains(_ d: Day) -> Bool { d >= start && d <= end }
    public func contains(_ p: Period) -> Bool { p.start >= start && p.end <= end }

    /// Parses `2026`, `2026-H2`, `2026-Q4`, `2026-11`, `FY2027`, `FY2027-H1`, `FY2027-Q1`.
    /// Fiscal years are named by the calendar year in which they end.
    public static func parse(_ text: String, fiscalYearStart: Int) -> Period? {
        var s = Substring(text)
        var fiscal = false
        if s.hasPrefix("FY") { fiscal = true; s = s.dropFirst(2) }
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let first = parts.first, first.count == 4, let year = Int(first), year >= 1000 else { return nil }
        // Month index (0-based, counted from the fiscal start) and length in months.
        var startMonth = 0, months = 12
        if parts.count == 2 {
            let p = parts[1]
            if p.count == 2, p.hasPrefix("Q"), let q = Int(p.dropFirst()), (1...4).contains(q) {
                startMonth = (q - 1) * 3; months = 3
            } else if p.count == 2, p.hasPrefix("H"), let h = Int(p.dropFirst()), (1...2).contains(h) {
                startMonth = (h - 1) * 6; months = 6
            } else if !fiscal, p.count == 2, let m = Int(p), (1...12).contains(m) {
                startMonth = m - 1; months = 1
            } else { return nil }
        }
        var firstYear = year, firstMonth = 1
        if fiscal && fiscalYearStart != 1 {
            firstYear = year - 1
            firstMonth = fiscalYearStart
        }
        let m0 = firstMonth - 1 + startMonth
        let sy = firstYear + m0 / 12, sm = m0 % 12 + 1
        let m1 = m0 + months
        let ey = firstYear + m1 / 12, em = m1 % 12 + 1
        guard let start = Day(year: sy, month: sm, day: 1), let next = Day(year: ey, month: em, day: 1) else { return nil }
        return Period(name: text, start: start, end: next + (-1))
    }
}
