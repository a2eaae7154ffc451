/// A position in an input or policy file, 1-based, printed `path:line:col`.
///
/// Every error and reject that points at a place in a file carries one of these, so a MASH analyst can
/// open the file at the right line. It never holds the text of the record itself.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file name as given by the user (or `<stdin>`, `<default policy>`).
    public var source: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column (in bytes), or 0 when only the line is known.
    public var column: Int

    /// Creates a location.
    public init(source: String, line: Int, column: Int = 0) {
        self.source = source
        self.line = line
        self.column = column
    }

    /// `path:line:col`, `path:line` when the column is unknown, or `path` when it is about the whole file.
    public var description: String {
        line <= 0 ? source : column > 0 ? "\(source):\(line):\(column)" : "\(source):\(line)"
    }
}
