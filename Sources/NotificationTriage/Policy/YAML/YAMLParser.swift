/// Parses the strict YAML subset of policy files: block mappings and sequences, flow `[a, b]` and
/// `{k: v}` (which may span lines), plain, single- and double-quoted scalars, and comments. Anchors,
/// aliases, tags, block scalars, directives, complex keys and multiple documents are refused with a clear
/// error rather than misread. Columns are 1-based byte columns.
package enum YAML {
    /// Parses `text`; `source` names the file in every location.
    package static func parse(_ text: String, source: String) throws(PolicyError) -> YAMLNode {
        var p = YAMLParser(Array(text.utf8), source: source)
        return try p.document()
    }
}

struct YAMLParser {
    let b: [UInt8]
    let source: String
    var pos = 0
    var depth = 0
    /// Byte offsets of line starts.
    var lineStarts: [Int] = [0]

    init(_ bytes: [UInt8], source: String) {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        b = bytes
        self.source = source
        for (i, c) in b.enumerated() where c == 0x0A { lineStarts.append(i + 1) }
    }

    // MARK: positions and errors

    func location(_ offset: Int) -> SourceLocation {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return SourceLocation(source: source, line: lo + 1, column: offset - lineStarts[lo] + 1)
    }

    func error(_ message: String, at offset: Int) -> PolicyError { PolicyError(message, at: location(offset)) }

    func column(_ offset: Int) -> Int { location(offset).column }

    func peek(_ at: Int) -> UInt8 { at < b.count ? b[at] : 0 }

    static func isBreak(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D || c == 0 }
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// The token at `offset` (up to a space or line end) for a message: quoted when it looks like a word
    /// of a policy, otherwise described (``PolicyError/quoted(_:)``), so a data file given by mistake is
    /// not echoed.
    func token(_ offset: Int) -> String {
        guard offset < b.count else { return "the end of the file" }
        if b[offset] < 0x20 || b[offset] == 0x7F { return "a control character" }
        var e = offset
        while e < b.count, !YAMLParser.isBreak(b[e]), b[e] != 0x20 { e += 1 }
        return PolicyError.quoted(String(decoding: b[offset..<e], as: UTF8.self))
    }

    // MARK: lines

    /// Moves to the first content byte of the next line with content, skipping blank and comment lines.
    /// Returns false at the end of the input. Refuses tabs in indentation and document markers.
    mutating func nextContentLine() throws(PolicyError) -> Bool {
        while pos < b.count {
            let lineStart = pos
            var i = pos
            while i < b.count, b[i] == 0x20 { i += 1 }
            if i < b.count, b[i] == 0x09 {
                throw error("tabs are not allowed for indentation; use spaces", at: i)
            }
            if i >= b.count { pos = i; return false }
            let c = b[i]
            if c == 0x0A || c == 0x0D || c == UInt8(ascii: "#") {
                while i < b.count, b[i] != 0x0A { i += 1 }
                pos = i + 1
                continue
            }
            if i == lineStart {
                if b[i...].starts(with: Array("---".utf8)), YAMLParser.isBreak(peek(i + 3)) || YAMLParser.isSpace(peek(i + 3)) {
                    throw error("unsupported YAML: multiple documents ('---') are not supported in the policy file", at: i)
                }
                if b[i...].starts(with: Array("...".utf8)), YAMLParser.isBreak(peek(i + 3)) || YAMLParser.isSpace(peek(i + 3)) {
                    throw error("unsupported YAML: document end markers ('...') are not supported in the policy file", at: i)
                }
                if c == UInt8(ascii: "%") {
                    throw error("unsupported YAML: directives ('%') are not supported in the policy file", at: i)
                }
            }
            pos = i
            return true
        }
        return false
    }

