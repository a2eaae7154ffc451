/// A reusable byte buffer for decoded JSON strings (escapes resolved); owned by one reader.
final class ScratchBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
        self.base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for at least `count` bytes (contents are not kept).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        base.deallocate()
        capacity = max(count, capacity * 2)
        base = .allocate(capacity: capacity)
    }

    /// One set of unknown keys per nesting depth, reused from object to object: an object is read whole
    /// before a sibling at its depth starts, and its parent's keys are one depth up.
    private var otherKeys: [OtherKeys] = []

    /// The unknown-key set for objects at `depth` (1-based).
    func otherKeys(atDepth depth: Int) -> OtherKeys {
        while otherKeys.count < depth { otherKeys.append(OtherKeys()) }
        return otherKeys[depth - 1]
    }
}

/// A strict RFC 8259 tokenizer over one line's bytes. Errors carry the 1-based byte column.
///
/// Strings are returned as `Bytes` pointing into the line when they hold no escapes, else into the
/// scratch buffer; either way they are valid only until the next `readString()`.
struct JSONScanner {
    enum Kind {
        case string, number, object, array, literalTrue, literalFalse, null

        /// How messages name the kind of a value found: `a number`, `an array`, `null`.
        var name: String {
            switch self {
            case .string: "a string"
            case .number: "a number"
            case .object: "an object"
            case .array: "an array"
            case .literalTrue: "true"
            case .literalFalse: "false"
            case .null: "null"
            }
        }
    }

    static let maxDepth = 64

    let p: UnsafePointer<UInt8>
    let count: Int
    let scratch: ScratchBuffer
    var pos = 0
    var depth = 0
    /// Offset of the opening quote of the key `nextKey` returned last (for duplicate-key errors).
    private(set) var keyStart = 0

    init(line: Bytes, scratch: ScratchBuffer) {
        self.p = line.baseAddress ?? UnsafePointer(scratch.base)
        self.count = line.count
        self.scratch = scratch
        scratch.reserve(line.count)
    }

