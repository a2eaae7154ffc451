/// The buffers an encoder reuses from one decision to the next: the wording's (the text, the explanation's
/// working lists, the facts of the scope in hand) and the text of the deadlines written lately. Whoever
/// encodes many decisions under one policy (a sink) keeps one; a policy's zone is assumed throughout.
package struct EncoderScratch {
    var text = ByteWriter(capacity: 0)
    var explanation = ExplanationScratch()
    var numbers: [Double] = []
    var deadlines = InstantTexts()
    /// When set, each decision line written keeps its reasons' and history's bytes here, for the
    /// destinations' lines to copy (see ``WordedBatch``).
    package var keep: WordedBatch? = nil
    /// Set by a caller that writes all of one decision's routes before the next decision's (a sink), a new
    /// number for each decision: while it stays the same, the JSON lines of the decision's routes share the
    /// bytes of its incident-level fields, written once. 0, as it starts: nothing is shared.
    package var decisionSerial = 0
    /// The incident-level fields of the last JSON destination line, as written (see ``decisionSerial``).
    var incidentPart = LinePart()
    /// The children array of the last JSON destination line for no one child (all the incident's children),
    /// as written: the same for the decision's other such lines with the same child fields.
    var childrenPart = LinePart()

    package init() {}
}

/// The bytes of a JSON destination line's incident-level part (from `,"resend":` to the last incident-level
/// field), or of its children array: the same for every route of a decision to destinations with the same
/// fields, in the same order (for the children, every route for no one child).
struct LinePart {
    /// The ``EncoderScratch/decisionSerial`` they were written for, and the fields they hold.
    var serial = 0
    var fields: [OutputField] = []
    var bytes: [UInt8] = []

    /// Whether they are those of decision `serial` with `fields`.
    @inline(__always)
    func holds(_ serial: Int, _ fields: [OutputField]) -> Bool { serial != 0 && self.serial == serial && self.fields == fields }

    /// Keeps `written[from...]` as the part of decision `serial` with `fields` (nothing for serial 0).
    mutating func keep(_ serial: Int, _ fields: [OutputField], _ written: [UInt8], from: Int) {
        guard serial != 0 else { return }
        self.serial = serial
        if self.fields != fields { self.fields = fields }
        bytes.removeAll(keepingCapacity: true)
        written.withUnsafeBufferPointer { bytes.append(copying: UnsafeBufferPointer(rebasing: $0[from...])) }
    }
}

/// The ISO 8601 text of the last few instants written, by instant: most routes share a handful of deadlines
/// (the next school day at 08:30, the next working day at 17:00), so each deadline's text is made once and
/// copied after. Direct-mapped, 16 entries of at most 25 bytes (the fixed layout); anything longer is not
/// kept.
struct InstantTexts {
    private static let entries = 16
    private static let width = 25
    private var keys: [Int64] = []
    private var lengths: [UInt8] = []
    private var texts: [UInt8] = []

    /// Appends `instant` as `zone.appendISO8601` writes it.
    mutating func append(_ instant: Instant, zone: ZoneRules, to w: inout ByteWriter) {
        w.write(atMost: ZoneRules.maxISO8601Count) { put(instant, zone: zone, &$0) }
    }

    /// Writes `instant` as `zone.appendISO8601` writes it through a cursor with room for
    /// `ZoneRules.maxISO8601Count` bytes.
    mutating func put(_ instant: Instant, zone: ZoneRules, _ c: inout ByteCursor) {
        if keys.isEmpty {
            keys.append(contentsOf: repeatElement(Int64.min, count: Self.entries))
            lengths.append(contentsOf: repeatElement(0, count: Self.entries))
            texts.append(contentsOf: repeatElement(0, count: Self.entries * Self.width))
        }
        let s = instant.seconds
        // Deadlines fall on whole minutes: the minute's low bits pick the entry.
        let e = Int(truncatingIfNeeded: (s / 60) ^ (s / 86_400)) & (Self.entries - 1)
        let at = e * Self.width
        if keys[e] == s {
            texts.withUnsafeBufferPointer { c.put(UnsafeBufferPointer(rebasing: $0[at..<(at + Int(lengths[e]))])) }
            return
        }
        let start = c.p
        zone.putISO8601(instant, &c)
        let n = c.p - start
        guard n <= Self.width else { return }
        keys[e] = s
        lengths[e] = UInt8(n)
        texts.withUnsafeMutableBufferPointer { dst in
            (dst.baseAddress! + at).update(from: start, count: n)
        }
    }
}
