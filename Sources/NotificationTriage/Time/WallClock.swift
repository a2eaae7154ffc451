#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Where a ``Screener`` reads the time now, for its one rule that depends on it: an incident dated more
/// than a day after now is a typing error and is rejected. Inject ``fixed(_:)`` to make screening
/// repeatable (tests, a re-screen of old files that must give the same answer on any day).
public struct WallClock: Sendable {
    /// The time now.
    public var now: @Sendable () -> Instant

    /// A clock that reads `now` when asked.
    public init(now: @escaping @Sendable () -> Instant) { self.now = now }

    /// The system clock.
    public static let system = WallClock {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Instant(seconds: Int64(ts.tv_sec))
    }

    /// A clock stopped at `instant`.
    public static func fixed(_ instant: Instant) -> WallClock { WallClock { instant } }
}