    func error(_ message: String, at offset: Int) -> RecordError {
        RecordError(field: nil, message, column: offset + 1)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            let c = p[pos]
            guard c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A else { return }
            pos += 1
        }
    }

    /// Whether only whitespace remains.
    mutating func atEnd() -> Bool {
        skipWhitespace()
        return pos == count
    }

    /// The kind of the next value (after whitespace), without consuming it.
    mutating func peekKind() throws(RecordError) -> Kind {
        skipWhitespace()
        guard pos < count else { throw error("unexpected end of line: expected a value", at: pos) }
        switch p[pos] {
        case 0x22: return .string
        case 0x7B: return .object
        case 0x5B: return .array
        case 0x74: return .literalTrue
        case 0x66: return .literalFalse
        case 0x6E: return .null
        case 0x2D, 0x30...0x39: return .number
        default: throw error("unexpected character: expected a value", at: pos)
        }
    }

    /// Consumes `true`, `false` or `null` (whichever `peekKind()` said).
    mutating func readLiteral(_ kind: Kind) throws(RecordError) {
        let lit: StaticString = kind == .literalTrue ? "true" : kind == .literalFalse ? "false" : "null"
        let n = lit.utf8CodeUnitCount
        guard pos + n <= count else { throw error("invalid literal: expected true, false or null", at: pos) }
        for i in 0..<n where p[pos + i] != lit.utf8Start[i] {
            throw error("invalid literal: expected true, false or null", at: pos)
        }
        pos += n
    }

    // MARK: - Containers

    /// Consumes `{` or `[`, counting nesting depth.
    private mutating func open(_ byte: UInt8, _ what: String) throws(RecordError) {
        skipWhitespace()
        guard pos < count, p[pos] == byte else { throw error("expected \(what)", at: pos) }
        depth += 1
        if depth > JSONScanner.maxDepth {
            throw error("nesting deeper than \(JSONScanner.maxDepth) levels", at: pos)
        }
        pos += 1
    }

    /// Consumes `{`.
    mutating func beginObject() throws(RecordError) { try open(0x7B, "an object") }

    /// Consumes `[`.
    mutating func beginArray() throws(RecordError) { try open(0x5B, "an array") }

    /// The next member's key (the scanner then stands before its value), or nil after the closing `}`.
    mutating func nextKey(first: inout Bool) throws(RecordError) -> Bytes? {
        skipWhitespace()
        guard pos < count else { throw error("unexpected end of line inside an object", at: pos) }
        if p[pos] == 0x7D {  // a trailing comma was caught when the comma was read
            pos += 1
            depth -= 1
            return nil
        }
        if !first {
            guard p[pos] == 0x2C else { throw error("expected ',' or '}' in object", at: pos) }
            pos += 1
            skipWhitespace()
            if pos < count && p[pos] == 0x7D { throw error("trailing comma in object", at: pos) }
        }
        first = false
        guard pos < count, p[pos] == 0x22 else { throw error("expected a string key in object", at: pos) }
        keyStart = pos
        let key = try readString()
        skipWhitespace()
        guard pos < count, p[pos] == 0x3A else { throw error("expected ':' after object key", at: pos) }
        pos += 1
        return key
    }

    /// Whether another array element follows (the scanner then stands before it); false after `]`.
    mutating func nextElement(first: inout Bool) throws(RecordError) -> Bool {
        skipWhitespace()
        guard pos < count else { throw error("unexpected end of line inside an array", at: pos) }
        if p[pos] == 0x5D {
            pos += 1
            depth -= 1
            return false
        }
        if !first {
            guard p[pos] == 0x2C else { throw error("expected ',' or ']' in array", at: pos) }
            pos += 1
            skipWhitespace()
            if pos < count && p[pos] == 0x5D { throw error("trailing comma in array", at: pos) }
        }
        first = false
        return true
    }

    /// The error for a key that appears twice in one object, at the second one; `place` (` in 'victim'`)
    /// says which object when it is not the record itself.
    @inline(never)
    func duplicateKey(_ key: Bytes, field: String?, in place: String = "") -> RecordError {
        RecordError(field: field, "duplicate key \(JSONScanner.describeKey(key))\(place)", column: keyStart + 1)
    }

    /// A key as messages show it: quoted when it looks like a field name (letters, digits, `_`, `-`, `.`,
    /// at most 64 bytes), else only what kind of text it is: an unknown key is not ours to echo.
    static func describeKey(_ key: Bytes) -> String {
        let nameLike =
            key.count <= 64
            && key.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F || c == 0x2D || c == 0x2E
            }
        return nameLike && !key.isEmpty ? "'\(String(decoding: key, as: UTF8.self))'" : "(\(ValueDescription.kind(of: key)))"
    }

    /// Records an unknown key of the object being read (the scanner stands after the key, so `depth` is the
    /// object's); false when the object already had it.
    func insertOther(_ seen: inout SeenKeys, _ key: Bytes) -> Bool {
        let others = scratch.otherKeys(atDepth: depth)
        if !seen.hasOthers {
            others.removeAll()
            seen.hasOthers = true
        }
        return others.insert(key)
    }

    /// Skips one value of any kind, checking its syntax (and that no object in it repeats a key).
    mutating func skipValue() throws(RecordError) {
        let kind = try peekKind()
        switch kind {
        case .string: _ = try readString()
        case .number: _ = try readNumber()
        case .literalTrue, .literalFalse, .null: try readLiteral(kind)
        case .object:
            try beginObject()
            var first = true
            var seen = SeenKeys()
            while let key = try nextKey(first: &first) {
                guard insertOther(&seen, key) else { throw duplicateKey(key, field: nil) }
                try skipValue()
            }
        case .array:
            try beginArray()
            var first = true
            while try nextElement(first: &first) { try skipValue() }
        }
    }

    // MARK: - Scalars

    /// A number's bytes and whether it is an integer (no fraction or exponent).
    mutating func readNumber() throws(RecordError) -> (Bytes, isInteger: Bool) {
        skipWhitespace()
        let s = pos
        @inline(__always) func isDigit(_ i: Int) -> Bool { i < count && p[i] >= 0x30 && p[i] <= 0x39 }
        if pos < count && p[pos] == 0x2D { pos += 1 }
        if pos < count && p[pos] == 0x30 {
            pos += 1
        } else if isDigit(pos) {
            while isDigit(pos) { pos += 1 }
        } else {
            throw error("invalid number", at: pos)
        }
        var isInteger = true
        if pos < count && p[pos] == 0x2E {
            pos += 1
            guard isDigit(pos) else { throw error("invalid number: expected a digit after '.'", at: pos) }
            while isDigit(pos) { pos += 1 }
            isInteger = false
        }
        if pos < count && (p[pos] == 0x65 || p[pos] == 0x45) {
            pos += 1
            if pos < count && (p[pos] == 0x2B || p[pos] == 0x2D) { pos += 1 }
            guard isDigit(pos) else { throw error("invalid number: expected a digit in the exponent", at: pos) }
            while isDigit(pos) { pos += 1 }
            isInteger = false
        }
        return (Bytes(start: p + s, count: pos - s), isInteger)
    }

    /// A string's decoded bytes (valid UTF-8). The scanner must stand on the opening quote.
    mutating func readString() throws(RecordError) -> Bytes {
        skipWhitespace()
        guard pos < count, p[pos] == 0x22 else { throw error("expected a string", at: pos) }
        let open = pos
        pos += 1
        let s = pos
        // Fast path: plain ASCII with no escapes, returned in place.
        while pos < count {
            let c = p[pos]
            if c == 0x22 {
                pos += 1
                return Bytes(start: p + s, count: pos - 1 - s)
            }
            if c == 0x5C || c < 0x20 || c >= 0x80 { break }
            pos += 1
        }
        let out = scratch.base
        var w = pos - s
        out.update(from: p + s, count: w)
        while pos < count {
            let c = p[pos]
            if c == 0x22 {
                pos += 1
                return Bytes(start: out, count: w)
            }
            if c == 0x5C {
                try readEscape(out, &w)
            } else if c < 0x20 {
                throw error("control character in string: expected it escaped", at: pos)
            } else if c < 0x80 {
                out[w] = c
                w += 1
                pos += 1
            } else {
                let n = UTF8Check.sequenceLength(p, pos, count)
                guard n > 0 else { throw error("invalid utf-8 in string", at: pos) }
                for k in 0..<n { out[w + k] = p[pos + k] }
                w += n
                pos += n
            }
        }
        throw error("unterminated string", at: open)
    }

    /// Decodes the escape at `pos` (a backslash) into `out[w...]`.
    private mutating func readEscape(_ out: UnsafeMutablePointer<UInt8>, _ w: inout Int) throws(RecordError) {
        let at = pos
        guard pos + 1 < count else { throw error("unterminated string", at: pos) }
        let e = p[pos + 1]
        pos += 2
        let simple: UInt8
        switch e {
        case 0x22: simple = 0x22
        case 0x5C: simple = 0x5C
        case 0x2F: simple = 0x2F
        case 0x62: simple = 0x08
        case 0x66: simple = 0x0C
        case 0x6E: simple = 0x0A
        case 0x72: simple = 0x0D
        case 0x74: simple = 0x09
        case 0x75:
            var scalar = try hex4(at)
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard pos + 1 < count, p[pos] == 0x5C, p[pos + 1] == 0x75 else {
                    throw error("invalid \\u escape: high surrogate without a low surrogate", at: at)
                }
                pos += 2
                let low = try hex4(pos - 2)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error("invalid \\u escape: high surrogate without a low surrogate", at: at)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw error("invalid \\u escape: lone low surrogate", at: at)
            }
            encode(scalar, out, &w)
            return
        default:
            throw error("invalid escape in string", at: at)
        }
        out[w] = simple
        w += 1
    }

    /// Four hex digits at `pos` (the escape started at `at`).
    private mutating func hex4(_ at: Int) throws(RecordError) -> UInt32 {
        guard pos + 4 <= count else { throw error("invalid \\u escape: expected four hex digits", at: at) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[pos + k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: throw error("invalid \\u escape: expected four hex digits", at: at)
            }
            v = v << 4 | UInt32(d)
        }
        pos += 4
        return v
    }

    /// Writes a Unicode scalar as UTF-8.
    private func encode(_ v: UInt32, _ out: UnsafeMutablePointer<UInt8>, _ w: inout Int) {
        if v < 0x80 {
            out[w] = UInt8(v)
            w += 1
        } else if v < 0x800 {
            out[w] = UInt8(0xC0 | v >> 6)
            out[w + 1] = UInt8(0x80 | v & 0x3F)
            w += 2
        } else if v < 0x10000 {
            out[w] = UInt8(0xE0 | v >> 12)
            out[w + 1] = UInt8(0x80 | v >> 6 & 0x3F)
            out[w + 2] = UInt8(0x80 | v & 0x3F)
            w += 3
        } else {
            out[w] = UInt8(0xF0 | v >> 18)
            out[w + 1] = UInt8(0x80 | v >> 12 & 0x3F)
            out[w + 2] = UInt8(0x80 | v >> 6 & 0x3F)
            out[w + 3] = UInt8(0x80 | v & 0x3F)
            w += 4
        }
    }
}

