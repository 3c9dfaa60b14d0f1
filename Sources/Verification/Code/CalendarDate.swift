import Foundation

/// A calendar day without a time zone (expiry, production date), stored as `YYYY-MM-DD`.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// A validated date; `nil` when the month or day does not exist (Feb 29 only in leap years).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date in `YYYY-MM-DD` form.
    public var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }
    public var description: String { iso }

    /// The GS1 `YYMMDD` form (always with a real day).
    public var yymmdd: String { String(format: "%02d%02d%02d", year % 100, month, day) }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The calendar day of `instant` at UTC offset `secondsFromGMT` (the verifier's local day).
    public init(_ instant: Date, secondsFromGMT: Int = 0) {
        let seconds = instant.timeIntervalSince1970 + Double(secondsFromGMT)
        // 2440588 is the Julian day number of 1970-01-01.
        self.init(julianDay: 2_440_588 + Int((seconds / 86_400).rounded(.down)))
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(until other: CalendarDate) -> Int {
        other.julianDay - julianDay
    }

    /// Adds `days` calendar days.
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(julianDay: julianDay + days)
    }

    // Fliegel–Van Flandern conversion: exact day arithmetic without Foundation's calendar.
    var julianDay: Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    init(julianDay jd: Int) {
        let a = jd + 32044
        let b = (4 * a + 3) / 146097
        let c = a - 146097 * b / 4
        let d = (4 * c + 3) / 1461
        let e = c - 1461 * d / 4
        let m = (5 * e + 2) / 153
        day = e - (153 * m + 2) / 5 + 1
        month = m + 3 - 12 * (m / 10)
        year = 100 * b + d - 4800 + m / 10
    }
}

/// A GS1 `YYMMDD` date field (AI 11, 13, 15, 16, 17): the printed text and the day it means.
public struct GS1Date: Sendable, Hashable, Codable {
    /// The six digits as printed, kept verbatim because the authenticator signs them.
    public var yymmdd: String
    /// The day meant: `DD = 00` resolves to the last day of the month.
    public var date: CalendarDate

    /// Parses six digits; the century follows GS1 General Specifications §7.12 (49 years back to
    /// 50 ahead of `referenceYear`). `nil` for non-digits, a bad month or a day the month lacks.
    public init?(yymmdd text: some StringProtocol, referenceYear: Int) {
        guard text.count == 6, text.allSatisfy(\.isASCIIDigit),
              let yy = Int(text.prefix(2)), let mm = Int(text.dropFirst(2).prefix(2)),
              let dd = Int(text.suffix(2)), (1...12).contains(mm) else { return nil }
        let currentCentury = referenceYear - referenceYear % 100
        let difference = yy - referenceYear % 100
        var year = currentCentury + yy
        if difference >= 51 { year -= 100 } else if difference <= -50 { year += 100 }
        let day = dd == 0 ? CalendarDate.daysIn(month: mm, year: year) : dd
        guard let date = CalendarDate(year: year, month: mm, day: day) else { return nil }
        self.yymmdd = String(text)
        self.date = date
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
