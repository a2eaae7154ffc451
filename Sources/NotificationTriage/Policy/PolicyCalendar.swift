/// The calendar part of a policy: school days and their start, working days and their end, bank
/// holidays and school closures. Deadlines are computed from it.
package struct PolicyCalendar: Sendable {
    /// Seconds after local midnight the school day starts (08:30 = 30600).
    var schoolDayStart: Int32
    /// Bit `weekday` set (1 = Monday … 7 = Sunday) for school days.
    var schoolDays: UInt8
    /// Seconds after local midnight the working day ends.
    var workingDayEnd: Int32
    var workingDays: UInt8
    /// Day numbers of bank holidays, sorted.
    var bankHolidays: [Int32]
    /// Closed ranges of day numbers with no school, sorted by start.
    var schoolClosures: [ClosedRange<Int32>]
    /// A school's or a local authority's own closures (`school_calendars:`, keyed by URN or LA code), each
    /// sorted by start: they replace ``schoolClosures`` for that school's deadlines (bank holidays stay).
    var schoolCalendars: [String: [ClosedRange<Int32>]] = [:]

    /// The calendar of a school: its own closures, else its authority's (`laCode`), else this one.
    func forSchool(urn: String, laCode: String?) -> PolicyCalendar? {
        guard let closures = schoolCalendars[urn] ?? laCode.flatMap({ schoolCalendars[$0] }) else { return nil }
        var own = self
        own.schoolClosures = closures
        own.schoolCalendars = [:]
        return own
    }
    /// The last day whose bank holidays are known: 31 December of the last year with one (lists and the
    /// gov.uk feed cover whole years); nil when none are listed.
    package var bankHolidaysKnownUntil: CivilDate?
    /// The start of the day after ``bankHolidaysKnownUntil`` in the policy's zone, in seconds: a deadline
    /// at or after it may fall on a holiday nobody listed. `Int64.max` when none are listed.
    var bankHolidaysUnknownFrom: Int64 = .max
    /// How far the bank holidays and school closures reach and where they came from, one line each
    /// (`bank holidays: 2025-01-01 to 2027-12-31 (24, from FILE)`), for `triage validate`.
    package var reach: [String] = []

    func isBankHoliday(_ d: CivilDate) -> Bool { binarySearch(bankHolidays, d.dayNumber) }

    func isSchoolDay(_ d: CivilDate) -> Bool {
        guard schoolDays & (1 << UInt8(d.weekday)) != 0, !isBankHoliday(d) else { return false }
        for r in schoolClosures {
            if r.lowerBound > d.dayNumber { break }
            if r.contains(d.dayNumber) { return false }
        }
        return true
    }

    package func isWorkingDay(_ d: CivilDate) -> Bool {
        workingDays & (1 << UInt8(d.weekday)) != 0 && !isBankHoliday(d)
    }

    /// The working days from `first` to `last`, both included (0 when `last` is before `first`).
    package func workingDays(from first: CivilDate, through last: CivilDate) -> Int {
        var n = 0
        var d = first
        while d <= last {
            if isWorkingDay(d) { n += 1 }
            d = d.adding(days: 1)
        }
        return n
    }

    /// The deadline for an incident at `t` under `rule`.
    func deadline(_ rule: DeadlineRule, after t: Instant, zone: ZoneRules) -> Instant {
        switch rule {
        case .hours(let n):
            return Instant(seconds: t.seconds + Int64(n) * 3600)
        case .nextSchoolDay:
            let local = zone.local(t)
            var d = local.date
            if !(isSchoolDay(d) && local.secondOfDay < schoolDayStart) {
                d = d.adding(days: 1)
                var guardDays = 0
                while !isSchoolDay(d) && guardDays < 1_000 {
                    d = d.adding(days: 1)
                    guardDays += 1
                }
            }
            return zone.instant(LocalDateTime(date: d, secondOfDay: schoolDayStart))
        case .workingDays(let n):
            var d = zone.local(t).date
            var counted = 0
            var guardDays = 0
            while counted < n && guardDays < 5_000 {
                d = d.adding(days: 1)
                if isWorkingDay(d) { counted += 1 }
                guardDays += 1
            }
            return zone.instant(LocalDateTime(date: d, secondOfDay: workingDayEnd))
        }
    }
}

func binarySearch(_ a: [Int32], _ x: Int32) -> Bool {
    var lo = 0
    var hi = a.count
    while lo < hi {
        let mid = (lo + hi) >> 1
        if a[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    return lo < a.count && a[lo] == x
}
