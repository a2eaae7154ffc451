import NotificationTriage

/// The cells of a sheet as XML: typed values, dates as Excel serial days, text escaped.
extension XlsxParts {
    /// Excel's serial day of 1970-01-01 (day 0 is 1899-12-30, which keeps Excel's false 1900-02-29 out of
    /// every date from 1900-03-01).
    static let serialOf1970: Int = 25_569
    /// The dates a serial day stands for: from 1900-03-01 (serial 61; earlier ones are off by Excel's false
    /// leap day) to 9999-12-31, the last Excel shows.
    static let serialDays: ClosedRange<Int> = 61...2_958_465

    /// One cell, `<c r="ref" …>…</c>` (`ref`: its column's letters and its row's number). `style` overrides
    /// the cell's own (the header row). A date outside ``serialDays`` is written as ISO 8601 text, which
    /// keeps its value; an empty text is no cell at all.
    static func cell(_ cell: XlsxCell, column: [UInt8], row: [UInt8], style: UInt8?, into out: inout [UInt8]) {
        func open(_ style: UInt8, inline: Bool) {
            out += "<c r=\"".utf8
            out += column
            out += row
            out += "\" s=\"".utf8
            out.append(UInt8(ascii: "0") + style)
            out += inline ? "\" t=\"inlineStr\">".utf8 : "\">".utf8
        }
        func value(_ text: String, _ style: UInt8) {
            open(style, inline: false)
            out += "<v>".utf8
            out += text.utf8
            out += "</v></c>".utf8
        }
        switch cell {
        case .text(let s):
            guard !s.isEmpty else { return }
            open(style ?? Style.text, inline: true)
            var s = s.utf8.count > maxTextLength ? cut(s) : s
            s.withUTF8 { text(in: $0, into: &out) }
            out += "</c>".utf8
        case .number(let v):
            guard v.isFinite else { return }
            value(number(v), style ?? 0)
        case .date(let d):
            let serial = Int(d.dayNumber) + serialOf1970
            guard serialDays.contains(serial) else {
                return self.cell(.text(d.description), column: column, row: row, style: style, into: &out)
            }
            value(String(serial), style ?? Style.date)
        case .dateTime(let t):
            let day = Int(t.date.dayNumber) + serialOf1970
            guard serialDays.contains(day) else {
                var iso = t.date.description + "T"
                for (i, part) in [t.secondOfDay / 3600, t.secondOfDay / 60 % 60, t.secondOfDay % 60].enumerated() {
                    iso += (i > 0 ? ":" : "") + (part < 10 ? "0" : "") + String(part)
                }
                return self.cell(.text(iso), column: column, row: row, style: style, into: &out)
            }
            value(number(Double(day) + Double(t.secondOfDay) / 86_400), style ?? Style.dateTime)
        }
    }

    /// The most UTF-16 code units a cell holds in Excel: a longer text makes it report the file damaged.
    static let maxTextLength = 32_767

    /// Text longer than a cell holds, cut on a character boundary to end with `…` (the CSV has it whole).
    static func cut(_ s: String) -> String {
        guard s.utf16.count > maxTextLength else { return s }
        var kept = ""
        var units = 0
        for c in s {
            units += c.utf16.count
            if units > maxTextLength - 1 { break }
            kept.append(c)
        }
        return kept + "…"
    }

    /// A number as `xsd:double` text: whole numbers without a point, others as Swift's shortest text that
    /// reads back to the same `Double` (deterministic).
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// `<is><t>…</t></is>`: the UTF-8 text escaped for XML, its characters that XML 1.0 cannot hold dropped
    /// (controls other than tab, LF and CR; U+FFFE and U+FFFF), a CR kept as `&#13;` (a parser would turn a
    /// raw one into LF), and a `_` that starts what Office would read as an escape (`_x0041_`) written as
    /// `_x005F_`, so that the text reads back as it was. Leading or trailing white space is kept.
    static func text(in s: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let spaced = s.first.map(isSpace) == true || s.last.map(isSpace) == true
        out += (spaced ? "<is><t xml:space=\"preserve\">" : "<is><t>").utf8
        var i = 0
        while i < s.count {
            let b = s[i]
            switch b {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case 0x0D: out += "&#13;".utf8
            case 0x09, 0x0A: out.append(b)
            case 0..<0x20: break
            case 0xEF where i + 2 < s.count && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF):
                i += 2
            case UInt8(ascii: "_") where startsOfficeEscape(s, at: i): out += "_x005F_".utf8
            default: out.append(b)
            }
            i += 1
        }
        out += "</t></is>".utf8
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Whether `_xHHHH_` (four hexadecimal digits) starts at `i`.
    static func startsOfficeEscape(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i + 6 < s.count, s[i + 1] | 0x20 == UInt8(ascii: "x"), s[i + 6] == UInt8(ascii: "_") else { return false }
        return s[(i + 2)..<(i + 6)].allSatisfy { b in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b | 0x20)
        }
    }
}
