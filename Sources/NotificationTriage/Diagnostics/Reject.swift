/// An input record that could not be read, and why. Never holds the person's data: only the file, line,
/// field, incident id (when it could be read) and a message saying what was expected.
public struct Reject: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the record starts (column of the bad field when known).
    public var location: SourceLocation
    /// The canonical field name at fault, if one is.
    public var field: String?
    /// The incident id, when it could be read.
    public var incidentID: String?
    /// Lower-case message saying what was expected, quoting no personal data.
    public var message: String

    /// Creates a reject.
    public init(location: SourceLocation, field: String?, incidentID: String?, message: String) {
        self.location = location
        self.field = field
        self.incidentID = incidentID
        self.message = message
    }

    /// `path:line:col: field: message` (the field only when one is at fault).
    public var description: String { "\(location): " + (field.map { "\($0): " } ?? "") + message }
}
