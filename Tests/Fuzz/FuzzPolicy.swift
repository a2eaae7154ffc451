// libFuzzer target: the policy parser and validator must never crash on any text; every error has a location.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let p = try Policy(yaml: text, source: "fuzz.yaml")
        _ = p.explanation
    } catch {
        for e in error.errors { precondition(e.location.line >= 1 && !e.message.isEmpty) }
    }
    return 0
}
