/// The calendar files a policy may name (`bank_holidays_file`, `school_closures_file`), read when the
/// policy is loaded and merged with the dates written inline.
extension PolicyValidator {
    /// The division of the gov.uk feed read when the policy names none.
    static let defaultDivision = "england-and-wales"
    /// The largest calendar file read: the gov.uk feed is about 20 kB, a school's term dates a few kB.
    static let maxCalendarFileBytes = 4 << 20

    /// The holidays of `bank_holidays_file` (the gov.uk feed) for `bank_holidays_division`, and the file's
    /// path as read.
    mutating func bankHolidaysFile(_ node: YAMLNode?, division: YAMLNode?) -> (days: [Int32], path: String?) {
        var name = PolicyValidator.defaultDivision
        if let division {
            guard let d = text(division, what: "bank_holidays_division") else { return ([], nil) }
            name = d
        }
        guard let node else {
            if let division {
                fail("bank_holidays_division needs bank_holidays_file: it picks a division of the gov.uk feed", division)
            }
            return ([], nil)
        }
        guard let (path, bytes) = calendarFile(node, what: "bank_holidays_file") else { return ([], nil) }
        let feed = BankHolidaysFeed(bytes, file: path, division: name)
        errors += feed.errors
        guard feed.errors.isEmpty else { return ([], path) }
        if !feed.found {
            let listed = feed.divisions.prefix(10).map(PolicyError.quoted).joined(separator: ", ")
            fail(
                "unknown bank_holidays_division \(PolicyError.quoted(name)): the file has \(listed.isEmpty ? "no divisions" : listed)",
                division ?? node)
        } else if feed.holidays.isEmpty {
            fail("division \(PolicyError.quoted(name)) of the bank holidays file has no events", division ?? node)
        }
        return (feed.holidays, path)
    }

    /// The closures of `school_closures_file` (iCalendar or CSV), and the file's path as read.
    mutating func schoolClosuresFile(_ node: YAMLNode?) -> (closures: [ClosedRange<Int32>], path: String?) {
        guard let node, let (path, bytes) = calendarFile(node, what: "school_closures_file") else { return ([], nil) }
        let file = ClosuresFile(bytes, file: path)
        errors += file.errors
        return (file.errors.isEmpty ? file.closures : [], path)
    }

    /// The path and contents of the calendar file `node` names, relative to the policy file's directory
    /// (see ``CalendarFile/resolve(_:policySource:)``); nil (with an error at `node`) when it cannot be read.
    mutating func calendarFile(_ node: YAMLNode, what: String) -> (path: String, bytes: [UInt8])? {
        guard let written = text(node, what: what) else { return nil }
        let path = CalendarFile.resolve(written, policySource: source)
        let bytes: [UInt8]?
        do { bytes = try readWholeFile(path, limit: PolicyValidator.maxCalendarFileBytes) } catch {
            fail("\(what) \(PolicyError.quoted(written)): \(error.message)", node)
            return nil
        }
        guard let bytes else {
            fail("\(what) \(PolicyError.quoted(written)): no such file (a relative path is read from the policy file's directory)", node)
            return nil
        }
        calendarFiles.append(bytes)
        return (path, bytes)
    }

    /// `bank holidays: 2025-01-01 to 2027-12-31 (24, from FILE)`: the first and last day `dates` reach
    /// (whole years for bank holidays), how many there are and where they came from.
    func reach(
        _ what: String, dates: [ClosedRange<Int32>], wholeYears: Bool, inline: Int, file: String?, fromFile: Int
    ) -> String {
        guard let first = dates.first?.lowerBound, let last = dates.map(\.upperBound).max() else {
            return "\(what): none listed"
        }
        var from = CivilDate(dayNumber: first)
        var to = CivilDate(dayNumber: last)
        if wholeYears {
            from = CivilDate(year: from.components.year, month: 1, day: 1) ?? from
            to = CivilDate(year: to.components.year, month: 12, day: 31) ?? to
        }
        let origin =
            switch (inline > 0, file) {
            case (_, nil): ", inline"
            case (false, let f?): ", from \(f)"
            case (true, let f?): ": \(inline) inline, \(fromFile) from \(f)"
            }
        return "\(what): \(from) to \(to) (\(dates.count)\(origin))"
    }
}

extension PolicyCalendar {
    /// Sets how far the bank holidays are known: to 31 December of the last year with one.
    mutating func setCoverage(zone: ZoneRules) {
        guard let last = bankHolidays.last,
            let until = CivilDate(year: CivilDate(dayNumber: last).components.year, month: 12, day: 31)
        else { return }
        bankHolidaysKnownUntil = until
        bankHolidaysUnknownFrom = zone.instant(LocalDateTime(date: until.adding(days: 1), secondOfDay: 0)).seconds
    }
}

extension Policy {
    /// The warning for a decision with a calendar deadline (school or working days) past the last day
    /// whose bank holidays are known, or nil. One comparison per route; nothing is allocated unless it warns.
    func coverageWarning(_ routes: [Route]) -> DataWarning? {
        let limit = calendar.bankHolidaysUnknownFrom
        for r in routes where r.notifyBy.seconds >= limit {
            switch destinations[r.destinationIndex].deadlineRule(for: r.priority) {
            case .nextSchoolDay?, .workingDays?:
                let until = calendar.bankHolidaysKnownUntil.map(\.description) ?? "?"
                return DataWarning(
                    field: "notify_by", childID: nil,
                    message: "bank holidays known only to \(until): the deadline may fall on a holiday")
            case .hours?, nil: continue
            }
        }
        return nil
    }
}
