extension String {
    /// Text made from UTF-8 bytes, the one way the hot path turns bytes into a `String` (fields, keys,
    /// reason texts). The result is the same as `String(decoding:as:)`'s, invalid bytes repaired alike.
    ///
    /// Why not `String(decoding:as:)`: it checks every byte and then copies them in a second pass, about
    /// 180 instructions for a 10-byte id. Writing the bytes straight into the string's own storage leaves
    /// the standard library only its word-wide ASCII test for a string of 15 bytes or fewer (most ids,
    /// names and postcodes); longer or non-ASCII text is checked (and repaired) in place as before.
    @inline(__always)
    init(utf8Bytes b: UnsafeBufferPointer<UInt8>) {
        guard let src = b.baseAddress, !b.isEmpty else {
            self = ""
            return
        }
        self.init(unsafeUninitializedCapacity: b.count) { dst in
            dst.baseAddress!.update(from: src, count: b.count)
            return b.count
        }
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes, the writers' way of reading a `String`: a native string
    /// lends them in place, where `withUTF8` (a mutating method) needs a copy of the string, retained and
    /// released again, about 30 instructions per field written.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var s = self
        return s.withUTF8(body)
    }
}

extension String {
    /// Whether the two are the same string by representation: the same storage, or the same small string
    /// (a compare of two words). Then they are equal; equal strings held apart (two copies of the text) are
    /// not the same, which only sends a caller the usual way (`==`).
    @inline(__always)
    func isSameRepresentation(as other: String) -> Bool {
        unsafeBitCast(self, to: (UInt64, UInt64).self) == unsafeBitCast(other, to: (UInt64, UInt64).self)
    }
}
