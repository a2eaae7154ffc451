/// Where one CSV field lies in the `ByteSource` buffer (quotes excluded).
struct FieldSpan {
    var start: Int
    var end: Int
    /// 1-based line of the field's first byte.
    var line: Int
    /// 1-based byte column of the field's first byte.
    var column: Int
    /// The field is quoted and holds doubled quotes still to collapse.
    var escaped: Bool
    /// Bytes followed the closing quote.
    var malformed: Bool
}

/// Splits RFC 4180 CSV into rows of field spans, straight from the byte buffer, one row at a time.
///
/// After `scanRow()` returns `.row`, the first `fieldCount` `spans` describe the row's fields; they stay
/// valid until the next call. Blank lines are skipped (and counted). A row longer than `maxRecordBytes` is
/// given up on: `.oversize` is returned and the next call resumes at the next line start.
///
/// A stray quote must not swallow the rows after it. Once `expectedFields` is set (the header's width), a
/// quoted field that runs past a line feed is taken as damaged when the next line is, on its own, a
/// well-formed row of that width (no quote left open, no bare quote, the header's field count), or when it
/// grows past `maxQuotedFieldBytes`: `.damagedQuote` is returned for the row so far (up to that line feed,
/// or the first line feed inside the field for the size limit) and the next call resumes at the next line.
/// A quoted field that really holds a line break is unaffected: the line after the break holds its closing
/// quote, which is a bare quote to a fresh row.
struct CSVRecordScanner {
    enum Outcome: Equatable {
        case row
        case endOfInput
        case oversize
        case unterminatedQuote(openedAt: Int)
        /// A quoted field opened at this line and 1-based byte column ran into what looks like the next row
        /// (or past the size limit); the row up to the cut has been consumed.
        case damagedQuote(line: Int, column: Int)
    }

    let maxRecordBytes: Int
    /// The longest a quoted field that spans lines may grow before it is taken as a stray quote.
    let maxQuotedFieldBytes: Int
    /// The header's field count, once known (0 before: the header itself is scanned without the check).
    var expectedFields = 0
    /// Blank lines skipped so far.
    private(set) var blankLines = 0
    /// The last row (or skipped line) ended at the end of input without a line feed.
    private var lastLineOpen = false
    /// The number of the first line not yet reached: one past the last line of the last row returned (or
    /// of the whole input, after `.endOfInput`). Lines of a record = this after it − its `rowLine`.
    var lineAfterLastRow: Int { nextLine + (lastLineOpen ? 1 : 0) }
    /// The fields of the last row scanned, valid until the next call (the storage is reused, never shrunk,
    /// so that a row costs no allocation once the widest row has been seen).
    var spans: UnsafeBufferPointer<FieldSpan> { UnsafeBufferPointer(storage.elements(count: fieldCount)) }
    private let storage = GrowableBuffer<FieldSpan>(capacity: 32)
    private(set) var fieldCount = 0
    /// Whether a field of the last row had bytes after its closing quote.
    private(set) var anyMalformed = false
    /// 1-based line of the last row's first byte.
    private(set) var rowLine = 1
    /// Offset one past the last row (including its line end) in the buffer.
    private(set) var rowEnd = 0
    /// Byte length of the last row.
    var rowByteCount: Int { rowEnd - rowStart }
    private var rowStart = 0
    /// Line number at the first unconsumed byte.
    private var nextLine = 1
    private var pendingConsume = false
    private var pendingSkip = false

    /// Whether rows without quotes are read a word at a time (off only in tests, which compare the two).
    private let plainRows: Bool

    init(maxRecordBytes: Int, maxQuotedFieldBytes: Int = 1 << 20, plainRows: Bool = true) {
        self.maxRecordBytes = maxRecordBytes
        self.plainRows = plainRows
        // Below the record limit, so that a stray quote is cut at its line rather than skipped as oversize.
        self.maxQuotedFieldBytes = min(maxQuotedFieldBytes, maxRecordBytes / 2)
    }

