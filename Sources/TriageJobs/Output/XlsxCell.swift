import NotificationTriage

/// One cell of a workbook row, typed so that a spreadsheet keeps what it holds: ids, URNs, UPRNs and
/// postcodes stay text (leading zeros and all), and dates and times are dates a filter or a sum understands.
package enum XlsxCell: Sendable, Equatable {
    /// Text, written as it is (an empty text is an empty cell).
    case text(String)
    /// A number.
    case number(Double)
    /// A calendar date, shown `yyyy-mm-dd`.
    case date(CivilDate)
    /// A wall-clock date and time (already in the zone the reader should see), shown `yyyy-mm-dd hh:mm:ss`.
    case dateTime(LocalDateTime)
}

/// A column of a workbook sheet: its header and its width (in characters of the default font).
package struct XlsxColumn: Sendable, Equatable {
    package var name: String
    package var width: Double

    package init(_ name: String, width: Double) {
        self.name = name
        self.width = width
    }
}
