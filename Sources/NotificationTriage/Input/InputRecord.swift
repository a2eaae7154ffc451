/// What a reader yields: a whole incident, or a reject saying why a record could not be read.
public enum InputRecord: Sendable {
    /// A fully read incident and where its record starts (line of its first row, column 0).
    case incident(Incident, SourceLocation)
    /// A record (for CSV: every row of one incident) that could not be read.
    case reject(Reject)
}

/// A streaming source of incidents. Each call yields one incident or one reject, so that
/// `records read = incidents screened + records rejected`; and every physical line of the input is counted
/// once, either in the record it belongs to or as a header or blank line, so that `lines read = lines of
/// screened incidents + lines of rejects + header and blank lines` can be checked against the file itself.
package protocol IncidentReader {
    /// The next record, or nil at the end of input. Throws only for fatal problems (the input cannot be read).
    mutating func next() throws(InputError) -> InputRecord?
    /// Physical lines of the record `next()` last returned.
    var recordLines: Int { get }
    /// Physical lines read so far that belong to no record (a header, blank lines); final after `next()`
    /// has returned nil.
    var otherLines: Int { get }
}

/// A fatal input problem that stops reading before or while reading (a missing required column, an
/// unreadable file); per-record defects are `Reject`s instead.
public struct InputError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Where the problem is (line 0 when the file itself could not be read).
    public var location: SourceLocation
    /// Lower-case message saying what is wrong.
    public var message: String

    /// Creates an error.
    package init(_ message: String, at location: SourceLocation) {
        self.location = location
        self.message = message
    }

    /// `path:line:col: message`.
    public var description: String { "\(location): \(message)" }
}

/// The input file formats the readers understand.
public enum InputFormat: String, Sendable, CaseIterable {
    /// RFC 4180 CSV, one row per child, rows of one incident adjacent.
    case csv
    /// JSON Lines: one incident object per line.
    case jsonl

    /// The format named by a file extension (`csv`, `jsonl`, `ndjson`, `json`; any case, leading dot allowed).
    public init?(pathExtension: String) {
        var ext = Substring(pathExtension)
        if ext.first == "." { ext = ext.dropFirst() }
        switch ext.lowercased() {
        case "csv": self = .csv
        case "jsonl", "ndjson", "json": self = .jsonl
        default: return nil
        }
    }
}

/// A per-record defect found while reading one field or one record.
struct RecordError: Error, Sendable {
    /// The canonical field name at fault, if one is.
    var field: String?
    /// Lower-case message quoting no input value (see ``ValueDescription``), at most
    /// ``ValueDescription/maxMessageBytes`` bytes.
    var message: String
    /// 1-based byte column, or 0 when unknown.
    var column: Int

    init(field: String?, _ message: String, column: Int = 0) {
        self.field = field
        self.message = ValueDescription.capped(message)
        self.column = column
    }
}
