/// A set of small non-negative numbers, one bit each (slots freed by a sweep, children numbered by the
/// comparison): membership costs a shift and a mask, not a hash.
package struct BitSet: Sendable, Equatable {
    private var words: [UInt64] = []

    package init() {}

    /// Adds `n`; true when it was not in the set.
    @discardableResult
    package mutating func insert(_ n: Int32) -> Bool {
        let w = Int(n) >> 6
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: w - words.count + 1)) }
        let bit: UInt64 = 1 << UInt64(n & 63)
        defer { words[w] |= bit }
        return words[w] & bit == 0
    }

    @inline(__always)
    func contains(_ n: Int32) -> Bool {
        let w = Int(n) >> 6
        return w < words.count && words[w] & (1 << UInt64(n & 63)) != 0
    }

    /// The number of members.
    package var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The members of this set not in `other`.
    package func subtracting(_ other: BitSet) -> BitSet {
        var out = self
        for i in out.words.indices where i < other.words.count { out.words[i] &= ~other.words[i] }
        return out
    }
}
