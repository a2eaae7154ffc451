// libFuzzer target: the JSON Lines reader must never crash or hang on any bytes.
let fuzzZone = ZoneRules(identifier: "Europe/London")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for chunk in [5, 4096] {
        var reader = JSONLinesIncidentReader(
            source: ByteSource(bytes: bytes, chunkSize: chunk), name: "fuzz.jsonl", zone: fuzzZone, maxRecordBytes: 4096)
        var n = 0
        while (try? reader.next()) != nil {
            n += 1
            precondition(n <= size + 1, "more records than bytes")
        }
    }
    return 0
}
