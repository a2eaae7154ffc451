/// How messages talk about a value that was not what was expected, without quoting it.
///
/// A value in the wrong column may be a person's name, date of birth or address, so no message quotes an
/// input value. The one exception is a value within a small edit distance of a token of a closed set (a
/// typo of `high`): quoting it then helps and cannot be personal data. Every message is capped at
/// ``ValueDescription/maxMessageBytes``.
package enum ValueDescription {
    /// The longest message (in UTF-8 bytes) any error or reject carries.
    static let maxMessageBytes = 300

    /// What kind of value `raw` is, never the value itself: `empty`, `a 19-character text`, `a number`,
    /// `a 3-digit number`, `invalid utf-8`, `a value with control characters`.
    static func kind(of raw: some Collection<UInt8>) -> String {
        if raw.isEmpty { return "an empty value" }
        var digits = 0
        var controls = 0
        var highs = 0
        for b in raw {
            if b >= 0x30 && b <= 0x39 {
                digits += 1
            } else if b < 0x20 || b == 0x7F {
                controls += 1
            } else if b >= 0x80 {
                highs += 1
            }
        }
        if controls > 0 { return "a value with control characters" }
        if digits == raw.count { return raw.count == 1 ? "a 1-digit number" : "a \(raw.count)-digit number" }
        guard let text = String(validating: Array(raw), as: UTF8.self) else { return "invalid utf-8" }
        let n = text.count
        return n == 1 ? "a 1-character text" : "a \(n)-character text"
    }

    /// `'hihg' (did you mean 'high'?)` when `raw` is a likely typo of one of `tokens`, else the kind of value.
    /// Used for closed vocabularies (gradings, relationships, option values).
    static func describe(_ raw: some Collection<UInt8>, closestTo tokens: [String]) -> String {
        let bytes = Array(raw)
        if bytes.count <= 40, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x27 }) {
            let text = String(decoding: bytes, as: UTF8.self)
            if let s = closestToken(to: text, among: tokens) { return "'\(text)' (did you mean '\(s)'?)" }
        }
        return kind(of: bytes)
    }

    /// The token a value is a likely typo of: at most 2 edits and at most a third of the token's length
    /// (case ignored; two neighbouring letters swapped count as one edit), so `hihg` → `high` and `ture` →
    /// `true`, but a name never matches.
    static func closestToken(to text: String, among tokens: [String]) -> String? {
        let a = Array(text.lowercased().utf8)
        var best: (String, Int)? = nil
        for t in tokens {
            let d = typoDistance(a, Array(t.lowercased().utf8))
            if d <= min(2, max(1, t.utf8.count / 3)), best == nil || d < best!.1 { best = (t, d) }
        }
        return best?.0
    }

    /// Edits between two byte strings: insertions, deletions, substitutions, and swaps of two neighbouring
    /// bytes, each one edit (optimal string alignment distance).
    static func typoDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    /// `message` cut to at most ``maxMessageBytes`` UTF-8 bytes (at a character boundary, with `…`).
    package static func capped(_ message: String) -> String {
        guard message.utf8.count > maxMessageBytes else { return message }
        var out = ""
        var used = 0
        for ch in message {
            let n = ch.utf8.count
            if used + n > maxMessageBytes - 3 { break }
            out.append(ch)
            used += n
        }
        return out + "…"
    }
}