/// The keys met so far in one JSON object, to refuse a key that appears twice (RFC 8259 leaves duplicate
/// names' meaning open; a record whose `dash_risk` says both `high` and `standard` must not be guessed at).
/// Known keys cost one bit each; other keys go to the scanner's ``OtherKeys`` for the object's depth
/// (``JSONScanner/insertOther(_:_:)``), so this stays a plain value.
struct SeenKeys {
    private var known: UInt32 = 0
    /// Whether this object has had an unknown key (its depth's set then holds this object's keys).
    var hasOthers = false

    /// Records known key number `bit` (0..<32); false when it was already seen.
    @inline(__always)
    mutating func insert(known bit: Int) -> Bool {
        let m: UInt32 = 1 << UInt32(bit)
        if known & m != 0 { return false }
        known |= m
        return true
    }
}

/// The unknown keys of one object: a short list searched in order, then a set (so an object with
/// thousands of keys is not quadratic).
final class OtherKeys {
    private var list: [[UInt8]] = []
    private var set: Set<[UInt8]> = []

    /// Forgets every key (keeping storage).
    func removeAll() {
        list.removeAll(keepingCapacity: true)
        if !set.isEmpty { set.removeAll() }
    }

    /// False when `key` was already inserted.
    func insert(_ key: Bytes) -> Bool {
        if set.isEmpty {
            for k in list where k.count == key.count && k.elementsEqual(key) { return false }
            list.append(Array(key))
            if list.count > 16 { set = Set(list) }
            return true
        }
        return set.insert(Array(key)).inserted
    }
}
