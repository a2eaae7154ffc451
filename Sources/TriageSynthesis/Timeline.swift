import NotificationTriage

/// When the synthetic incidents happen: exactly `total` instants, in ascending order, spread over `days`
/// local calendar days from `start` with a daily, weekly and seasonal shape.
///
/// Each day gets its exact share of `total` by integer arithmetic on cumulative day weights, so the
/// count is exact and the spread even whatever the rate. Within a day, local times (to the minute) are
/// drawn from an hourly profile, converted to instants through the zone and sorted, so the stream stays
/// in order across clock changes.
struct Timeline {
    private let startDay: Int32
    private let total: Int
    private let zone: ZoneRules
    /// `cumulative[d]` is the summed weight of days `0..<d`; the last entry is the total weight.
    private let cumulative: [Int]
    private var day = 0
    private var emitted = 0
    private var buffer: [Int64] = []
    private var position = 0
    /// Per-minute counts for busy days (a counting sort instead of a comparison sort).
    private var minuteCounts: [Int32] = []
    /// The local date of the instants being handed out.
    private(set) var date = CivilDate(dayNumber: 0)

    /// Relative incident volume by local hour: low in the morning, rising through the evening, peaking
    /// 19:00–23:00 and tailing into the small hours.
    private static let hourWeights = [6, 5, 4, 3, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 6, 7, 8, 8, 8, 8, 7]
    /// On Saturday and Sunday the night hours (00–04) are busier still.
    private static let weekendNightBoost = [3, 3, 2, 1, 0]
    /// 1024-slot lookup tables from a uniform 10-bit draw to an hour: weekday, weekend.
    private static let weekdayHours = lookup(weekend: false)
    private static let weekendHours = lookup(weekend: true)

    private static func lookup(weekend: Bool) -> [UInt8] {
        var w = hourWeights
        if weekend { for (h, b) in weekendNightBoost.enumerated() { w[h] += b } }
        let sum = w.reduce(0, +)
        var table: [UInt8] = []
        table.reserveCapacity(1024)
        var acc = 0
        for (h, x) in w.enumerated() {
            acc += x
            while table.count < acc * 1024 / sum { table.append(UInt8(h)) }
        }
        while table.count < 1024 { table.append(23) }
        return table
    }

    /// Weight of one day (in hundredths): weekends and Fridays higher, a Christmas/New Year and a
    /// summer bump.
    private static func weight(of date: CivilDate) -> Int {
        let weekday = [0, 95, 90, 90, 95, 105, 125, 120][date.weekday]
        let c = date.components
        var season = 100
        if (c.month == 12 && c.day >= 24) || (c.month == 1 && c.day == 1) {
            season = 130
        } else if (6...8).contains(c.month) {
            season = 108
        }
        return weekday * season / 100
    }

    /// The days covered: `years` of 365.2425 days, at least one, ending no later than 2090-12-31.
    static func dayCount(start: CivilDate, years: Double) -> Int {
        let wanted = max(1, Int((max(0, years) * 365.2425).rounded()))
        let lastAllowed = Int(CivilDate(year: 2090, month: 12, day: 31)!.dayNumber)
        return max(1, min(wanted, lastAllowed - Int(start.dayNumber) + 1))
    }

    init(total: Int, start: CivilDate, days: Int, zone: ZoneRules) {
        self.startDay = start.dayNumber
        self.total = max(0, total)
        self.zone = zone
        var cum = [0]
        cum.reserveCapacity(days + 1)
        for d in 0..<days { cum.append(cum[d] + Timeline.weight(of: start.adding(days: d))) }
        cumulative = cum
    }

    /// The next instant, or nil after `total` instants.
    mutating func next(_ rng: inout SeededGenerator) -> Int64? {
        while position == buffer.count {
            guard emitted < total, day < cumulative.count - 1 else { return nil }
            fill(&rng)
        }
        let t = buffer[position]
        position += 1
        emitted += 1
        return t
    }

    /// Draws and sorts the instants of the next day that has any.
    private mutating func fill(_ rng: inout SeededGenerator) {
        let w = cumulative[cumulative.count - 1]
        // Integer shares: floor(total·cum[d+1]/w) − floor(total·cum[d]/w), which sum to exactly total.
        // total·cum fits in Int64 for any count up to ~10¹² incidents over a century.
        let count = total * cumulative[day + 1] / w - total * cumulative[day] / w
        date = CivilDate(dayNumber: startDay + Int32(day))
        day += 1
        buffer.removeAll(keepingCapacity: true)
        position = 0
        let hours = date.weekday >= 6 ? Timeline.weekendHours : Timeline.weekdayHours
        // Fast path: when the offset is the same at both ends of the local day, no clock change falls in
        // it and local time converts by one subtraction.
        let midnight = zone.instant(LocalDateTime(date: date, secondOfDay: 0))
        let nextMidnight = zone.instant(LocalDateTime(date: date.adding(days: 1), secondOfDay: 0))
        let offset = zone.offset(at: midnight)
        let steady = offset == zone.offset(at: Instant(seconds: nextMidnight.seconds - 1))
        let dayBase = Int64(date.dayNumber) * 86_400 - Int64(offset)
        if steady && count >= 512 {
            // Busy day: count draws per minute, then emit the minutes in order (same draws, same result
            // as sorting, in linear time).
            if minuteCounts.isEmpty { minuteCounts = [Int32](repeating: 0, count: 1440) }
            for _ in 0..<count {
                let r = rng.next()
                minuteCounts[Int(hours[Int(r & 1023)]) * 60 + Int((r >> 10) % 60)] += 1
            }
            for m in 0..<1440 where minuteCounts[m] > 0 {
                for _ in 0..<minuteCounts[m] { buffer.append(dayBase + Int64(m * 60)) }
                minuteCounts[m] = 0
            }
            return
        }
        for _ in 0..<count {
            let r = rng.next()
            let hour = Int(hours[Int(r & 1023)])
            let minute = Int((r >> 10) % 60)
            let second = hour * 3600 + minute * 60
            if steady {
                buffer.append(dayBase + Int64(second))
            } else {
                buffer.append(zone.instant(LocalDateTime(date: date, secondOfDay: Int32(second))).seconds)
            }
        }
        buffer.sort()
    }
}