    /// After a value: only spaces and a comment may follow on the line; moves past the line end.
    mutating func endOfLine() throws(PolicyError) {
        while pos < b.count, YAMLParser.isSpace(b[pos]) { pos += 1 }
        if pos < b.count, b[pos] == UInt8(ascii: "#"), pos == 0 || YAMLParser.isSpace(b[pos - 1]) {
            while pos < b.count, b[pos] != 0x0A { pos += 1 }
        }
        if pos < b.count, b[pos] == 0x0D { pos += 1 }
        if pos < b.count {
            guard b[pos] == 0x0A else {
                throw error("expected the end of the line after the value, found \(token(pos))", at: pos)
            }
            pos += 1
        }
    }

    // MARK: document

    mutating func document() throws(PolicyError) -> YAMLNode {
        // An optional leading '---' line.
        var i = 0
        while true {
            var j = i
            while j < b.count, b[j] == 0x20 { j += 1 }
            if j < b.count, b[j] == UInt8(ascii: "#") || b[j] == 0x0A || b[j] == 0x0D {
                while j < b.count, b[j] != 0x0A { j += 1 }
                i = j + 1
                continue
            }
            break
        }
        if i < b.count, b[i...].starts(with: Array("---".utf8)), YAMLParser.isBreak(peek(i + 3)) || YAMLParser.isSpace(peek(i + 3)) {
            pos = i + 3
            try endOfLine()
        }
        guard try nextContentLine() else { return YAMLNode(.null, at: SourceLocation(source: source, line: 1, column: 1)) }
        let root = try block(indent: column(pos))
        if try nextContentLine() {
            throw error("unexpected indentation: expected a key at column 1, found \(token(pos))", at: pos)
        }
        return root
    }

    /// A block node starting at `pos` (the first content byte), at column `indent`.
    mutating func block(indent: Int) throws(PolicyError) -> YAMLNode {
        depth += 1
        defer { depth -= 1 }
        if depth > 64 { throw error("the policy file is nested too deeply (more than 64 levels)", at: pos) }
        if isSequenceItem(pos) { return try sequence(indent: indent) }
        if try keyEnd(pos) != nil { return try mapping(indent: indent) }
        let node = try inlineValue()
        try endOfLine()
        return node
    }

    func isSequenceItem(_ at: Int) -> Bool {
        peek(at) == UInt8(ascii: "-") && (YAMLParser.isSpace(peek(at + 1)) || YAMLParser.isBreak(peek(at + 1)))
    }

