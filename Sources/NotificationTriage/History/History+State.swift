/// A state file that cannot be used: corrupt, truncated, or of another format. It is refused, never
/// silently treated as an empty history.
public struct StateError: Error, Sendable, CustomStringConvertible {
    /// Where the problem was found (line 0 when it is about the whole file).
    public var location: SourceLocation
    /// What is wrong.
    public var message: String

    /// `file:line: message`.
    public var description: String { "\(location): \(message)" }
}

extension History {
    /// Version 2 added what each incident's latest version said (for re-sends) and the remembered ids;
    /// version 3 drops the victim–perpetrator pair table (pairs are found in the perpetrators' lists).
    /// Files of versions 1 and 2 still load: a version 1 file's incidents' versions are unknown and it
    /// remembers no ids beyond its events; the pair table of either is read for its form and dropped.
    static let stateMagic = "triage-state 3"
    static let stateMagicV2 = "triage-state 2"
    static let stateMagicV1 = "triage-state 1"

    /// The history as the bytes of a state file: text lines, ending in an FNV-1a checksum of everything
    /// before it, so a truncated or altered file is detected on load. The same history gives the same bytes.
    public func save() -> [UInt8] {
        var w = ByteWriter(capacity: 1 << 20)
        func line(_ s: String) {
            w.bytes.append(contentsOf: s.utf8)
            w.byte(0x0A)
        }
        line(History.stateMagic)
        line("window \(Int64(windowDays) * 86_400)")
        line("max \(maxTime)")
        line("nextseq \(nextSeq)")
        line("seen \(seen.count)")
        // ID SEQ TIME, then the version: ROUTES FLAGS SCORE CHILDREN RISK PREGNANT KNOWN.
        for (id, v) in seen.bySequence() {
            w.text(escapeKey(id))
            for n in [
                Int(v.seq), Int(v.time), Int(Int64(bitPattern: v.version.routes)), Int(v.version.flags.rawValue),
                Int(v.version.dashScore), Int(v.version.children), Int(v.version.dashRisk), v.version.pregnant ? 1 : 0,
                v.version.known ? 1 : 0,
            ] {
                w.byte(0x20)
                w.int(n)
            }
            w.byte(0x0A)
        }
        // Remembered ids: FINGERPRINT DAY, by fingerprint (the table's own order depends on its past).
        let kept = remembered.live(since: oldestRememberedDay).sorted { $0.fingerprint < $1.fingerprint }
        line("remembered \(kept.count)")
        for (fp, day) in kept {
            w.int(Int(Int64(bitPattern: fp)))
            w.byte(0x20)
            w.int(Int(day))
            w.byte(0x0A)
        }
        for kind in KeyKind.allCases {
            let table = tables[kind.rawValue]
            line("table \(kind.name) \(table.keys.count) \(table.free.count)")
            line("free" + table.free.map { " \($0)" }.joined())
            for i in table.keys.indices {
                // Replaced versions are not saved: nothing counts them.
                var count = 0
                forEach(kind, Int32(i)) { e in if !e.superseded { count += 1 } }
                w.raw("slot ")
                w.text(table.keys[i].isEmpty ? "-" : escapeKey(table.keys[i]))
                w.byte(0x20)
                w.int(count)
                w.byte(0x0A)
                forEach(kind, Int32(i)) { e in
                    guard !e.superseded else { return }
                    // Integers as bytes; the weight in Swift's shortest round-trip form, so it loads exactly.
                    w.int(Int(e.time))
                    w.byte(0x20)
                    w.text(e.weight.description)
                    w.byte(0x20)
                    w.int(Int(e.seq))
                    w.byte(0x20)
                    w.int(Int(e.victim))
                    w.byte(0x20)
                    w.int(Int(e.household))
                    w.raw(e.marac ? " 1\n" : " 0\n")
                }
            }
        }
        line("end")
        let sum = fnv1a64Hex(w.bytes)
        line("checksum \(sum)")
        return w.bytes
    }

