/// Reads incident notifications from a file, from bytes in memory or from standard input, in CSV or JSON
/// Lines (named by the file's extension or recognised by its first bytes), one record at a time: an
/// incident with where it starts, or a ``Reject`` saying which line and field could not be read and what
/// was expected. This is the reader `triage screen` uses.
///
/// ```swift
/// var input = try IncidentInput(path: "incidents.csv", zone: Policy.default.zone)
/// while let record = try input.next() { … }
/// ```
///
/// Memory is bounded by the largest record (8 MiB at most), not by the input.
public struct IncidentInput {
    var reader: any IncidentReader
    /// The bytes being read (for a stream's hooks: ``ByteSource/onWait``, ``ByteSource/stopDescriptor``).
    package let source: ByteSource
    /// The name used in locations: the path, `<stdin>`, or the name given for bytes.
    public let name: String
    /// The format being read.
    public let format: InputFormat

    /// Reads `bytes`, naming them `name` in locations. Its format is `format` when given, else recognised
    /// from the first bytes; `columns` maps a force's CSV header names onto the canonical ones.
    public init(
        bytes: [UInt8], name: String = "<bytes>", zone: ZoneRules, format: InputFormat? = nil, columns: ColumnMap = .canonical
    ) throws(InputError) {
        try self.init(
            source: ByteSource(bytes: bytes, name: name), name: name, byExtension: nil, zone: zone, format: format, columns: columns)
    }

    /// Reads the file at `path` (`-` for standard input). Its format is `format` when given, else its
    /// extension's (`.csv`, `.jsonl`, `.ndjson`, `.json`), else recognised from its first bytes; `columns`
    /// maps a force's CSV header names onto the canonical ones. Throws when the file cannot be opened or a
    /// CSV header lacks a required column.
    public init(path: String, zone: ZoneRules, format: InputFormat? = nil, columns: ColumnMap = .canonical) throws(InputError) {
        let stdin = path == "-"
        let name = stdin ? "<stdin>" : path
        let source = stdin ? ByteSource.standardInput() : try ByteSource(path: path)
        let ext = path.split(separator: ".").last.map(String.init) ?? ""
        try self.init(
            source: source, name: name, byExtension: stdin ? nil : InputFormat(pathExtension: ext), zone: zone, format: format,
            columns: columns)
    }

    private init(
        source: ByteSource, name: String, byExtension: InputFormat?, zone: ZoneRules, format declared: InputFormat?,
        columns: ColumnMap
    ) throws(InputError) {
        // Sniffing names a gzip file, a workbook or a semicolon export, and tells JSON Lines from CSV on
        // standard input or with an unknown extension; it consumes nothing.
        let format = try InputSniffer.format(of: source, declared: declared, byExtension: byExtension, columns: columns)
        // A column map for input found to be JSON Lines by its first byte would be ignored: refused instead.
        if format == .jsonl && declared == nil && byExtension == nil && columns != .canonical {
            throw InputError(
                "--columns renames the header of CSV input, but the input is JSON Lines: drop --columns",
                at: SourceLocation(source: name, line: 0))
        }
        self.name = name
        self.format = format
        self.source = source
        switch format {
        case .csv: reader = try CSVIncidentReader(source: source, name: name, zone: zone, columns: columns)
        case .jsonl: reader = JSONLinesIncidentReader(source: source, name: name, zone: zone)
        }
    }

    /// The next record, or nil at the end of the input. Throws only when reading cannot go on (the file
    /// cannot be read); a record that cannot be read is returned as a reject and reading goes on.
    public mutating func next() throws(InputError) -> InputRecord? { try reader.next() }

    /// Physical lines of the record ``next()`` last returned.
    package var recordLines: Int { reader.recordLines }
    /// Lines read so far that belong to no record (a header, blank lines).
    package var otherLines: Int { reader.otherLines }
}
