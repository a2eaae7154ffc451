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
    static let stateMagic = "triage-state 1"

    /// The history as the bytes of a state file: text lines, ending in an FNV-1a checksum of everything
    /// before it, so a truncated or altered file is detected on load. The same history gives the same bytes.
    public func save() -> [UInt8] {
        var w = ByteWriter(capacity: 1 << 20)
        func line(_ s: String) {
            w.bytes.append(contentsOf: s.utf8)
            w.byte(0x0A)
        }
        line(History.stateMagic)
        line("window \(windowSeconds)")
        line("max \(maxTime)")
        line("nextseq \(nextSeq)")
        line("seen \(seen.count)")
        for (id, v) in seen.sorted(by: { $0.value.seq < $1.value.seq }) {
            line("\(escapeKey(id)) \(v.seq) \(v.time)")
        }
        for kind in KeyKind.allCases {
            let table = tables[kind.rawValue]
            line("table \(kind.name) \(table.keys.count) \(table.free.count)")
            line("free" + table.free.map { " \($0)" }.joined())
            for i in table.keys.indices {
                let evs = table.events(Int32(i))
                line("slot \(table.keys[i].isEmpty ? "-" : escapeKey(table.keys[i])) \(evs.count)")
                for e in evs {
                    line("\(e.time) \(e.weight) \(e.seq) \(e.victim) \(e.household) \(e.marac ? 1 : 0)")
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
        guard String(last.dropFirst(9)) == fnv1a64Hex(Array(bytes[0..<end])) else {
            throw StateError(
                location: .init(source: source, line: 0),
                message: "state file checksum does not match: the file is corrupt or was edited; refusing to use it")
        }
        var lines = bytes[0..<end].split(separator: 0x0A, omittingEmptySubsequences: false).makeIterator()
        var lineNo = 0
        func next() throws(StateError) -> [Substring] {
            guard let l = lines.next() else {
                throw StateError(location: .init(source: source, line: lineNo), message: "state file ends early")
            }
            lineNo += 1
            return String(decoding: l, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        }
        func bad(_ what: String) -> StateError {
            StateError(location: .init(source: source, line: lineNo), message: "malformed state file: expected \(what)")
        }
        func int<T: FixedWidthInteger>(_ s: Substring, _ what: String) throws(StateError) -> T {
            guard let v = T(s) else { throw bad(what) }
            return v
        }
        guard try next().joined(separator: " ") == History.stateMagic else { throw bad("'\(History.stateMagic)' on the first line") }
        var f = try next()
        guard f.count == 2, f[0] == "window" else { throw bad("'window SECONDS'") }
        let savedWindow: Int64 = try int(f[1], "window seconds")
        _ = savedWindow
        f = try next()
        guard f.count == 2, f[0] == "max" else { throw bad("'max TIME'") }
        maxTime = try int(f[1], "max time")
        f = try next()
        guard f.count == 2, f[0] == "nextseq" else { throw bad("'nextseq N'") }
        nextSeq = try int(f[1], "next sequence number")
        f = try next()
        guard f.count == 2, f[0] == "seen" else { throw bad("'seen COUNT'") }
        let seenCount: Int = try int(f[1], "seen count")
        seen.reserveCapacity(seenCount)
        for _ in 0..<seenCount {
            f = try next()
            guard f.count == 3, let id = unescapeKey(f[0]) else { throw bad("'ID SEQ TIME'") }
            let seq: UInt32 = try int(f[1], "sequence number")
            let time: Int64 = try int(f[2], "time")
            seen[id] = (seq, time)
            seenOrder.append((id, time))
        }
        for kind in KeyKind.allCases {
            f = try next()
            guard f.count == 4, f[0] == "table", f[1] == Substring(kind.name) else { throw bad("'table \(kind.name) SLOTS FREE'") }
            let slotCount: Int = try int(f[2], "slot count")
            var table = KeyTable()
            f = try next()
            guard f.first == "free" else { throw bad("'free ...'") }
            for s in f.dropFirst() { table.free.append(try int(s, "free slot")) }
            table.keys.reserveCapacity(slotCount)
            table.heads.reserveCapacity(slotCount)
            table.tails.reserveCapacity(slotCount)
            for i in 0..<slotCount {
                f = try next()
                guard f.count == 3, f[0] == "slot" else { throw bad("'slot KEY COUNT'") }
                let key = f[1] == "-" ? "" : unescapeKey(f[1])
                guard let key else { throw bad("an escaped key") }
                let n: Int = try int(f[2], "event count")
                var evs: [HistoryEvent] = []
                evs.reserveCapacity(n)
                for _ in 0..<n {
                    f = try next()
                    guard f.count == 6, let w = Double(f[1]) else { throw bad("'TIME WEIGHT SEQ VICTIM HOUSEHOLD MARAC'") }
                    evs.append(
                        HistoryEvent(
                            time: try int(f[0], "time"), weight: w, seq: try int(f[2], "seq"), victim: try int(f[3], "victim"),
                            household: try int(f[4], "household"), marac: f[5] == "1"))
                }
                table.appendSlot(key: key, events: evs)
            }
            table.index.rebuild(keys: table.keys)
            tables[kind.rawValue] = table
        }
        guard try next() == ["end"] else { throw bad("'end'") }
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
    if !s.contains("%") { return String(s) }
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
