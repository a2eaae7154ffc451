// libFuzzer target: the whole screen path (CSV bytes -> reader -> screener -> JSON -> state) never crashes,
// and nothing is lost, checked against counts made here rather than the reader's: one JSON line out per
// incident screened, and every physical input line counted once (in a record, or as a header or blank line).
let fuzzPolicy = Policy.default

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScreen(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard var reader = try? CSVIncidentReader(source: ByteSource(bytes: bytes), name: "fuzz.csv", zone: fuzzPolicy.zone) else { return 0 }
    var screener = Screener(policy: fuzzPolicy)
    let encoder = DecisionEncoder(policy: fuzzPolicy)
    var out: [UInt8] = []
    var screened = 0
    var lines = 0
    while true {
        let next: InputRecord?
        do { next = try reader.next() } catch { return 0 }
        guard let r = next else { break }
        lines += reader.recordLines
        if case .incident(let i, _) = r {
            encoder.appendJSONLine(screener.screen(i), to: &out)
            screened += 1
        }
    }
    let physical = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (bytes.last.map { $0 == 0x0A ? 0 : 1 } ?? 0)
    precondition(lines + reader.otherLines == physical, "input lines lost or counted twice")
    precondition(out.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } == screened, "a decision line lost")
    let saved = screener.history.save()
    _ = try! History(state: saved, source: "s", policy: fuzzPolicy)
    return 0
}
