/// Reads incidents from RFC 4180 CSV with one row per linked child (incident columns repeated, an incident
/// without children on one row with empty child columns). Adjacent rows with the same `incident_id` make
/// one incident while their incident-level values (every column but the `child_*` ones) agree, compared
/// as parsed values (`High` and `high` agree, so do flags in any order). A row with the same id whose
/// incident-level values differ from its version's first row, or cannot be read, starts a new record:
/// the next version of the incident (a re-send), returned as its own record after the first, as two JSON
/// Lines with the same id are; its location is its own first row and its children are its own rows only.
/// If any row of one version is bad that whole version is one reject (a row of the wrong shape, or one
/// that follows a version whose first row could not be read, joins that version). Children are added
/// through ``ChildList``: a child id listed twice in one version is kept when identical, rejected when not.
package struct CSVIncidentReader: IncidentReader {
    /// The default limit on one incident's bytes (all its rows): 8 MiB.
    package static let defaultMaxRecordBytes = 8 << 20

    private let source: ByteSource
    private let name: String
    private let zone: ZoneRules
    private let maxRecordBytes: Int
    private var scanner: CSVRecordScanner
    /// Field index in the row for each canonical column (by raw value), or -1 when absent.
    private let fieldIndex: [Int]
    /// The canonical column of each field index, nil for extra columns.
    private let headerColumns: [Column?]
    /// Field indices of the incident-level (canonical, not `child_*`) columns, ascending.
    private let incidentFieldIndices: [Int]
    /// The incident-level field bytes of the current group's first row.
    private var headRow = HeadRow()
    /// The group in hand, filled and finished in place: passed or returned by value, each group was copied
    /// whole and freed again.
    private var group = Group()
    /// Whether `group` was started by the row read after the last record returned (where that record ended).
    private var groupStarted = false
    /// Physical lines of the header row (blank lines before it are the scanner's).
    private var headerLines = 0
    /// Physical lines of the record last returned by `next()`.
    package private(set) var recordLines = 0
    /// Physical lines that belong to no record so far: the header and blank lines.
    package var otherLines: Int { headerLines + scanner.blankLines }

    /// One incident's rows so far.
    private struct Group {
        /// The incident id used for grouping; nil never groups with the next row.
        var id: String? = nil
        var line = 0
        /// Blank lines the scanner had skipped when the group's first row was read.
        var blanksBefore = 0
        /// The incident read from the first row, with the children so far; kept (but not returned) once
        /// `reject` is set, so that the next row's incident-level values can still be compared with it.
        var incident: Incident? = nil
        var reject: Reject? = nil
        var bytes = 0
        /// The children so far, checked by id.
        var children = ChildList()

        /// Makes this the group of a new first row, in place: a new `Group` assigned over it was built and
        /// copied whole (616 bytes) for every incident.
        mutating func start(id: String?, line: Int, blanksBefore: Int, bytes: Int) {
            self.id = id
            self.line = line
            self.blanksBefore = blanksBefore
            incident = nil
            reject = nil
            self.bytes = bytes
            children = ChildList()
        }

        /// Whether the group is rejected, read in place (`reject == nil` copied the optional reject first,
        /// through an outlined copy, for every row).
        var isRejected: Bool {
            switch reject {
            case .none: false
            case .some: true
            }
        }
    }

    /// Reads and checks the header; throws when a required column is missing, before any row is read.
    package init(
        source: ByteSource, name: String, zone: ZoneRules, columns: ColumnMap = .canonical,
        maxRecordBytes: Int = CSVIncidentReader.defaultMaxRecordBytes
    ) throws(InputError) {
        self.source = source
        self.name = name
        self.zone = zone
        self.maxRecordBytes = maxRecordBytes
        var scanner = CSVRecordScanner(maxRecordBytes: maxRecordBytes)
        let headerLocation = SourceLocation(source: name, line: 1)
        try InputSniffer.checkCSV(source, columns: columns)
        try source.skipByteOrderMark()
        switch try scanner.scanRow(source) {
        case .row: break
        case .endOfInput: throw InputError("empty input: expected a header row", at: headerLocation)
        case .oversize, .unterminatedQuote, .damagedQuote: throw InputError("unreadable header row", at: headerLocation)
        }
        if scanner.fieldCount > 0 {
            let first = scanner.fieldBytes(0, source)
            if first.count >= 2 && ((first[0] == 0xFF && first[1] == 0xFE) || (first[0] == 0xFE && first[1] == 0xFF) || first.contains(0)) {
                throw InputError("the file looks like UTF-16 text: save it as UTF-8 (in a spreadsheet, 'CSV UTF-8')", at: headerLocation)
            }
        }
        if scanner.fieldCount > 10_000 {
            throw InputError("the header has \(scanner.fieldCount) columns: expected at most 10000", at: headerLocation)
        }
        var index = [Int](repeating: -1, count: Column.allCases.count)
        var headerColumns: [Column?] = []
        var unknown: [String] = []
        for i in 0..<scanner.fieldCount {
            let header = String(decoding: scanner.fieldBytes(i, source), as: UTF8.self)
            let column = columns.column(forHeader: header)
            headerColumns.append(column)
            guard let column else {
                unknown.append(header)
                continue
            }
            if index[column.rawValue] >= 0 {
                throw InputError(
                    "column '\(column.name)' appears more than once in the header",
                    at: SourceLocation(source: name, line: scanner.spans[i].line, column: scanner.spans[i].column))
            }
            index[column.rawValue] = i
        }
        // A missing column is named with the header cell it is likely a typo of, if one is; a cell that is
        // not close to the column's name is never quoted (a file without a header would echo a record).
        func hint(_ names: [String]) -> String {
            for cell in unknown {
                var text = Substring(cell)
                while let f = text.first, f == " " || f == "\t" { text = text.dropFirst() }
                while let l = text.last, l == " " || l == "\t" { text = text.dropLast() }
                guard text.utf8.count <= 40, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x27 }) else { continue }
                if let s = ValueDescription.closestToken(to: String(text), among: names) {
                    return " (found '\(text)': did you mean '\(s)'?)"
                }
            }
            return ""
        }
        var missing = Column.required.filter { index[$0.rawValue] < 0 }.map { $0.name + hint([$0.name]) }
        if Column.household.allSatisfy({ index[$0.rawValue] < 0 }) {
            missing.append("one of household_id, uprn or postcode" + hint(Column.household.map(\.name)))
        }
        if !missing.isEmpty {
            let noun = missing.count == 1 ? "column" : "columns"
            throw InputError(ValueDescription.capped("missing required \(noun): " + missing.joined(separator: ", ")), at: headerLocation)
        }
        scanner.expectedFields = headerColumns.count
        self.headerLines = scanner.lineAfterLastRow - scanner.rowLine
        self.scanner = scanner
        self.fieldIndex = index
        self.headerColumns = headerColumns
        self.incidentFieldIndices = headerColumns.indices.filter {
            guard let c = headerColumns[$0] else { return false }
            return !Column.child.contains(c)
        }
    }

    /// How long, on a stream, a reader waits for the next row of an incident before taking the incident as
    /// complete (milliseconds).
    package static let liveRowGap: Int32 = 20

    /// The next incident (all its adjacent rows) or reject; nil at the end of input.
    package mutating func next() throws(InputError) -> InputRecord? {
        if groupStarted {
            groupStarted = false
        } else {
            switch try scanner.scanRow(source) {
            case .endOfInput: return nil
            case .row: startGroup()
            case .oversize: group = badGroup(oversizeMessage)
            case .unterminatedQuote(let line): group = badGroup(unterminatedMessage(line))
            case .damagedQuote(let line, let column): group = badGroup(damagedMessage(line, column), column: column)
            }
        }
        while true {
            // On a stream, the rows of one incident arrive together: when no more input comes within
            // `liveRowGap` milliseconds, the incident in hand is complete, so that its decision need not
            // wait for the next incident (a same-id row arriving later is read as the next version).
            if source.isLive, scanner.consumedAll(source), !source.moreInput(within: CSVIncidentReader.liveRowGap) {
                return finish(end: scanner.lineAfterLastRow)
            }
            let outcome = try scanner.scanRow(source)
            let message: String
            switch outcome {
            case .endOfInput:
                return finish(end: scanner.lineAfterLastRow)
            case .row:
                if continues(), sameVersion() {
                    addRow()
                } else {
                    // This row starts the next group: the record ends at its line.
                    let record = finish(end: scanner.rowLine)
                    startGroup()
                    groupStarted = true
                    return record
                }
                continue
            case .oversize: message = oversizeMessage
            case .unterminatedQuote(let line): message = unterminatedMessage(line)
            case .damagedQuote(let line, let column): message = damagedMessage(line, column)
            }
            if continues() {
                if !group.isRejected {
                    group.reject = rowReject(field: damagedField, message, column: 0)
                    group.reject?.incidentID = group.id
                }
            } else {
                var column = 0
                if case .damagedQuote(_, let c) = outcome { column = c }
                let record = finish(end: scanner.rowLine)
                group = badGroup(message, column: column)
                groupStarted = true
                return record
            }
        }
    }

    private var oversizeMessage: String {
        "record larger than the limit of \(maxRecordBytes) bytes: skipped to the next line"
    }

    private func unterminatedMessage(_ line: Int) -> String {
        "file ends inside a quoted field opened at line \(line)"
    }

    private func damagedMessage(_ line: Int, _ column: Int) -> String {
        "quoted field opened at line \(line), column \(column) does not close before the next row (or within "
            + "\(scanner.maxQuotedFieldBytes) bytes): expected a closing quote; reading goes on at line \(scanner.lineAfterLastRow)"
    }

    /// The column the scanner stopped in, for a damaged quote (the field it was reading).
    private var damagedField: String? {
        scanner.fieldCount < headerColumns.count ? headerColumns[scanner.fieldCount]?.name : nil
    }

    /// Ends the group in hand: its physical lines are those from its first row up to `end`, the line of the
    /// next row read (or the end of input), less the blank lines skipped in between.
    private mutating func finish(end: Int) -> InputRecord {
        let blanks = scanner.blankLines - group.blanksBefore
        recordLines = end - group.line - blanks
        // Moved out, not copied: the group is replaced before it is read again.
        if group.isRejected { return .reject(group.reject.take()!) }
        return .incident(group.incident.take()!, SourceLocation(source: name, line: group.line))
    }

    // MARK: - Rows

    /// The current row's field for a canonical column (empty when the column is absent).
    @inline(__always)
    private mutating func field(_ column: Column) -> Bytes {
        let i = fieldIndex[column.rawValue]
        guard i >= 0, i < scanner.fieldCount else { return Bytes(start: nil, count: 0) }
        return scanner.fieldBytes(i, source)
    }

    /// The current row's incident id, if it is present and valid UTF-8.
    private mutating func rowID() -> String? {
        let i = fieldIndex[Column.incidentID.rawValue]
        guard i < scanner.fieldCount else { return nil }
        let b = FieldParsers.trimmed(scanner.fieldBytes(i, source))
        return b.isEmpty ? nil : UTF8Check.string(b)
    }

    /// Whether the current row has the group's incident id (non-empty).
    private mutating func continues() -> Bool {
        guard let id = group.id else { return false }
        let i = fieldIndex[Column.incidentID.rawValue]
        guard i < scanner.fieldCount else { return false }
        let b = FieldParsers.trimmed(scanner.fieldBytes(i, source))
        return id.withUTF8Bytes { ByteScan.equal($0, b) }
    }

    /// A reject at the current row; the column is looked up from the field name when not given.
    private func rowReject(field: String?, _ message: String, column: Int) -> Reject {
        var col = column
        if col == 0, let field, let c = Column(name: field) {
            let i = fieldIndex[c.rawValue]
            if i >= 0, i < scanner.fieldCount, scanner.spans[i].line == scanner.rowLine { col = scanner.spans[i].column }
        }
        return Reject(
            location: SourceLocation(source: name, line: scanner.rowLine, column: col), field: field, incidentID: nil,
            message: message)
    }

    /// A group for a row that could not be scanned whole (oversize, unterminated or damaged quote).
    private mutating func badGroup(_ message: String, column: Int = 0) -> Group {
        let id = rowID()
        var reject = rowReject(field: column > 0 ? damagedField : nil, message, column: column)
        reject.incidentID = id
        return Group(
            id: id, line: scanner.rowLine, blanksBefore: scanner.blankLines, incident: nil, reject: reject,
            bytes: scanner.rowByteCount)
    }

    /// Whether the row has the header's field count and no bytes after a closing quote: ``shapeReject()``
    /// would be nil, known without making its optional reject (216 bytes, copied on its way out).
    private var shapeIsFine: Bool { scanner.fieldCount == headerColumns.count && !scanner.anyMalformed }

    /// Checks field count and quoting; nil when the row's shape is fine.
    private func shapeReject() -> Reject? {
        if scanner.fieldCount != headerColumns.count {
            return rowReject(field: nil, "expected \(headerColumns.count) fields, found \(scanner.fieldCount)", column: 0)
        }
        guard scanner.anyMalformed else { return nil }
        for i in 0..<scanner.fieldCount where scanner.spans[i].malformed {
            let span = scanner.spans[i]
            let field = headerColumns[i]?.name
            let what = field.map { " in '\($0)'" } ?? ""
            let reject = rowReject(field: field, "unexpected character after closing quote\(what)", column: span.column)
            return span.line == scanner.rowLine ? reject : rowReject(field: field, reject.message, column: 0)
        }
        return nil
    }

    /// Makes the group in hand a new group from the current row: the incident-level values and the row's
    /// child.
    private mutating func startGroup() {
        let id = rowID()
        group.start(id: id, line: scanner.rowLine, blanksBefore: scanner.blankLines, bytes: scanner.rowByteCount)
        if !shapeIsFine, var reject = shapeReject() {
            reject.incidentID = id
            group.reject = reject
            return
        }
        do throws(RecordError) {
            group.incident = try incidentFields(id: id)
            keepHeadRow()
            if let child = try parseChild() { try group.children.append(child, to: &group.incident!.children) }
        } catch {
            var reject = rowReject(field: error.field, error.message, column: error.column)
            reject.incidentID = id
            group.reject = reject
        }
        checkSize()
    }

    /// Whether the current row (with `group`'s id) belongs to the same version of the incident: its
    /// incident-level values equal those of the group's first row. Equal bytes are equal values; only
    /// when the bytes differ is the row parsed and compared by value. A row of the wrong shape, or one
    /// after a first row that could not be read, has nothing to compare and stays with the group (which
    /// is rejected).
    private mutating func sameVersion() -> Bool {
        guard let head = group.incident, scanner.fieldCount == headerColumns.count else { return true }
        if repeatsHeadRow() { return true }
        do throws(RecordError) {
            return try incidentFields(id: group.id).hasSameIncidentFields(as: head)
        } catch {
            return false
        }
    }

    /// Keeps the current row's bytes from its first incident-level field to the end of its last (all read
    /// by now, so unescaped) and its field spans, as the group's first row. Two block copies.
    private mutating func keepHeadRow() {
        let base = source.base
        guard let first = incidentFieldIndices.first, let last = incidentFieldIndices.last, last < scanner.spans.count
        else { return }
        let lo = scanner.spans[first].start
        let count = max(0, scanner.spans[last].end - lo)
        headRow.keep(base + lo, count: count, from: lo, spans: scanner.spans)
    }

    /// Whether the current row's incident-level fields are byte for byte those kept by `keepHeadRow`.
    /// Fast path: when the fields lie at the same offsets as in the kept row, one comparison of the whole
    /// range decides "the same" (a difference there may be in quotes or separators only: then field by field).
    private mutating func repeatsHeadRow() -> Bool {
        let head = headRow  // a copy shares the kept arrays' storage: nothing is copied
        let base = source.base
        let spans = scanner.spans  // valid until the next row is scanned
        let sameRange = { () -> Bool in
            guard let first = incidentFieldIndices.first, let last = incidentFieldIndices.last,
                last < spans.count
            else { return false }
            let lo = spans[first].start
            for i in incidentFieldIndices {
                let span = spans[i]
                guard !span.escaped, head.hasSpan(i, start: span.start - lo, end: span.end - lo) else { return false }
            }
            return head.withRange { ByteScan.equal($0, Bytes(start: base + lo, count: spans[last].end - lo)) }
        }()
        if sameRange { return true }
        for i in incidentFieldIndices {
            let row = scanner.fieldBytes(i, source)
            guard head.withField(i, { ByteScan.equal($0, row) }) else { return false }
        }
        return true
    }

    /// The current row's incident-level values as an incident without children. `id` is the row's
    /// grouping id (trimmed, valid UTF-8).
    private mutating func incidentFields(id: String?) throws(RecordError) -> Incident {
        var d = IncidentDraft()
        // The grouping id (trimmed, valid UTF-8) is reused when it is plain ASCII; otherwise the id is
        // checked for invisible characters and trimmed of Unicode white space.
        if let id, id.utf8.withContiguousStorageIfAvailable(Convert.isPrintableASCII) == true {
            d.incidentID = id
        } else {
            d.incidentID = try Convert.identifier(field(.incidentID), .incidentID)
        }
        d.occurredAt = try Convert.dateTime(field(.occurredAt), .occurredAt, zone: zone)
        d.uprn = try Convert.identifier(field(.uprn), .uprn)
        d.postcode = try Convert.text(field(.postcode), .postcode)
        d.householdID = try Convert.identifier(field(.householdID), .householdID)
        d.victimID = try Convert.identifier(field(.victimID), .victimID)
        d.victimName = try Convert.text(field(.victimName), .victimName)
        d.victimDob = try Convert.date(field(.victimDob), .victimDob)
        d.victimPregnant = try Convert.bool(field(.victimPregnant), .victimPregnant)
        d.perpetratorID = try Convert.identifier(field(.perpetratorID), .perpetratorID)
        d.perpetratorName = try Convert.text(field(.perpetratorName), .perpetratorName)
        d.perpetratorDob = try Convert.date(field(.perpetratorDob), .perpetratorDob)
        d.relationship = try Convert.relationship(field(.relationship))
        d.dashRisk = try Convert.dashRisk(field(.dashRisk))
        d.dashScore = try Convert.dashScore(field(.dashScore))
        try Convert.flags(field(.flags), into: &d)
        d.location = try Convert.text(field(.location), .location)
        d.circumstances = try Convert.text(field(.circumstances), .circumstances)
        return try d.build()
    }

    /// Adds the current row (same incident id) to the group: only its child columns are read.
    private mutating func addRow() {
        group.bytes += scanner.rowByteCount
        guard !group.isRejected else { return }
        if !shapeIsFine, var reject = shapeReject() {
            reject.incidentID = group.id
            group.reject = reject
            return
        }
        do throws(RecordError) {
            if let child = try parseChild() { try group.children.append(child, to: &group.incident!.children) }
        } catch {
            var reject = rowReject(field: error.field, error.message, column: error.column)
            reject.incidentID = group.id
            group.reject = reject
        }
        checkSize()
    }

    private mutating func checkSize() {
        if group.bytes > maxRecordBytes && !group.isRejected {
            var reject = rowReject(field: nil, "incident larger than the limit of \(maxRecordBytes) bytes", column: 0)
            reject.incidentID = group.id
            group.reject = reject
        }
    }

    /// The current row's child, nil when every child column is empty.
    private mutating func parseChild() throws(RecordError) -> Child? {
        var c = ChildDraft()
        c.childID = try Convert.identifier(field(.childID), .childID)
        c.name = try Convert.text(field(.childName), .childName)
        c.dob = try Convert.date(field(.childDob), .childDob)
        let present = field(.childPresent)
        c.present = try Convert.bool(present, .childPresent)
        c.schoolURN = try Convert.identifier(field(.childSchoolURN), .childSchoolURN)
        let injured = field(.childInjured)
        c.injured = try Convert.bool(injured, .childInjured)
        c.education = try Convert.education(field(.childEducation))
        c.voice = try Convert.text(field(.childVoice), .childVoice)
        c.hasDetails =
            !FieldParsers.trimmed(present).isEmpty || !FieldParsers.trimmed(injured).isEmpty || c.education != nil
            || c.voice != nil
        return try c.build()
    }
}

