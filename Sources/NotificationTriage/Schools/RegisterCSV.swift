/// Reads the register's CSV downloads (establishments and links) row by row, with the columns it needs
/// looked up by header name, never by position: the download has 120+ columns and their order has changed
/// between releases.
///
/// The register is reference data, not a person's record, so any defect stops the load with an
/// `InputError` naming the file, line and column: a half-read register would misroute children silently.
struct RegisterCSV {
    /// The longest row accepted. A real row is 1–2 KB; a megabyte means the file is not the register.
    static let maxRowBytes = 1 << 20

    let source: ByteSource
    private var scanner = CSVRecordScanner(maxRecordBytes: RegisterCSV.maxRowBytes)
    /// The wanted columns' names, in the order the caller asked for them.
    let names: [String]
    /// Index in the row of each wanted column.
    private var indices: [Int] = []
    private var headerCount = 0

    /// Opens the reader and reads the header, which must hold every one of `columns` (any case, outer spaces
    /// ignored; the first of duplicate names counts).
    init(_ source: ByteSource, columns: [String], optional: [String] = []) throws(InputError) {
        self.source = source
        self.names = columns + optional
        // A register someone re-saved as UTF-8 may start with a byte-order mark: not part of `URN`.
        try source.skipByteOrderMark()
        guard try scanner.scanRow(source) == .row else {
            throw InputError("empty file: no header row", at: SourceLocation(source: source.name, line: 0))
        }
        let line = scanner.rowLine
        var header: [String: Int] = [:]
        for i in 0..<scanner.fieldCount {
            let name = RegisterCSV.text(scanner.fieldBytes(i, source)).lowercased()
            if header[name] == nil { header[name] = i }
        }
        for name in columns {
            guard let i = header[name.lowercased()] else {
                throw InputError("missing column \"\(name)\" in the header", at: SourceLocation(source: source.name, line: line))
            }
            indices.append(i)
        }
        // An optional column that is absent reads as empty (index -1).
        for name in optional { indices.append(header[name.lowercased()] ?? -1) }
        headerCount = scanner.fieldCount
        scanner.expectedFields = headerCount
    }

    /// 1-based line of the current row.
    var line: Int { scanner.rowLine }

    /// Moves to the next row; false at the end of input. A row that is not well-formed CSV, or whose width
    /// differs from the header's, is an error.
    mutating func next() throws(InputError) -> Bool {
        let outcome = try scanner.scanRow(source)
        switch outcome {
        case .row:
            break
        case .endOfInput:
            return false
        case .oversize:
            throw error("row longer than \(RegisterCSV.maxRowBytes >> 20) MiB", column: 0)
        case .unterminatedQuote(let openedAt):
            throw InputError("a quoted field is never closed", at: SourceLocation(source: source.name, line: openedAt))
        case .damagedQuote(let line, let column):
            throw InputError(
                "a quoted field runs into the next row (stray quote)", at: SourceLocation(source: source.name, line: line, column: column))
        }
        if scanner.anyMalformed, let bad = scanner.spans.prefix(scanner.fieldCount).first(where: { $0.malformed }) {
            throw InputError("text after a closing quote", at: SourceLocation(source: source.name, line: bad.line, column: bad.column))
        }
        guard scanner.fieldCount == headerCount else {
            throw error("expected \(headerCount) fields as in the header, found \(scanner.fieldCount)", column: 0)
        }
        return true
    }

    /// The bytes of wanted column `k` in the current row, trimmed of outer spaces.
    mutating func bytes(_ k: Int) -> Bytes {
        indices[k] < 0 ? Bytes(start: nil, count: 0) : FieldParsers.trimmed(scanner.fieldBytes(indices[k], source))
    }

    /// Wanted column `k` of the current row as text (see `text(_:)`), trimmed of outer spaces.
    mutating func string(_ k: Int) -> String { RegisterCSV.text(bytes(k)) }

    /// An error about wanted column `k` of the current row: `"<column>: <message>"` at its line and column.
    func error(column k: Int, _ message: String) -> InputError {
        let span = scanner.spans[indices[k]]
        return InputError("\(names[k]): \(message)", at: SourceLocation(source: source.name, line: span.line, column: span.column))
    }

    /// An error about the current row.
    func error(_ message: String, column: Int) -> InputError {
        InputError(message, at: SourceLocation(source: source.name, line: scanner.rowLine, column: column))
    }

    // MARK: - Text

    /// A field's text. The register is published in ISO-8859-1: each byte is one character. Bytes 0x80–0x9F
    /// are C1 control codes in ISO-8859-1, which no name holds, whereas files saved by Windows tools use them
    /// for Windows-1252 punctuation (`’` is 0x92), so they are read as Windows-1252. A field that is valid
    /// UTF-8 with a multi-byte sequence is read as UTF-8, so a register already converted still reads
    /// correctly: Latin-1 text is valid UTF-8 only when an accented capital (0xC2–0xF4) is directly followed
    /// by 0x80–0xBF, which names do not contain.
    static func text(_ b: Bytes) -> String {
        guard let p = b.baseAddress else { return "" }
        var ascii = true
        for i in 0..<b.count where p[i] >= 0x80 {
            ascii = false
            break
        }
        if ascii || UTF8Check.isValid(b) { return String(decoding: b, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: b.count * 3) { out in
            var w = 0
            for i in 0..<b.count {
                let c = p[i]
                if c < 0x80 {
                    out[w] = c
                    w += 1
                    continue
                }
                let scalar = c < 0xA0 ? windows1252[Int(c) - 0x80] : UInt16(c)
                if scalar < 0x800 {
                    out[w] = UInt8(0xC0 | (scalar >> 6))
                    out[w + 1] = UInt8(0x80 | (scalar & 0x3F))
                    w += 2
                } else {
                    out[w] = UInt8(0xE0 | (scalar >> 12))
                    out[w + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                    out[w + 2] = UInt8(0x80 | (scalar & 0x3F))
                    w += 3
                }
            }
            return w
        }
    }

    /// Windows-1252's characters for bytes 0x80–0x9F; its five undefined bytes keep their ISO-8859-1 meaning.
    static let windows1252: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
        0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x009D, 0x017E, 0x0178,
    ]

    // MARK: - Values

    /// `DD-MM-YYYY`, the register's date form, as a real calendar date.
    static func date(_ b: Bytes) -> CivilDate? {
        guard b.count == 10, b[2] == 0x2D, b[5] == 0x2D, let d = FieldParsers.digits(b, 0, 2),
            let m = FieldParsers.digits(b, 3, 2), let y = FieldParsers.digits(b, 6, 4)
        else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    /// Whether the bytes are one or more ASCII digits.
    static func isDigits(_ b: Bytes) -> Bool {
        !b.isEmpty && b.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
