/// A point in time: whole seconds since 1970-01-01T00:00:00Z.
public struct Instant: Sendable, Hashable, Comparable {
    /// Seconds since the Unix epoch, UTC.
    public var seconds: Int64

    /// Creates an instant.
    public init(seconds: Int64) { self.seconds = seconds }

    /// Earlier is less.
    public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }
}

/// A wall-clock date and time with no zone: what a spreadsheet writes, or a local bank-holiday boundary.
public struct LocalDateTime: Sendable, Hashable, Comparable {
    /// The local calendar date.
    public var date: CivilDate
    /// Seconds since local midnight (0..<86400).
    public var secondOfDay: Int32

    /// Creates a local date-time.
    public init(date: CivilDate, secondOfDay: Int32) {
        self.date = date
        self.secondOfDay = secondOfDay
    }

    /// Seconds since 1970-01-01T00:00 in this wall clock.
    var localSeconds: Int64 { Int64(date.dayNumber) * 86_400 + Int64(secondOfDay) }

    /// Earlier on the wall clock is less.
    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.localSeconds < b.localSeconds }
}