/// The incident-level field bytes of a group's first row, kept so that a following row with the same id
/// is compared byte for byte (equal bytes read as equal values) and parsed only when they differ. Kept in
/// buffers that are reused (two block copies per group: as arrays emptied and refilled, they cost five
/// times as much).
private struct HeadRow {
    /// The row's bytes from its first incident-level field to the end of its last.
    private let bytes = GrowableBuffer<UInt8>(capacity: 512)
    private var byteCount = 0
    /// The row's field spans, and the buffer offset that `bytes` starts at.
    private let spans = GrowableBuffer<FieldSpan>(capacity: 32)
    private var spanCount = 0
    private var offset = 0

    /// Keeps `count` bytes from `start`, which is buffer offset `offset`, and the row's spans.
    mutating func keep(_ start: UnsafePointer<UInt8>, count: Int, from offset: Int, spans rowSpans: UnsafeBufferPointer<FieldSpan>) {
        bytes.replace(with: UnsafeBufferPointer(start: start, count: count))
        byteCount = count
        spans.replace(with: rowSpans)
        spanCount = rowSpans.count
        self.offset = offset
    }

    /// Calls `body` with all the kept bytes.
    @inline(__always)
    func withRange<R>(_ body: (Bytes) -> R) -> R { body(UnsafeBufferPointer(bytes.elements(count: byteCount))) }

    /// Whether field `i` was kept at these offsets from the start of the kept bytes.
    @inline(__always)
    func hasSpan(_ i: Int, start: Int, end: Int) -> Bool {
        guard i < spanCount else { return false }
        let span = spans.elements(count: spanCount)[i]
        return span.start - offset == start && span.end - offset == end
    }

    /// Calls `body` with the kept bytes of field `i` (an incident-level field).
    @inline(__always)
    func withField<R>(_ i: Int, _ body: (Bytes) -> R) -> R {
        let span = spans.elements(count: spanCount)[i]
        let kept = UnsafeBufferPointer(bytes.elements(count: byteCount))
        return body(Bytes(rebasing: kept[(span.start - offset)..<(span.end - offset)]))
    }
}
