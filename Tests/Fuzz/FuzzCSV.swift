// libFuzzer target: the CSV reader must never crash, hang or lose a record on any bytes.
//
// Oracles that can see silent loss, worked out here without the reader's scanner:
// - every physical line is counted once: the lines of the records plus the header and blank lines equal the
//   line feeds of the input (plus one for a last line without one);
// - the result does not depend on the read chunk size;
// - on an input without quotes, the records are bounded by those a plain split gives: data lines that are
//   not blank, adjacent lines with the same (trimmed, non-empty) incident id forming one record at most, and
//   at least one per run of such lines whose columns other than `child_*` are byte for byte those of the
//   run's first line (a same-id line that reads differently is the next version of the incident);
// - on an input without quotes, one quote opened at a field start (after a comma) in a data line costs at
//   most the incident that line belongs to: every incident read without the quote is still read, at the
//   same line, unless it has the incident id of the reject holding the damaged
//   line (the reject starting last at or before it): rows of one id that the damaged record now joins are
//   one incident.
let fuzzZone = ZoneRules(identifier: "Europe/London")!

struct Read: Equatable {
    var incidents: [String] = []
    var rejects: [String] = []
    var lines = 0
}

/// Incidents and rejects (as `line id` texts) and lines counted by the reader; nil when it stopped.
func readCSV(_ bytes: [UInt8], chunk: Int) -> Read? {
    guard
        var reader = try? CSVIncidentReader(
            source: ByteSource(bytes: bytes, chunkSize: chunk), name: "fuzz.csv", zone: fuzzZone, maxRecordBytes: 4096)
    else { return nil }
    var out = Read()
    while true {
        let r: InputRecord?
        do { r = try reader.next() } catch { return nil }
        guard let r else { break }
        out.lines += reader.recordLines
        switch r {
        case .incident(let i, let l): out.incidents.append("\(l.line) \(i.incidentID)")
        case .reject(let j):
            precondition(j.location.line >= 1)
            out.rejects.append("\(j.location.line) \(j.incidentID ?? "")")
        }
        precondition(out.incidents.count + out.rejects.count <= bytes.count + 1, "more records than bytes")
    }
    out.lines += reader.otherLines
    return out
}

/// The fewest and the most records a plain split of a quote-free input allows, without the reader's scanner:
/// nil when the header has no `incident_id` column by that exact name or a line is long enough for the size
/// limits to apply.
func splitRecords(_ bytes: [UInt8]) -> ClosedRange<Int>? {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
    if bytes.last == 0x0A { lines.removeLast() }
    var header: [String]? = nil
    var idIndex = -1
    var groups = 0
    var versions = 0
    var previous: [UInt8]? = nil
    var versionStart: [[UInt8]] = []
    var childColumn: [Bool] = []
    for var line in lines {
        if line.count > 1024 { return nil }
        if line.last == 0x0D { line.removeLast() }
        if line.isEmpty { continue }
        let fields = line.split(separator: 0x2C, omittingEmptySubsequences: false).map { Array($0) }
        guard header != nil else {
            let names = fields.map { String(decoding: $0, as: UTF8.self).trimmingBlanks.lowercased() }
            guard names.filter({ $0 == "incident_id" }).count == 1 else { return nil }
            header = names
            idIndex = names.firstIndex(of: "incident_id")!
            childColumn = names.map { $0.hasPrefix("child_") }
            continue
        }
        let incidentLevel = fields.indices.filter { $0 >= childColumn.count || !childColumn[$0] }.map { fields[$0] }
        var id: [UInt8]? = nil
        if idIndex < fields.count {
            let f = fields[idIndex]
            let t = Array(f.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed())
            if !t.isEmpty && String(validating: t, as: UTF8.self) != nil { id = t }
        }
        if id == nil || id != previous {
            groups += 1
            versions += 1
            versionStart = incidentLevel
        } else if incidentLevel != versionStart {
            versions += 1
            versionStart = incidentLevel
        }
        previous = id
    }
    return header == nil ? nil : groups...versions
}

extension String {
    var trimmingBlanks: String {
        var t = Substring(self)
        while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
        while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }
        return String(t)
    }
}

/// Physical lines as `wc -l` counts them, plus one for a last line without a line feed.
func physicalLines(_ bytes: [UInt8]) -> Int {
    bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (bytes.last.map { $0 == 0x0A ? 0 : 1 } ?? 0)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var whole: Read? = nil
    for chunk in [7, 4096] {
        guard let got = readCSV(bytes, chunk: chunk) else { continue }
        precondition(got.lines == physicalLines(bytes), "lines lost or counted twice")
        if let w = whole { precondition(w == got, "chunk size changed the result") }
        whole = got
    }
    guard let original = whole, !bytes.contains(0x22) else { return 0 }
    if let expected = splitRecords(bytes) {
        precondition(expected.contains(original.incidents.count + original.rejects.count), "records differ from a plain split")
    }
    // One stray quote in a quote-free file.
    guard let firstLF = bytes.firstIndex(of: 0x0A) else { return 0 }
    let commas = bytes.indices.filter { $0 > firstLF && bytes[$0] == 0x2C }
    guard !commas.isEmpty else { return 0 }
    let at = commas[size % commas.count] + 1
    let damagedLine = bytes[..<at].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    var damaged = bytes
    damaged.insert(0x22, at: at)
    guard let got = readCSV(damaged, chunk: 4096) else { return 0 }
    precondition(got.lines == physicalLines(damaged), "lines lost or counted twice after a stray quote")
    // (Rejects may move: a damaged record can take in a broken row of the next incident, which was a
    // reject anyway, so that incident's other rows are rejected at another line. Incidents may not.)
    let holding = got.rejects.filter { Int($0.prefix { $0 != " " })! <= damagedLine }.max {
        Int($0.prefix { $0 != " " })! < Int($1.prefix { $0 != " " })!
    }
    let spared = holding.map { String($0.drop { $0 != " " }) }  // " id"
    for incident in original.incidents where !got.incidents.contains(incident) {
        precondition(spared != nil && incident.hasSuffix(spared!), "a stray quote lost an incident not its own")
    }
    return 0
}