    /// Loads a history saved by ``save()``, for screening under `policy`.
    /// - Throws: ``StateError`` when the file is not a complete, unaltered state file.
    public init(state bytes: [UInt8], source: String, policy: Policy) throws(StateError) {
        self.init(policy: policy)
        // Split off and verify the checksum line first.
        guard bytes.last == 0x0A else {
            throw StateError(
                location: .init(source: source, line: 0), message: "state file is truncated (no final line end): refusing to use it")
        }
        var end = bytes.count - 1
        while end > 0 && bytes[end - 1] != 0x0A { end -= 1 }
        let last = String(decoding: bytes[end..<(bytes.count - 1)], as: UTF8.self)
        guard last.hasPrefix("checksum ") else {
            throw StateError(
                location: .init(source: source, line: 0),
                message: "state file is truncated or not a state file (no checksum line): refusing to use it")
        }
        guard String(last.dropFirst(9)) == fnv1a64Hex(bytes[0..<end]) else {
            throw StateError(
                location: .init(source: source, line: 0),
                message: "state file checksum does not match: the file is corrupt or was edited; refusing to use it")
        }
        // Lines are read in place as byte ranges and split at spaces: no `String` per line, no copy of the
        // file (a year of national history is millions of lines).
        var lines = StateLines(bytes: bytes, end: end, source: source)

        try lines.next()
        let magic = String(
            decoding: bytes[lines.fields[0].lowerBound..<lines.fields[lines.fields.count - 1].upperBound], as: UTF8.self)
        guard magic == History.stateMagic || magic == History.stateMagicV2 || magic == History.stateMagicV1 else {
            throw lines.bad("'\(History.stateMagic)' on the first line")
        }
        let v2 = magic != History.stateMagicV1  // version 2 or later: versions and remembered ids
        try lines.next()
        guard lines.fields.count == 2, lines.isWord(0, "window") else { throw lines.bad("'window SECONDS'") }
        let _: Int64 = try lines.int(1, "window seconds")
        try lines.next()
        guard lines.fields.count == 2, lines.isWord(0, "max") else { throw lines.bad("'max TIME'") }
        maxTime = try lines.int(1, "max time")
        if maxTime != .min { maxDay = policy.zone.local(Instant(seconds: maxTime)).date.dayNumber }
        oldestLinked = .min  // not known until the first sweep
        try lines.next()
        guard lines.fields.count == 2, lines.isWord(0, "nextseq") else { throw lines.bad("'nextseq N'") }
        nextSeq = try lines.int(1, "next sequence number")
        try lines.next()
        guard lines.fields.count == 2, lines.isWord(0, "seen") else { throw lines.bad("'seen COUNT'") }
        let seenCount: Int = try lines.int(1, "seen count")
        guard seenCount <= end else { throw lines.bad("a seen count no larger than the file") }
        seen.reserveCapacity(seenCount)
        for _ in 0..<seenCount {
            try lines.next()
            guard lines.fields.count == (v2 ? 10 : 3), let id = unescapeKey(Substring(lines.text(0))) else {
                throw lines.bad(v2 ? "'ID SEQ TIME ROUTES FLAGS SCORE CHILDREN RISK PREGNANT KNOWN'" : "'ID SEQ TIME'")
            }
            var value = SeenIncident(seq: try lines.int(1, "sequence number"), time: try lines.int(2, "time"))
            if v2 {
                let routes: Int64 = try lines.int(3, "routes")
                value.version = IncidentVersion(
                    routes: UInt64(bitPattern: routes), flags: RiskFlags(rawValue: try lines.int(4, "flags")),
                    dashScore: try lines.int(5, "DASH score"), children: try lines.int(6, "children"),
                    dashRisk: try lines.int(7, "DASH risk"), pregnant: lines.isWord(8, "1"), known: lines.isWord(9, "1"))
                guard Int(value.version.dashRisk) < DashRisk.allCases.count else { throw lines.bad("a DASH risk rank") }
            }
            // An id listed twice (a hand-edited file) keeps its first place in the forgetting order.
            if let s = seen.slot(id, hash: IncidentIDTable.hash(id)) {
                seen.setValue(value, atSlot: s)
            } else {
                seenOrder.append(seen.insert(id, value))
            }
        }
        if v2 {
            try lines.next()
            guard lines.fields.count == 2, lines.isWord(0, "remembered") else { throw lines.bad("'remembered COUNT'") }
            let n: Int = try lines.int(1, "remembered count")
            guard n <= end else { throw lines.bad("a remembered count no larger than the file") }
            for _ in 0..<n {
                try lines.next()
                guard lines.fields.count == 2 else { throw lines.bad("'FINGERPRINT DAY'") }
                let fp: Int64 = try lines.int(0, "fingerprint")
                guard fp != 0 else { throw lines.bad("a fingerprint other than 0") }
                remembered.insert(fingerprint: UInt64(bitPattern: fp), day: try lines.int(1, "day"), oldestDay: oldestRememberedDay)
            }
        }
        // The file lists each incident's event under every key it is linked to; loaded, they are one event
        // again (found by sequence number), so the copies must agree and each kind but children may link
        // it once.
        var eventOfSeq: [UInt32: Int32] = [:]
        var linkedKinds: [UInt8] = []
        for kind in KeyKind.allCases {
            try lines.next()
            guard lines.fields.count == 4, lines.isWord(0, "table"), lines.text(1) == kind.name else {
                throw lines.bad("'table \(kind.name) SLOTS FREE'")
            }
            let slotCount: Int = try lines.int(2, "slot count")
            guard slotCount <= end else { throw lines.bad("a slot count no larger than the file") }
            tables[kind.rawValue] = KeyTable()
            try lines.next()
            guard lines.isWord(0, "free") else { throw lines.bad("'free ...'") }
            var free: [Int32] = []
            for i in 1..<lines.fields.count { free.append(try lines.int(i, "free slot")) }
            tables[kind.rawValue].free = free
            tables[kind.rawValue].keys.reserveCapacity(slotCount)
            tables[kind.rawValue].ends.reserveCapacity(slotCount)
            for _ in 0..<slotCount {
                try lines.next()
                guard lines.fields.count == 3, lines.isWord(0, "slot") else { throw lines.bad("'slot KEY COUNT'") }
                let key = lines.isWord(1, "-") ? "" : unescapeKey(Substring(lines.text(1)))
                guard let key else { throw lines.bad("an escaped key") }
                let n: Int = try lines.int(2, "event count")
                // An empty slot holds no events: no key can reach them, and no sweep would ever prune them.
                guard !key.isEmpty || n == 0 else { throw lines.bad("no events in an empty slot ('-')") }
                let slot = Int32(tables[kind.rawValue].keys.count)
                tables[kind.rawValue].keys.append(key)
                tables[kind.rawValue].ends.append(SlotEnds())
                for _ in 0..<n {
                    try lines.next()
                    guard lines.fields.count == 6, let weight = Double(lines.text(1)) else {
                        throw lines.bad("'TIME WEIGHT SEQ VICTIM HOUSEHOLD MARAC'")
                    }
                    let time: Int64 = try lines.int(0, "time")
                    let event = HistoryEvent(
                        time: time, day: policy.zone.local(Instant(seconds: time)).date.dayNumber, weight: weight,
                        seq: try lines.int(2, "seq"),
                        victim: try lines.int(3, "victim"),
                        household: try lines.int(4, "household"), marac: lines.isWord(5, "1"))
                    let e: Int32
                    if let known = eventOfSeq[event.seq] {
                        guard events[known] == event else {
                            throw lines.bad(
                                "the same time, weight, victim, household and MARAC flag as incident \(event.seq) has under its other keys")
                        }
                        e = known
                    } else {
                        e = events.append(event, time: event.time)
                        eventOfSeq[event.seq] = e
                        linkedKinds.append(0)
                    }
                    if kind != .child {
                        let bit = UInt8(1) << UInt8(kind.link)
                        guard linkedKinds[Int(e)] & bit == 0 else {
                            throw lines.bad("incident \(event.seq) under one \(kind.name) only")
                        }
                        linkedKinds[Int(e)] |= bit
                    }
                    link(e, kind, slot)
                }
            }
            let table = tables[kind.rawValue]
            // A free slot must be a real, empty slot, listed once: anything else would later overwrite a
            // live key.
            var listed = Set<Int32>()
            for f in table.free {
                guard f >= 0, Int(f) < table.keys.count, table.keys[Int(f)].isEmpty, table.isEmpty(f), listed.insert(f).inserted
                else { throw lines.bad("free slots that are empty slots of the table, each listed once") }
            }
            // A live key is listed once (two slots for one key would split its history).
            if Set(table.keys.filter { !$0.isEmpty }).count != table.liveKeys {
                throw lines.bad("each key in one slot only")
            }
            tables[kind.rawValue].index.rebuild(keys: table.keys)
        }
        if magic != History.stateMagic { try History.skipPairTable(&lines) }
        try lines.next()
        guard lines.fields.count == 1, lines.isWord(0, "end") else { throw lines.bad("'end'") }
        // Each id's latest version is the event of its sequence number.
        for s in seenOrder {
            var v = seen.value(atSlot: s)
            v.event = eventOfSeq[v.seq] ?? -1
            seen.setValue(v, atSlot: s)
        }
    }
}

