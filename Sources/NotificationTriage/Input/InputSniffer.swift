/// Looks at the first bytes of an input, without consuming any, to say what it is.
///
/// A file that cannot be read as text (a gzip file, an Excel workbook, UTF-16 text) or a CSV export with
/// another separator is refused by name before any record is read, rather than read as one bad header or
/// as thousands of rejects; and JSON Lines is told from CSV by its first byte when neither
/// `--input-format` nor the file's extension says which (standard input, `incidents.txt`).
package enum InputSniffer {
    /// How many bytes sniffing looks at, at most, for the first line or the first non-blank byte.
    static let peekLimit = 64 << 10

    /// The format to read `source` as: `declared` (`--input-format`), else `byExtension`, else JSON Lines
    /// when the first byte that is not blank (after a UTF-8 byte-order mark) is `{`, else CSV.
    /// Throws, naming what the input is, when it is not UTF-8 text or is a CSV export whose header is
    /// separated by semicolons or tabs (its known column names are looked up in `columns`).
    package static func format(
        of source: ByteSource, declared: InputFormat?, byExtension: InputFormat?, columns: ColumnMap
    ) throws(InputError) -> InputFormat {
        try refuseUnreadable(source)
        let format: InputFormat
        if let known = declared ?? byExtension {
            format = known
        } else {
            format = try firstNonBlankByte(source, from: try byteOrderMarkLength(source)) == UInt8(ascii: "{") ? .jsonl : .csv
        }
        if format == .csv { try refuseOtherSeparators(source, columns: columns) }
        return format
    }

    /// The checks a CSV reader makes before it reads the header: text, and a comma-separated header.
    static func checkCSV(_ source: ByteSource, columns: ColumnMap) throws(InputError) {
        try refuseUnreadable(source)
        try refuseOtherSeparators(source, columns: columns)
    }

    /// Throws for a gzip file, a zip archive (an `.xlsx` workbook), an `.xls` workbook and UTF-16 text.
    static func refuseUnreadable(_ source: ByteSource) throws(InputError) {
        _ = try source.ensure(8)
        let b = UnsafeBufferPointer(start: source.base + source.start, count: min(8, source.available))
        func starts(_ magic: [UInt8]) -> Bool { b.count >= magic.count && zip(b, magic).allSatisfy { $0 == $1 } }
        let whole = SourceLocation(source: source.name, line: 0)
        if starts([0x1F, 0x8B]) {
            let what = source.name == "<stdin>" ? "the input" : "the file"
            let file = source.name == "<stdin>" ? "FILE" : shellWord(source.name)
            throw InputError("\(what) is gzip-compressed: run `gunzip -c \(file) | triage screen -`", at: whole)
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            throw InputError("the file is a zip archive (an Excel .xlsx workbook?): save it as CSV UTF-8", at: whole)
        }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw InputError("the file is an Excel .xls workbook: save it as CSV UTF-8", at: whole)
        }
        // A byte-order mark, or a NUL in the first two bytes (UTF-16 text of ASCII characters has one in each pair).
        if starts([0xFF, 0xFE]) || starts([0xFE, 0xFF]) || (b.count >= 2 && (b[0] == 0 || b[1] == 0)) {
            throw InputError(
                "the file looks like UTF-16 text: save it as UTF-8 (in a spreadsheet, 'CSV UTF-8')",
                at: SourceLocation(source: source.name, line: 1))
        }
    }

    /// Throws when the first line has no comma but semicolons or tabs separate at least two known column
    /// names: a spreadsheet's "CSV" in a locale that writes decimal commas, or a tab-separated export.
    static func refuseOtherSeparators(_ source: ByteSource, columns: ColumnMap) throws(InputError) {
        let line = try firstLine(source, from: try byteOrderMarkLength(source))
        guard !line.contains(UInt8(ascii: ",")) else { return }
        for (separator, name) in [(UInt8(ascii: ";"), "semicolon"), (0x09, "tab")] {
            let known = line.split(separator: separator).count { cell in
                var text = Substring(decoding: cell, as: UTF8.self)
                while let l = text.last, l == "\r" || l == " " { text = text.dropLast() }
                while let f = text.first, f == " " { text = text.dropFirst() }
                if text.count >= 2, text.first == "\"", text.last == "\"" { text = text.dropFirst().dropLast() }
                return columns.column(forHeader: String(text)) != nil
            }
            if known >= 2 {
                throw InputError(
                    "the file looks \(name)-separated: save it with commas as the separator ('CSV UTF-8')",
                    at: SourceLocation(source: source.name, line: 1))
            }
        }
    }

    /// 3 when the input starts with a UTF-8 byte-order mark, else 0.
    private static func byteOrderMarkLength(_ source: ByteSource) throws(InputError) -> Int {
        guard try source.ensure(3) else { return 0 }
        let p = source.base + source.start
        return p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
    }

    /// The bytes from `offset` to the first line feed (or to the end of input, or to `peekLimit`), copied.
    private static func firstLine(_ source: ByteSource, from offset: Int) throws(InputError) -> [UInt8] {
        var scanned = offset
        while true {
            let held = UnsafeBufferPointer(start: source.base + source.start, count: source.available)
            if scanned < held.count, let lf = held[scanned...].firstIndex(of: 0x0A) { return Array(held[offset..<lf]) }
            scanned = max(scanned, held.count)
            if held.count >= peekLimit { return Array(held[min(offset, held.count)...]) }
            if !(try source.fill()) {
                // `fill` may have moved the bytes even when it read none.
                let all = UnsafeBufferPointer(start: source.base + source.start, count: source.available)
                return Array(all[min(offset, all.count)...])
            }
        }
    }

    /// The first byte from `offset` on that is not a space, tab or line break; nil when there is none
    /// within `peekLimit` bytes.
    private static func firstNonBlankByte(_ source: ByteSource, from offset: Int) throws(InputError) -> UInt8? {
        var i = offset
        while true {
            while i < source.available {
                let b = source.base[source.start + i]
                if b != 0x20 && b != 0x09 && b != 0x0A && b != 0x0D { return b }
                i += 1
            }
            if i >= peekLimit { return nil }
            if !(try source.fill()) { return nil }
        }
    }

    /// `name` as one shell word: as it is when it has only safe characters, else in single quotes.
    private static func shellWord(_ name: String) -> String {
        let safe = name.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || b == 0x2E || b == 0x2F || b == 0x2D || b == 0x5F
        }
        return safe ? name : "'" + name.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