    /// Whether every byte in the buffer has been read into rows (the next row needs more input).
    func consumedAll(_ source: ByteSource) -> Bool {
        !pendingSkip && (pendingConsume ? rowEnd : source.start) == source.end
    }

    /// Scans the next non-blank row.
    mutating func scanRow(_ source: ByteSource) throws(InputError) -> Outcome {
        if pendingConsume {
            source.start = rowEnd
            pendingConsume = false
        }
        if pendingSkip {
            pendingSkip = false
            try skipToNextLine(source)
        }
        while true {
            let outcome = try scanOnce(source)
            if case .damagedQuote = outcome { pendingConsume = true }
            guard outcome == .row else { return outcome }
            pendingConsume = true
            let blank = fieldCount == 1 && spans[0].start == spans[0].end
            if !blank { return .row }
            blankLines += 1
            source.start = rowEnd
            pendingConsume = false
        }
    }

    @inline(__always)
    private mutating func addSpan(_ span: FieldSpan) {
        storage.store(span, at: fieldCount)
        fieldCount += 1
        if span.malformed { anyMalformed = true }
    }

    /// Scans one row from `source.start`, refilling (and rescanning from the row start) as needed.
    private mutating func scanOnce(_ source: ByteSource) throws(InputError) -> Outcome {
        while true {
            let base = source.base
            let start = source.start
            // A row is read within a window of `maxRecordBytes` from its start, so that what is decided (a row,
            // a damaged quote, oversize) depends on the bytes alone, never on how much a read happened to bring.
            let end = min(source.end, start + maxRecordBytes)
            let eof = source.atEOF && source.end <= start + maxRecordBytes
            var pos = start
            var line = nextLine
            var lineStart = start
            fieldCount = 0
            anyMalformed = false
            rowStart = start
            rowLine = line
            var needMore = false
            if plainRows && scanPlainRow(base, start, end) { return .row }
            fieldCount = 0

            fields: while true {
                let fStart = pos
                let fLine = line
                let fColumn = pos - lineStart + 1
                if pos == end {
                    if !eof {
                        needMore = true
                        break fields
                    }
                    if fieldCount == 0 {
                        nextLine = line
                        return .endOfInput
                    }
                    // A trailing comma at the very end of input: one last empty field.
                    addSpan(FieldSpan(start: pos, end: pos, line: fLine, column: fColumn, escaped: false, malformed: false))
                    break fields
                }
                var span: FieldSpan
                if base[pos] == 0x22 {  // quoted field
                    pos += 1
                    var escaped = false
                    var closed = false
                    var firstBreak = -1
                    while pos < end {
                        let c = base[pos]
                        if c == 0x22 {
                            if pos + 1 < end {
                                if base[pos + 1] == 0x22 {
                                    escaped = true
                                    pos += 2
                                    continue
                                }
                                closed = true
                                break
                            }
                            if eof { closed = true }
                            break
                        }
                        if c == 0x0A {
                            line += 1
                            lineStart = pos + 1
                            if expectedFields > 0 {
                                if firstBreak < 0 { firstBreak = pos }
                                let next = CSVRecordScanner.isWellFormedRow(
                                    base + pos + 1, end - pos - 1, eof: eof, fields: expectedFields)
                                if next == nil {
                                    needMore = true
                                    break fields
                                }
                                if next == true || pos - fStart > maxQuotedFieldBytes {
                                    // A stray quote: the row ends at this line feed (or, past the size limit,
                                    // at the field's first one), and reading goes on at the next line.
                                    let cut = next == true ? pos : firstBreak
                                    if cut != pos { line = fLine + 1 }
                                    rowEnd = cut + 1
                                    nextLine = line
                                    lastLineOpen = false
                                    return .damagedQuote(line: fLine, column: fColumn)
                                }
                            }
                        }
                        pos += 1
                    }
                    if !closed {
                        if !eof {
                            needMore = true
                            break fields
                        }
                        nextLine = line
                        lastLineOpen = end > lineStart
                        source.start = end  // nothing follows; the partial spans stay readable until the next call
                        return .unterminatedQuote(openedAt: fLine)
                    }
                    span = FieldSpan(start: fStart + 1, end: pos, line: fLine, column: fColumn, escaped: escaped, malformed: false)
                    pos += 1  // closing quote
                    // Anything but a separator or line end after the closing quote is malformed.
                    while pos < end {
                        let c = base[pos]
                        if c == 0x2C || c == 0x0A { break }
                        if c == 0x0D {
                            if pos + 1 < end {
                                if base[pos + 1] == 0x0A {
                                    pos += 1  // CR LF: stand on the LF
                                    break
                                }
                            } else if eof {
                                pos += 1  // CR at the very end of input
                                break
                            } else {
                                needMore = true
                                break fields
                            }
                        }
                        span.malformed = true
                        pos += 1
                    }
                } else {  // unquoted field: up to a comma or line feed
                    // 8 bytes at a time while a whole word is left, then byte by byte.
                    while pos + 8 <= end {
                        let m = ByteScan.separatorMask(UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
                        if m != 0 {
                            pos += m.trailingZeroBitCount >> 3
                            break
                        }
                        pos += 8
                    }
                    while pos < end {
                        let c = base[pos]
                        if c == 0x2C || c == 0x0A { break }
                        pos += 1
                    }
                    var e = pos
                    if e > fStart && base[e - 1] == 0x0D && (pos == end || base[pos] == 0x0A) { e -= 1 }
                    span = FieldSpan(start: fStart, end: e, line: fLine, column: fColumn, escaped: false, malformed: false)
                }
                if pos == end {
                    if !eof {
                        needMore = true
                        break fields
                    }
                    addSpan(span)
                    break fields
                }
                addSpan(span)
                if base[pos] == 0x2C {
                    pos += 1
                    continue fields
                }
                // Line feed.
                pos += 1
                line += 1
                break fields
            }

            if needMore {
                if end - start >= maxRecordBytes {
                    // Given up at the window's end: reading goes on at the first line that starts after it.
                    let limit = start + maxRecordBytes
                    var lines = 0
                    for i in start..<limit where base[i] == 0x0A { lines += 1 }
                    nextLine = rowLine + lines
                    lastLineOpen = base[limit - 1] != 0x0A
                    pendingSkip = lastLineOpen
                    source.start = limit
                    return .oversize
                }
                _ = try source.fill()
                continue
            }
            rowEnd = pos
            nextLine = line
            lastLineOpen = pos > start && base[pos - 1] != 0x0A
            return .row
        }
    }

    /// The common row, read a word at a time with every comma and line feed of a word found at once: when
    /// the bytes from `start` hold a line feed within whole words before `end` and no quote before it, stores
    /// the row's fields and its end exactly as the byte-by-byte scan would, and returns true. Otherwise
    /// (a quote, a row running past the words in the buffer or the window) returns false having changed
    /// nothing the byte-by-byte scan does not set again.
    @inline(__always)
    private mutating func scanPlainRow(_ base: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var word = start
        var fieldStart = start
        let line = rowLine
        // Spans are stored straight through the pointer: room for a word's worth is made before each word.
        var out = storage.room(for: 8, keeping: 0)
        var n = 0
        while word + 8 <= end {
            if _slowPath(n + 8 > storage.capacity) { out = storage.room(for: n + 8, keeping: n) }
            var m = ByteScan.plainRowMask(UnsafeRawPointer(base + word).loadUnaligned(as: UInt64.self))
            while m != 0 {
                let at = word + m.trailingZeroBitCount >> 3
                let c = base[at]
                if c == 0x22 { return false }
                let column = fieldStart - start + 1
                if c == 0x0A {
                    // A carriage return before the line feed ends the line, as in the byte-by-byte scan.
                    let e = at > fieldStart && base[at - 1] == 0x0D ? at - 1 : at
                    out[n] = FieldSpan(start: fieldStart, end: e, line: line, column: column, escaped: false, malformed: false)
                    fieldCount = n + 1
                    rowEnd = at + 1
                    nextLine = line + 1
                    lastLineOpen = false
                    return true
                }
                out[n] = FieldSpan(start: fieldStart, end: at, line: line, column: column, escaped: false, malformed: false)
                n += 1
                fieldStart = at + 1
                m &= m &- 1
            }
            word += 8
        }
        return false
    }

    /// After an oversize row: discards input from where it was given up to and including the next line feed.
    private mutating func skipToNextLine(_ source: ByteSource) throws(InputError) {
        while true {
            if source.start == source.end {
                if !(try source.fill()) { return }
            }
            let base = source.base
            var i = source.start
            let end = source.end
            while i < end && base[i] != 0x0A { i += 1 }
            if i < end {
                source.start = i + 1
                nextLine += 1
                lastLineOpen = false
                return
            }
            if end > source.start { lastLineOpen = true }
            source.start = end
        }
    }

    /// Whether the `count` bytes at `p` begin with a line that starts a row: on its own, a well-formed row
    /// of exactly `fields` fields (every quoted field closed on the line and followed by a separator, no
    /// quote inside an unquoted field, a line feed or the end of input after the last field), or well-formed
    /// fields up to a quote opened at a field start, after the first field, and left open (a row damaged
    /// like the one before it, so that each is rejected on its own). Nil when the line is not all in the
    /// buffer yet (more input is needed to tell). Lines past 64 KiB are not rows.
    static func isWellFormedRow(_ p: UnsafePointer<UInt8>, _ count: Int, eof: Bool, fields: Int) -> Bool? {
        var i = 0
        var n = 0
        let limit = min(count, 1 << 16)
        while true {
            n += 1
            if n > fields { return false }
            if i < limit && p[i] == 0x22 {
                i += 1
                while true {
                    if i >= limit {
                        if i >= count && !eof { return nil }
                        return count <= limit && n > 1
                    }
                    let c = p[i]
                    // A quote left open on the line: a damaged row of its own, if fields came before it.
                    if c == 0x0A { return n > 1 }
                    if c == 0x22 {
                        if i + 1 < limit && p[i + 1] == 0x22 {
                            i += 2
                            continue
                        }
                        if i + 1 >= count && !eof { return nil }
                        i += 1
                        break
                    }
                    i += 1
                }
                if i < limit && p[i] == 0x0D { i += 1 }
                if i < limit && p[i] != 0x2C && p[i] != 0x0A { return false }
            } else {
                while i < limit {
                    let c = p[i]
                    if c == 0x2C || c == 0x0A { break }
                    if c == 0x22 { return false }
                    i += 1
                }
            }
            if i >= limit {
                if count > limit { return false }
                if !eof { return nil }
                return n == fields && count > 0
            }
            if p[i] == 0x0A { return n == fields && i > 0 && !(i == 1 && p[0] == 0x0D) }
            i += 1  // comma
        }
    }

    /// The field's bytes, collapsing doubled quotes in place (idempotent: the span is updated).
    mutating func fieldBytes(_ index: Int, _ source: ByteSource) -> Bytes {
        let spans = storage.elements(count: fieldCount)
        var span = spans[index]
        let base = source.base
        if span.escaped {
            var w = span.start
            var r = span.start
            while r < span.end {
                let c = base[r]
                base[w] = c
                w += 1
                r += (c == 0x22) ? 2 : 1
            }
            span.end = w
            span.escaped = false
            spans[index] = span
        }
        return Bytes(start: base + span.start, count: span.end - span.start)
    }
}
