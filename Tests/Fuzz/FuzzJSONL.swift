import Foundation

// libFuzzer target: the JSON Lines reader must never crash or hang on any bytes, and must never yield an
// incident for a line whose top-level object repeats a key. That oracle is independent of the reader:
// Foundation's JSONSerialization must accept the line as an object (it keeps the last of repeated keys),
// then a plain scan lists the object's top-level keys, each decoded by JSONSerialization and compared
// by its UTF-8 bytes.
let fuzzZone = ZoneRules(identifier: "Europe/London")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let lines = fuzzLines(bytes)
    for chunk in [5, 4096] {
        var reader = JSONLinesIncidentReader(
            source: ByteSource(bytes: bytes, chunkSize: chunk), name: "fuzz.jsonl", zone: fuzzZone, maxRecordBytes: 4096)
        var n = 0
        while let record = try? reader.next() {
            n += 1
            precondition(n <= size + 1, "more records than bytes")
            if case .incident(_, let at) = record {
                precondition(at.line >= 1 && at.line <= lines.count, "incident at a line that does not exist")
                precondition(!hasRepeatedTopLevelKey(lines[at.line - 1]), "incident read from a line with a repeated key")
            }
        }
    }
    return 0
}

/// The input's lines as the reader numbers them (split at line feeds; a leading byte-order mark dropped).
func fuzzLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    return body.split(separator: 0x0A, omittingEmptySubsequences: false)
}

/// Whether `line` is a JSON object (as Foundation reads it) with a top-level key that appears twice.
func hasRepeatedTopLevelKey(_ line: ArraySlice<UInt8>) -> Bool {
    guard (try? JSONSerialization.jsonObject(with: Data(line))) is [String: Any] else { return false }
    var keys: [[UInt8]] = []
    var depth = 0
    var i = line.startIndex
    while i < line.endIndex {
        let c = line[i]
        if c == 0x22 {  // a string: find its closing quote
            let start = i
            i += 1
            while line[i] != 0x22 { i += line[i] == 0x5C ? 2 : 1 }
            let end = i + 1
            var j = end
            while j < line.endIndex, [0x20, 0x09, 0x0D, 0x0A].contains(line[j]) { j += 1 }
            if depth == 1, j < line.endIndex, line[j] == 0x3A {
                let literal = Data([0x5B] + line[start..<end] + [0x5D])
                guard let decoded = (try? JSONSerialization.jsonObject(with: literal)) as? [String], decoded.count == 1 else {
                    return false
                }
                let key = Array(decoded[0].utf8)
                if keys.contains(key) { return true }
                keys.append(key)
            }
            i = end
            continue
        }
        if c == 0x7B || c == 0x5B { depth += 1 }
        if c == 0x7D || c == 0x5D { depth -= 1 }
        i += 1
    }
    return false
}