    /// If a block mapping key starts at `at`, the offset of its ':'.
    func keyEnd(_ at: Int) throws(PolicyError) -> Int? {
        let c = peek(at)
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            var i = at + 1
            while i < b.count, !YAMLParser.isBreak(b[i]) {
                if b[i] == c {
                    if c == UInt8(ascii: "'") && peek(i + 1) == c { i += 2; continue }
                    break
                }
                if c == UInt8(ascii: "\"") && b[i] == UInt8(ascii: "\\") { i += 1 }
                i += 1
            }
            var j = i + 1
            while YAMLParser.isSpace(peek(j)) { j += 1 }
            return peek(j) == UInt8(ascii: ":") && (YAMLParser.isSpace(peek(j + 1)) || YAMLParser.isBreak(peek(j + 1))) ? j : nil
        }
        if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { return nil }
        var i = at
        while i < b.count, !YAMLParser.isBreak(b[i]) {
            if b[i] == UInt8(ascii: "#"), i > at, YAMLParser.isSpace(b[i - 1]) { return nil }
            if b[i] == UInt8(ascii: ":"), YAMLParser.isSpace(peek(i + 1)) || YAMLParser.isBreak(peek(i + 1)) { return i }
            i += 1
        }
        return nil
    }

    mutating func mapping(indent: Int) throws(PolicyError) -> YAMLNode {
        let start = location(pos)
        var entries: [YAMLEntry] = []
        while true {
            if isSequenceItem(pos) {
                throw error(
                    "expected 'key: value' here, found a list item '- ' (a mapping and a list cannot share an indentation)", at: pos)
            }
            guard let colon = try keyEnd(pos) else {
                throw error("expected 'key: value' or '- item', found \(token(pos))", at: pos)
            }
            let keyOffset = pos
            try refuseUnsupported(at: pos)
            let key: String
            if peek(pos) == UInt8(ascii: "\"") || peek(pos) == UInt8(ascii: "'") {
                guard case .scalar(let k, _) = try quoted().value else { fatalError() }
                key = k
            } else {
                var e = colon
                while e > pos, YAMLParser.isSpace(b[e - 1]) { e -= 1 }
                key = String(decoding: b[pos..<e], as: UTF8.self)
            }
            if let first = entries.first(where: { $0.key == key }) {
                throw error("duplicate key \(PolicyError.quoted(key)) (first at line \(first.keyLocation.line))", at: keyOffset)
            }
            pos = colon + 1
            while YAMLParser.isSpace(peek(pos)) { pos += 1 }
            let value: YAMLNode
            if YAMLParser.isBreak(peek(pos)) || peek(pos) == UInt8(ascii: "#") {
                let here = location(colon + 1)
                try endOfLine()
                if try nextContentLine() {
                    let c = column(pos)
                    if c > indent {
                        value = try block(indent: c)
                    } else if c == indent && isSequenceItem(pos) {
                        value = try sequence(indent: c, insideMapping: true)
                    } else {
                        value = YAMLNode(.null, at: here)
                    }
                } else {
                    value = YAMLNode(.null, at: here)
                }
            } else {
                value = try inlineValue()
                try endOfLine()
            }
            entries.append(YAMLEntry(key: key, keyLocation: location(keyOffset), value: value))
            guard try nextContentLine() else { break }
            let c = column(pos)
            if c < indent { break }
            if c > indent {
                throw error("unexpected indentation: expected a key at column \(indent), found \(token(pos)) at column \(c)", at: pos)
            }
        }
        return YAMLNode(.mapping(entries), at: start)
    }

    mutating func sequence(indent: Int, insideMapping: Bool = false) throws(PolicyError) -> YAMLNode {
        let start = location(pos)
        var items: [YAMLNode] = []
        while true {
            guard isSequenceItem(pos) else {
                throw error("expected a list item '- ' at column \(indent), found \(token(pos))", at: pos)
            }
            let dash = pos
            pos += 1
            while YAMLParser.isSpace(peek(pos)) { pos += 1 }
            if YAMLParser.isBreak(peek(pos)) || peek(pos) == UInt8(ascii: "#") {
                let here = location(dash)
                try endOfLine()
                if try nextContentLine(), column(pos) > indent {
                    items.append(try block(indent: column(pos)))
                } else {
                    items.append(YAMLNode(.null, at: here))
                }
            } else {
                items.append(try block(indent: column(pos)))
            }
            guard try nextContentLine() else { break }
            let c = column(pos)
            if c < indent { break }
            if c > indent {
                throw error("unexpected indentation: expected '- ' at column \(indent), found \(token(pos)) at column \(c)", at: pos)
            }
            if !isSequenceItem(pos) {
                if insideMapping { break }  // `key:\n- a\n- b\nnext: …`: the list ends, the mapping goes on
                throw error("expected '- item' here, found \(token(pos)) (a list and a mapping cannot share an indentation)", at: pos)
            }
        }
        return YAMLNode(.sequence(items), at: start)
    }

    // MARK: values on one line

    mutating func refuseUnsupported(at offset: Int) throws(PolicyError) {
        let c = peek(offset)
        let next = peek(offset + 1)
        switch c {
        case UInt8(ascii: "&"): throw error("unsupported YAML: anchors ('&') are not supported in the policy file", at: offset)
        case UInt8(ascii: "*"): throw error("unsupported YAML: aliases ('*') are not supported in the policy file", at: offset)
        case UInt8(ascii: "!"): throw error("unsupported YAML: tags ('!') are not supported in the policy file", at: offset)
        case UInt8(ascii: "|"), UInt8(ascii: ">"):
            throw error(
                "unsupported YAML: block scalars ('|', '>') are not supported in the policy file; write the text on one line", at: offset)
        case UInt8(ascii: "?") where YAMLParser.isSpace(next) || YAMLParser.isBreak(next):
            throw error("unsupported YAML: complex keys ('? ') are not supported in the policy file", at: offset)
        case UInt8(ascii: "@"), UInt8(ascii: "`"):
            throw error("'\(Character(Unicode.Scalar(c)))' cannot start a value; quote the text", at: offset)
        default: return
        }
    }

    /// A scalar or flow collection starting at `pos`.
    mutating func inlineValue() throws(PolicyError) -> YAMLNode {
        try refuseUnsupported(at: pos)
        switch peek(pos) {
        case UInt8(ascii: "["), UInt8(ascii: "{"): return try flow()
        case UInt8(ascii: "\""), UInt8(ascii: "'"): return try quoted()
        default:
            let start = pos
            while pos < b.count, !YAMLParser.isBreak(b[pos]) {
                if b[pos] == UInt8(ascii: "#"), YAMLParser.isSpace(b[pos - 1]) { break }
                if b[pos] == UInt8(ascii: ":"), YAMLParser.isSpace(peek(pos + 1)) {
                    throw error("unexpected ': ' inside a value; quote the text or put the mapping on its own lines", at: pos)
                }
                pos += 1
            }
            var e = pos
            while e > start, YAMLParser.isSpace(b[e - 1]) { e -= 1 }
            return plainScalar(start, e)
        }
    }

    func plainScalar(_ start: Int, _ end: Int) -> YAMLNode {
        let s = String(decoding: b[start..<end], as: UTF8.self)
        if s == "~" || s == "null" || s == "Null" || s == "NULL" { return YAMLNode(.null, at: location(start)) }
        return YAMLNode(.scalar(s, quoted: false), at: location(start))
    }

    /// A single- or double-quoted scalar on one line.
    mutating func quoted() throws(PolicyError) -> YAMLNode {
        let open = pos
        let q = b[pos]
        pos += 1
        var out: [UInt8] = []
        let kind = q == UInt8(ascii: "'") ? "single-quoted" : "double-quoted"
        while true {
            guard pos < b.count, !YAMLParser.isBreak(b[pos]) else {
                let l = location(open)
                throw error("unterminated \(kind) text (opened at line \(l.line), column \(l.column))", at: open)
            }
            let c = b[pos]
            if c == q {
                if q == UInt8(ascii: "'"), peek(pos + 1) == q {
                    out.append(q)
                    pos += 2
                    continue
                }
                pos += 1
                break
            }
            if q == UInt8(ascii: "\""), c == UInt8(ascii: "\\") {
                let e = peek(pos + 1)
                switch e {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    let hex = pos + 2 < b.count ? String(decoding: b[(pos + 2)..<min(b.count, pos + 6)], as: UTF8.self) : ""
                    guard hex.count == 4, let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                        throw error("bad escape '\\u\(hex)': expected four hex digits", at: pos)
                    }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    pos += 4
                default:
                    throw error(
                        "unknown escape '\\\(Character(Unicode.Scalar(e)))' in double-quoted text: expected \\\\, \\\", \\n, \\t or \\uXXXX",
                        at: pos)
                }
                pos += 2
                continue
            }
            out.append(c)
            pos += 1
        }
        return YAMLNode(.scalar(String(decoding: out, as: UTF8.self), quoted: true), at: location(open))
    }

    // MARK: flow collections

    /// Skips spaces, line ends and comments inside a flow collection.
    mutating func flowSpace() throws(PolicyError) {
        while pos < b.count {
            let c = b[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D { pos += 1; continue }
            if c == 0x09 { pos += 1; continue }
            if c == UInt8(ascii: "#"), pos == 0 || YAMLParser.isSpace(b[pos - 1]) || b[pos - 1] == 0x0A {
                while pos < b.count, b[pos] != 0x0A { pos += 1 }
                continue
            }
            return
        }
    }

    mutating func flow(depth: Int = 0) throws(PolicyError) -> YAMLNode {
        if depth > 32 { throw error("flow collections are nested too deeply (more than 32 levels)", at: pos) }
        let open = pos
        let isSeq = b[pos] == UInt8(ascii: "[")
        let close = isSeq ? UInt8(ascii: "]") : UInt8(ascii: "}")
        let what = isSeq ? "list" : "mapping"
        pos += 1
        var items: [YAMLNode] = []
        var entries: [YAMLEntry] = []
        try flowSpace()
        if peek(pos) == close {
            pos += 1
            return YAMLNode(isSeq ? .sequence([]) : .mapping([]), at: location(open))
        }
        while true {
            try flowSpace()
            guard pos < b.count else {
                let l = location(open)
                throw error("unterminated flow \(what) (opened at line \(l.line), column \(l.column))", at: open)
            }
            if isSeq {
                items.append(try flowNode(depth: depth))
            } else {
                let keyOffset = pos
                let keyNode = try flowNode(depth: depth, isKey: true)
                guard let key = keyNode.string else {
                    throw error("expected a key in the flow mapping, found \(keyNode.kindName)", at: keyOffset)
                }
                try flowSpace()
                guard peek(pos) == UInt8(ascii: ":") else {
                    throw error("expected ':' after key \(PolicyError.quoted(key)) in flow mapping, found \(token(pos))", at: pos)
                }
                pos += 1
                try flowSpace()
                let value: YAMLNode
                if peek(pos) == UInt8(ascii: ",") || peek(pos) == close {
                    value = YAMLNode(.null, at: location(pos))
                } else {
                    value = try flowNode(depth: depth)
                }
                if let first = entries.first(where: { $0.key == key }) {
                    throw error("duplicate key \(PolicyError.quoted(key)) (first at line \(first.keyLocation.line))", at: keyOffset)
                }
                entries.append(YAMLEntry(key: key, keyLocation: location(keyOffset), value: value))
            }
            try flowSpace()
            guard pos < b.count else {
                let l = location(open)
                throw error("unterminated flow \(what) (opened at line \(l.line), column \(l.column))", at: open)
            }
            if b[pos] == close {
                pos += 1
                break
            }
            guard b[pos] == UInt8(ascii: ",") else {
                throw error("expected ',' or '\(Character(Unicode.Scalar(close)))' in \(what), found \(token(pos))", at: pos)
            }
            pos += 1
            try flowSpace()
            if peek(pos) == close {
                throw error("unexpected '\(Character(Unicode.Scalar(close)))' after ',': expected another item", at: pos)
            }
        }
        return YAMLNode(isSeq ? .sequence(items) : .mapping(entries), at: location(open))
    }

    mutating func flowNode(depth: Int, isKey: Bool = false) throws(PolicyError) -> YAMLNode {
        try refuseUnsupported(at: pos)
        let c = peek(pos)
        if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
            if isKey { throw error("unsupported YAML: a collection cannot be a key", at: pos) }
            return try flow(depth: depth + 1)
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { return try quoted() }
        let start = pos
        while pos < b.count {
            let x = b[pos]
            if x == UInt8(ascii: ",") || x == UInt8(ascii: "]") || x == UInt8(ascii: "}") || YAMLParser.isBreak(x) { break }
            if x == UInt8(ascii: ":"),
                YAMLParser.isSpace(peek(pos + 1)) || YAMLParser.isBreak(peek(pos + 1))
                    || peek(pos + 1) == UInt8(ascii: ",") || peek(pos + 1) == UInt8(ascii: "}")
            {
                break
            }
            if x == UInt8(ascii: "#"), pos > start, YAMLParser.isSpace(b[pos - 1]) { break }
            pos += 1
        }
        var e = pos
        while e > start, YAMLParser.isSpace(b[e - 1]) { e -= 1 }
        if e == start { throw error("expected a value, found \(token(pos))", at: pos) }
        return plainScalar(start, e)
    }
}