extension History {
    /// Reads past the victim–perpetrator pair table of a version 1 or 2 state file, checking its form: the
    /// pairs are now found from the perpetrators' lists, which hold the same incidents.
    static func skipPairTable(_ lines: inout StateLines) throws(StateError) {
        try lines.next()
        guard lines.fields.count == 4, lines.isWord(0, "table"), lines.isWord(1, "pair") else {
            throw lines.bad("'table pair SLOTS FREE'")
        }
        let slotCount: Int = try lines.int(2, "slot count")
        guard slotCount <= lines.end else { throw lines.bad("a slot count no larger than the file") }
        try lines.next()
        guard lines.isWord(0, "free") else { throw lines.bad("'free ...'") }
        for _ in 0..<slotCount {
            try lines.next()
            guard lines.fields.count == 3, lines.isWord(0, "slot") else { throw lines.bad("'slot KEY COUNT'") }
            let n: Int = try lines.int(2, "event count")
            guard n <= lines.end else { throw lines.bad("an event count no larger than the file") }
            for _ in 0..<n {
                try lines.next()
                guard lines.fields.count == 6 else { throw lines.bad("'TIME WEIGHT SEQ VICTIM HOUSEHOLD MARAC'") }
            }
        }
    }
}

/// Reads a state file's lines in place, as byte ranges split at spaces.
struct StateLines {
    let bytes: [UInt8]
    let end: Int
    let source: String
    var position = 0
    var lineNo = 0
    var fields: [Range<Int>] = []

