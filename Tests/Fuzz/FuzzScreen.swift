// libFuzzer target: the whole screen path (CSV bytes -> reader -> screener -> JSON) never crashes, and
// every record is screened or rejected.
let fuzzPolicy = Policy.default

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScreen(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard var reader = try? CSVIncidentReader(source: ByteSource(bytes: bytes), name: "fuzz.csv", zone: fuzzPolicy.zone) else { return 0 }
    var screener = Screener(policy: fuzzPolicy)
    let encoder = DecisionEncoder(policy: fuzzPolicy)
    var out: [UInt8] = []
    var screened = 0
    var rejected = 0
    var read = 0
    while let r = try? reader.next() {
        read += 1
        switch r {
        case .incident(let i, _):
            encoder.appendJSONLine(screener.screen(i), to: &out)
            screened += 1
        case .reject: rejected += 1
        }
    }
    precondition(read == screened + rejected)
    let saved = screener.history.save()
    _ = try! History(state: saved, source: "s", policy: fuzzPolicy)
    return 0
}
