// libFuzzer target: the CSV reader must never crash, hang or lose a record on any bytes.
let fuzzZone = ZoneRules(identifier: "Europe/London")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for chunk in [7, 4096] {
        guard
            var reader = try? CSVIncidentReader(
                source: ByteSource(bytes: bytes, chunkSize: chunk), name: "fuzz.csv", zone: fuzzZone, maxRecordBytes: 4096)
        else { continue }
        var n = 0
        while let r = try? reader.next() {
            n += 1
            if case .reject(let j) = r { precondition(j.location.line >= 1) }
            precondition(n <= size + 1, "more records than bytes")
        }
    }
    return 0
}
