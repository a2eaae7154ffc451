extension ZoneRules {
    /// Reads a time written as an input file's `occurred_at` may be: ISO 8601 with an offset
    /// (`2025-03-01T09:30:00Z`, `…+01:00`) or without one (local time in this zone, as are
    /// `DD/MM/YYYY HH:MM[:SS]` and `YYYY-MM-DD HH:MM`); or a date alone (`YYYY-MM-DD`, `DD/MM/YYYY`),
    /// read as local midnight. Nil for anything else. This is how `triage screen --as-of` reads its value.
    public func instant(parsing text: String) -> Instant? {
        var text = text
        return text.withUTF8 { b in
            if let date = FieldParsers.date(b) {
                return FieldParsers.localInstant(LocalDateTime(date: date, secondOfDay: 0), zone: self)
            }
            return FieldParsers.dateTime(b, zone: self)
        }
    }
}
