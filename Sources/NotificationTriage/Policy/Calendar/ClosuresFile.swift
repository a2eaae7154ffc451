/// Reads a file of school closures: an iCalendar file (`.ics`) of all-day events, or a CSV with the
/// header `date,label` or `from,to,label` (dates `YYYY-MM-DD`, both ends inclusive).
///
/// iCalendar support is what school and local-authority term-date exports use: `VEVENT`s with
/// `DTSTART;VALUE=DATE:YYYYMMDD` and an optional `DTEND` (exclusive, the day after the last day off;
/// absent means one day), folded lines (a line starting with a space or tab continues the one before),
/// CRLF or LF line ends. Recurring events (`RRULE`, `RDATE`) and timed events are refused with their
/// line: list each closure as its own all-day event. Cancelled events (`STATUS:CANCELLED`) are skipped.
struct ClosuresFile {
    /// Closed ranges of day numbers, in file order.
    var closures: [ClosedRange<Int32>] = []
    /// The problems found, with the file's line and column.
    var errors: [PolicyError] = []
    let file: String

    /// Reads `bytes` (the contents of `file`), as iCalendar when the name ends `.ics` or the text starts
    /// `BEGIN:VCALENDAR`, else as CSV.
    init(_ bytes: [UInt8], file: String) {
        self.file = file
        var lines = ClosuresFile.lines(bytes)
        if let first = lines.first, first.text.starts(with: [0xEF, 0xBB, 0xBF]) {
            lines[0].text.removeFirst(3)
            lines[0].offset = 3
        }
        let firstText = lines.first { !$0.text.isEmpty }.map { String(decoding: $0.text, as: UTF8.self).uppercased() }
        if file.lowercased().hasSuffix(".ics") || firstText == "BEGIN:VCALENDAR" {
            readICalendar(lines)
        } else {
            readCSV(lines)
        }
        if errors.isEmpty && closures.isEmpty {
            problem("no closures found: expected at least one all-day event or CSV row", line: 1)
        }
    }

    /// One physical line without its line end; `offset` is the byte column (0-based) its text starts at.
    struct Line {
        var text: [UInt8]
        var number: Int
        var offset = 0
    }