    init(bytes: [UInt8], end: Int, source: String) {
        self.bytes = bytes
        self.end = end
        self.source = source
        fields.reserveCapacity(8)
    }

    mutating func next() throws(StateError) {
        guard position < end else {
            throw StateError(location: .init(source: source, line: lineNo), message: "state file ends early")
        }
        lineNo += 1
        fields.removeAll(keepingCapacity: true)
        var start = position
        var p = position
        bytes.withUnsafeBufferPointer { buf in
            while p < end && buf[p] != 0x0A {
                if buf[p] == 0x20 {
                    fields.append(start..<p)
                    start = p + 1
                }
                p += 1
            }
        }
        fields.append(start..<p)
        position = p + 1
    }

    func bad(_ what: String) -> StateError {
        StateError(location: .init(source: source, line: lineNo), message: "malformed state file: expected \(what)")
    }

    func isWord(_ i: Int, _ text: StaticString) -> Bool {
        text.withUTF8Buffer { bytes[fields[i]].elementsEqual($0) }
    }

    func text(_ i: Int) -> String { String(decoding: bytes[fields[i]], as: UTF8.self) }

    /// A decimal integer, range-checked (a crafted file cannot overflow it).
    func int<T: FixedWidthInteger>(_ i: Int, _ what: String) throws(StateError) -> T {
        let r = fields[i]
        var it = r.lowerBound
        var negative = false
        if it < r.upperBound && bytes[it] == UInt8(ascii: "-") {
            negative = true
            it += 1
        }
        guard it < r.upperBound else { throw bad(what) }
        // The magnitude as unsigned, so that Int64.min (an empty history's latest time) reads back.
        var v: UInt64 = 0
        while it < r.upperBound {
            let d = bytes[it] &- UInt8(ascii: "0")
            let (times10, o1) = v.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
            guard d < 10, !o1, !o2 else { throw bad(what) }
            v = sum
            it += 1
        }
        let result: T?
        if negative {
            result = v <= UInt64(Int64.max) ? T(exactly: -Int64(v)) : (v == UInt64(Int64.max) + 1 ? T(exactly: Int64.min) : nil)
        } else {
            result = T(exactly: v)
        }
        guard let result else { throw bad(what) }
        return result
    }
}

/// Percent-encodes bytes that would break the line format (space, control bytes, `%`).
func escapeKey(_ s: String) -> String {
    if s.utf8.allSatisfy({ $0 > 0x20 && $0 != UInt8(ascii: "%") && $0 != 0x7F }) { return s }
    var out: [UInt8] = []
    let hex = Array("0123456789ABCDEF".utf8)
    for b in s.utf8 {
        if b > 0x20 && b != UInt8(ascii: "%") && b != 0x7F {
            out.append(b)
        } else {
            out.append(UInt8(ascii: "%"))
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
    }
    return String(decoding: out, as: UTF8.self)
}

func unescapeKey(_ s: Substring) -> String? {
    if !s.utf8.contains(UInt8(ascii: "%")) { return String(s) }
    var out: [UInt8] = []
    var it = Array(s.utf8)[...]
    while let b = it.popFirst() {
        if b == UInt8(ascii: "%") {
            guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            out.append(v)
            it = it.dropFirst(2)
        } else {
            out.append(b)
        }
    }
    return String(decoding: out, as: UTF8.self)
}
