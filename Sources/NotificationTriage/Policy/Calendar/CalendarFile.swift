/// What the calendar files share: finding a file named in a policy, reading it, pointing at a byte of it
/// with a line and column, and reading the two date forms they use.
enum CalendarFile {
    /// At most this many problems are listed per calendar file: a wrong file (a data export, an image) is
    /// refused in a screenful, not in one line per record.
    static let maxErrors = 20

    /// `path` as named in the policy `source`: absolute paths as they are, others relative to the policy
    /// file's directory, or to the current directory when the source has none (`<default policy>`, a
    /// bare file name).
    static func resolve(_ path: String, policySource source: String) -> String {
        if path.hasPrefix("/") || source.hasPrefix("<") { return path }
        guard let slash = source.lastIndex(of: "/") else { return path }
        return String(source[...slash]) + path
    }

    /// The 1-based line and byte column of `offset` in `bytes`.
    static func location(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>, file: String) -> SourceLocation {
        var line = 1
        var lineStart = 0
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            if bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return SourceLocation(source: file, line: line, column: end - lineStart + 1)
    }

    /// `YYYY-MM-DD` as a real calendar date.
    static func isoDate(_ b: some Collection<UInt8>) -> CivilDate? {
        let a = Array(b)
        guard a.count == 10, a[4] == 0x2D, a[7] == 0x2D, let y = number(a[0..<4]), let m = number(a[5..<7]),
            let d = number(a[8..<10])
        else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    /// iCalendar's `YYYYMMDD` as a real calendar date.
    static func basicDate(_ b: some Collection<UInt8>) -> CivilDate? {
        let a = Array(b)
        guard a.count == 8, let y = number(a[0..<4]), let m = number(a[4..<6]), let d = number(a[6..<8]) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var v = 0
        for c in digits {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    /// A value from a calendar file as a message may show it: quoted when it is a short policy-like token
    /// (a date, a property name), else only its kind (see ``PolicyError/quoted(_:)``).
    static func shown(_ b: some Collection<UInt8>) -> String {
        guard let s = String(validating: Array(b), as: UTF8.self) else { return "invalid utf-8" }
        return PolicyError.quoted(s)
    }
}