    static func lines(_ bytes: [UInt8]) -> [Line] {
        var out: [Line] = []
        var start = 0
        var n = 1
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            var end = i
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if i < bytes.count || end > start { out.append(Line(text: Array(bytes[start..<end]), number: n)) }
            start = i + 1
            n += 1
        }
        return out
    }

    mutating func problem(_ message: String, line: Int, column: Int = 0) {
        guard errors.count < CalendarFile.maxErrors else { return }
        errors.append(PolicyError(message, at: SourceLocation(source: file, line: line, column: column)))
    }

    /// Adds a closure after checking its length (the limit of closures written in the policy).
    mutating func add(_ from: CivilDate, _ to: CivilDate, line: Int) {
        let days = Int(to.dayNumber) - Int(from.dayNumber) + 1
        guard PolicyLimits.schoolClosureDays.contains(days) else {
            problem(
                "a school closure must last at most \(PolicyLimits.schoolClosureDays.upperBound) days, found \(days) days",
                line: line)
            return
        }
        closures.append(from.dayNumber...to.dayNumber)
    }

    // MARK: CSV

    mutating func readCSV(_ lines: [Line]) {
        guard let h = lines.firstIndex(where: { !isBlank($0.text) }) else { return }
        let header = lines[h].text.split(separator: 0x2C, omittingEmptySubsequences: false).map {
            String(decoding: trimmed($0), as: UTF8.self).lowercased()
        }
        let dates: Int
        switch header {
        case ["date"], ["date", "label"]: dates = 1
        case ["from", "to"], ["from", "to", "label"]: dates = 2
        default:
            problem(
                "expected a CSV header 'date,label' or 'from,to,label' (or an iCalendar file ending .ics)",
                line: lines[h].number, column: lines[h].offset + 1)
            return
        }
        for line in lines[(h + 1)...] where !isBlank(line.text) {
            // Only the date columns are split off: the label may hold commas and quotes and is not read.
            let fields = line.text.split(separator: 0x2C, maxSplits: dates, omittingEmptySubsequences: false)
            guard fields.count >= dates else {
                problem("expected 'from,to,label' with two dates YYYY-MM-DD", line: line.number, column: line.offset + 1)
                continue
            }
            var parsed: [CivilDate] = []
            for f in fields.prefix(dates) {
                let column = line.offset + (f.startIndex - line.text.startIndex) + 1
                guard let d = CalendarFile.isoDate(trimmed(f)) else {
                    problem(
                        "expected a date YYYY-MM-DD, found \(CalendarFile.shown(trimmed(f)))", line: line.number, column: column)
                    break
                }
                parsed.append(d)
            }
            guard parsed.count == dates else { continue }
            let (from, to) = (parsed[0], parsed[dates - 1])
            if to < from {
                problem("the closure ends (\(to)) before it starts (\(from))", line: line.number, column: line.offset + 1)
                continue
            }
            add(from, to, line: line.number)
        }
    }

    /// The bytes without surrounding spaces, tabs and double quotes.
    func trimmed(_ s: some Collection<UInt8>) -> [UInt8] {
        var a = Array(s)
        while let c = a.last, c == 0x20 || c == 0x09 || c == 0x22 { a.removeLast() }
        while let c = a.first, c == 0x20 || c == 0x09 || c == 0x22 { a.removeFirst() }
        return a
    }

    func isBlank(_ s: [UInt8]) -> Bool { s.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x2C } }

    // MARK: iCalendar

    /// A logical (unfolded) iCalendar line: its text, the line it starts on and that line's length.
    struct ContentLine {
        var text: [UInt8]
        var number: Int
        var firstLength: Int
    }

    /// The event being read.
    struct Event {
        var begin: Int
        var start: CivilDate?
        var end: CivilDate?
        var endLine = 0
        var cancelled = false
        var refused = false
    }

    static func unfold(_ lines: [Line]) -> [ContentLine] {
        var out: [ContentLine] = []
        for l in lines {
            if let c = l.text.first, c == 0x20 || c == 0x09, !out.isEmpty {
                out[out.count - 1].text += l.text.dropFirst()
            } else if !l.text.isEmpty {
                out.append(ContentLine(text: l.text, number: l.number, firstLength: l.text.count))
            }
        }
        return out
    }

    mutating func readICalendar(_ lines: [Line]) {
        let content = ClosuresFile.unfold(lines)
        guard let first = content.first, String(decoding: first.text, as: UTF8.self).uppercased() == "BEGIN:VCALENDAR" else {
            problem("expected an iCalendar file starting BEGIN:VCALENDAR", line: content.first?.number ?? 1, column: 1)
            return
        }
        var stack: [(name: String, line: Int)] = []
        var event: Event?
        for l in content {
            guard let colon = ClosuresFile.valueStart(l.text) else {
                problem("expected NAME:VALUE (an iCalendar content line)", line: l.number, column: 1)
                continue
            }
            let head = l.text[..<colon]
            let nameEnd = head.firstIndex(of: 0x3B) ?? colon
            let name = String(decoding: l.text[..<nameEnd], as: UTF8.self).uppercased()
            let params = String(decoding: l.text[nameEnd..<colon], as: UTF8.self).uppercased()
            let value = l.text[(colon + 1)...]
            // The value's column, when it starts on the line the property does (not after a fold).
            let column = colon + 2 <= l.firstLength ? colon + 2 : 0
            let valueText = String(decoding: value, as: UTF8.self).uppercased()
            switch name {
            case "BEGIN":
                stack.append((valueText, l.number))
                if valueText == "VEVENT" { event = Event(begin: l.number) }
                continue
            case "END":
                guard let top = stack.last, top.name == valueText else {
                    let open = stack.last.map { "BEGIN:\(PolicyError.quoted($0.name)) of line \($0.line)" } ?? "no BEGIN"
                    problem("END:\(PolicyError.quoted(valueText)) does not match \(open)", line: l.number, column: 1)
                    return
                }
                stack.removeLast()
                if valueText == "VEVENT", let e = event {
                    finish(e)
                    event = nil
                }
                continue
            default: break
            }
            // Properties of the event itself, not of an alarm inside it.
            guard stack.last?.name == "VEVENT", var e = event else { continue }
            switch name {
            case "DTSTART", "DTEND":
                guard let d = allDayDate(value, params: params, name: name, line: l.number, column: column) else {
                    e.refused = true
                    break
                }
                if name == "DTSTART" {
                    e.start = d
                } else {
                    e.end = d
                    e.endLine = l.number
                }
            case "RRULE", "RDATE":
                problem(
                    "recurring events (\(name)) are not supported: list each closure as its own all-day event",
                    line: l.number, column: 1)
                e.refused = true
            case "DURATION":
                problem("DURATION is not supported: give DTEND (the day after the last day off)", line: l.number, column: 1)
                e.refused = true
            case "STATUS":
                e.cancelled = valueText == "CANCELLED"
            default: break
            }
            event = e
        }
        if let open = stack.last {
            problem("BEGIN:\(PolicyError.quoted(open.name)) is never closed with END", line: open.line, column: 1)
        }
    }

    /// The index of the `:` that ends a content line's name and parameters (a quoted parameter value may
    /// hold one).
    static func valueStart(_ text: [UInt8]) -> Int? {
        var quoted = false
        for (i, c) in text.enumerated() {
            if c == 0x22 { quoted.toggle() } else if c == 0x3A && !quoted { return i }
        }
        return nil
    }

    /// A `DTSTART` or `DTEND` value as a date, refusing date-times.
    mutating func allDayDate(_ value: ArraySlice<UInt8>, params: String, name: String, line: Int, column: Int) -> CivilDate? {
        if let d = CalendarFile.basicDate(value) { return d }
        if value.contains(0x54) || params.contains("VALUE=DATE-TIME") {  // 'T': a time of day
            problem(
                "\(name) is a date and time: expected an all-day event (\(name);VALUE=DATE:YYYYMMDD)", line: line,
                column: column)
        } else {
            problem("\(name) must be a date YYYYMMDD, found \(CalendarFile.shown(value))", line: line, column: column)
        }
        return nil
    }

    mutating func finish(_ e: Event) {
        guard !e.refused, !e.cancelled else { return }
        guard let start = e.start else {
            problem("an event has no DTSTART: expected DTSTART;VALUE=DATE:YYYYMMDD", line: e.begin, column: 1)
            return
        }
        guard let end = e.end else {
            add(start, start, line: e.begin)
            return
        }
        guard start < end else {
            problem(
                "DTEND (\(end)) must be after DTSTART (\(start)): DTEND is the day after the last day off",
                line: e.endLine, column: 1)
            return
        }
        add(start, end.adding(days: -1), line: e.begin)
    }
}
