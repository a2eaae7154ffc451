/// The policy's destination and rule ids as JSON strings (quoted, escaped as they need), made once per
/// encoder: a route's destination and rules are written from these bytes, rather than each id being read
/// from its string (retained and released) and scanned for escapes on every line.
///
/// A route names them by the strings the policy holds (the screener copies them from it); those are
/// recognised as the very same strings (same storage, or the same small string), which costs a compare of
/// two words. An id that is not one of them (a route made or changed through the library) is written from
/// its string as before, so the output never depends on where a route came from.
struct PolicyIDsJSON: Sendable {
    private let bytes: [UInt8]
    /// Id `k` is `bytes[starts[k]..<starts[k + 1]]`: the destinations' in policy order, then the rules'.
    private let starts: [Int]
    private let destinationIDs: [String]
    private let ruleIDs: [String]

    init(policy: Policy) {
        destinationIDs = policy.destinations.map(\.id)
        ruleIDs = policy.rules.map(\.id)
        var w = ByteWriter(capacity: 1024)
        var starts = [0]
        for id in destinationIDs + ruleIDs {
            w.jsonString(id)
            starts.append(w.bytes.count)
        }
        self.bytes = w.bytes
        self.starts = starts
    }

    /// The route's destination id, as a JSON string.
    @inline(__always)
    func putDestination(of route: UnsafePointer<Route>, _ c: inout ByteCursor) {
        let d = route.pointee.destinationIndex
        if d >= 0 && d < destinationIDs.count && route.pointee.destination.isSameRepresentation(as: destinationIDs[d]) {
            put(d, &c)
        } else {
            c.jsonString(route.pointee.destination)
        }
    }

    /// The route's rule ids, as JSON strings separated by commas (the array's brackets are the caller's).
    /// Its rules are in policy order, so each is looked for after the one before.
    @inline(__always)
    func putRules(of route: UnsafePointer<Route>, _ c: inout ByteCursor) {
        var next = 0
        for (i, id) in route.pointee.rules.enumerated() {
            if i > 0 { c.put(UInt8(ascii: ",")) }
            var k = next
            while k < ruleIDs.count && !id.isSameRepresentation(as: ruleIDs[k]) { k += 1 }
            if k < ruleIDs.count {
                put(destinationIDs.count &+ k, &c)
                next = k &+ 1
            } else {
                c.jsonString(id)
            }
        }
    }

    @inline(__always)
    private func put(_ k: Int, _ c: inout ByteCursor) {
        bytes.withUnsafeBufferPointer { c.put(UnsafeBufferPointer(rebasing: $0[starts[k]..<starts[k + 1]])) }
    }
}
