/// The line of a policy file that `triage validate` shows under an error, with a caret under the column,
/// or nothing when showing it could echo personal data.
///
/// `validate` given a data file by mistake (`triage validate incidents.csv`) must not print a record with
/// a name and a date of birth, and a file of a million NULs must not be printed whole. So a line is shown
/// only when all of these hold:
/// - the file looks like a policy: its first line with content (after blank lines, comments and `---`)
///   is a `key:` line, as every policy's is; a CSV header or a JSON object is not;
/// - the line itself looks like policy YAML: blank, a comment, a `- ` item, a `key:` line, or the
///   continuation of a flow list in lower-case words (`    child_id, child_name]`);
/// - it is valid UTF-8 with no control characters.
///
/// A line longer than ``maxBytes`` is shown as a window of that many bytes around the column, marked `…`.
package struct PolicySourceExcerpt: Sendable {
    /// The most bytes of a line shown.
    package static let maxBytes = 120

    private let lines: [ArraySlice<UInt8>]
    private let looksLikePolicy: Bool

    /// Reads `text`, the whole policy file.
    package init(text: String) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
        self.lines = lines
        let first = lines.first { line in
            let content = line.drop { $0 == 0x20 }
            return !content.isEmpty && content.first != UInt8(ascii: "#") && !content.elementsEqual("---".utf8)
        }
        looksLikePolicy = first.map { PolicySourceExcerpt.isKeyLine($0.drop { $0 == 0x20 }) } ?? true
    }

    /// The text to show for line `number` (1-based) and the caret's 1-based byte column in that text, or
    /// nil when the line is not shown.
    package func line(_ number: Int, column: Int) -> (text: String, caretColumn: Int)? {
        guard looksLikePolicy, number >= 1, number <= lines.count else { return nil }
        let line = Array(lines[number - 1])
        guard PolicySourceExcerpt.isPolicyLine(line), let text = String(validating: line, as: UTF8.self) else {
            return nil
        }
        guard line.count > PolicySourceExcerpt.maxBytes else { return (text, column) }
        // A window around the column, cut at character boundaries.
        let at = max(0, min(column - 1, line.count))
        var start = max(0, min(at - PolicySourceExcerpt.maxBytes / 2, line.count - PolicySourceExcerpt.maxBytes))
        while start > 0, line[start] & 0xC0 == 0x80 { start -= 1 }
        var end = min(line.count, start + PolicySourceExcerpt.maxBytes)
        while end < line.count, line[end] & 0xC0 == 0x80 { end -= 1 }
        let head = start > 0 ? "…" : ""
        let tail = end < line.count ? "…" : ""
        let shown = head + String(decoding: line[start..<end], as: UTF8.self) + tail
        return (shown, column > 0 ? column - start + head.utf8.count : 0)
    }

    /// `key:` at the start of `content` (a plain word or a quoted key), then a space or the line's end.
    static func isKeyLine(_ content: some Collection<UInt8>) -> Bool {
        let b = Array(content)
        var i = 0
        if let q = b.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
            i = 1
            while i < b.count, b[i] != q { i += 1 }
            i += 1
        } else {
            while i < b.count, isWordByte(b[i]) { i += 1 }
            if i == 0 { return false }
        }
        guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
        return i + 1 == b.count || b[i + 1] == 0x20
    }

    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
            || c == 0x2E
    }

    /// Whether a line reads as policy YAML rather than a record of data (see the type's description).
    static func isPolicyLine(_ line: [UInt8]) -> Bool {
        if line.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return false }
        let content = line.drop { $0 == 0x20 }
        guard let first = content.first else { return true }
        if first == UInt8(ascii: "#") || isKeyLine(content) { return true }
        if first == UInt8(ascii: "-") && (content.count == 1 || content.dropFirst().first == 0x20) { return true }
        // The continuation of a flow collection: lower-case words and punctuation only.
        return content.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x20 || Array("_-.,:[]{}#\"'/".utf8).contains(c)
        }
    }
}
