/// A calendar date with no time or zone (a date of birth, a bank holiday), stored as days since 1970-01-01.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int32

    /// Creates a date from its day number.
    public init(dayNumber: Int32) { self.dayNumber = dayNumber }

    /// Creates a date from year, month and day, or nil when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.dayNumber = Int32(CivilDate.daysFromCivil(year, month, day))
    }

    /// Year, month (1–12) and day (1–31).
    public var components: (year: Int, month: Int, day: Int) {
        // Multiplications and shifts (`ByteCursor.civil`) for years 0 to 9999; Hinnant's divisions beyond.
        CivilDate.fourDigitYears.contains(dayNumber) ? ByteCursor.civil(dayNumber) : CivilDate.civilFromDays(Int(dayNumber))
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (Int(dayNumber) % 7 + 7 + 3) % 7
        return w + 1
    }

    /// The date `n` days later (earlier when negative).
    public func adding(days n: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + Int32(n)) }

    /// Earlier is less.
    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = components
        var out: [UInt8] = []
        out.reserveCapacity(10)
        appendISODate(c.year, c.month, c.day, &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The day numbers of 0000-01-01 through 9999-12-31: the dates whose year is written as four digits
    /// with no sign, the fixed layout `ByteCursor.date` writes.
    static var fourDigitYears: ClosedRange<Int32> { -719_528...2_932_896 }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Howard Hinnant's civil_from_days.
    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

extension CivilDate {
    /// Whole years from `self` (a date of birth) to `date`. A 29 February birthday counts on 1 March in
    /// years that are not leap years. Negative when `date` is before `self`.
    package func age(on date: CivilDate) -> Int {
        let b = components
        let t = date.components
        var years = t.year - b.year
        var (bm, bd) = (b.month, b.day)
        if bm == 2 && bd == 29 && !CivilDate.isLeap(t.year) { (bm, bd) = (3, 1) }
        if (t.month, t.day) < (bm, bd) { years -= 1 }
        return years
    }

    /// Whole months from `self` (a date of birth) to `date`. A birthday day past the end of a month counts
    /// on the 1st of the next month, as a 29 February birthday does for whole years: a baby born on
    /// 29 February 2024 is 11 months old on 28 February 2025 and 12 months old on 1 March.
    func ageInMonths(on date: CivilDate) -> Int {
        let b = components
        let t = date.components
        var months = (t.year - b.year) * 12 + (t.month - b.month)
        // `t.day` is at most the month's length, so a birthday day past the end is not yet reached.
        if t.day < b.day { months -= 1 }
        return months
    }
}
