/// Where to start looking among a zone's offset transitions for an instant: for each 2²¹-second bucket
/// (about 24 days) from the first transition to the last, the first transition after the bucket's start.
/// The offset at an instant is then found by a step or two from its bucket's entry, rather than by a
/// binary search over the zone's transitions (about 600 for a zone with summer time, 1900–2200), which
/// every decision's local date, `occurred_at` and dated reason made.
///
/// About 4,500 entries (18 KB) for 1900–2200; empty for a zone without transitions.
struct TransitionIndex: Sendable, Equatable {
    private static let shift: Int64 = 21
    /// The start of bucket 0: the first transition.
    private let base: Int64
    /// For bucket `k`: the index of the first transition later than `base + k << shift`.
    private let firstAfter: [Int32]

    init(_ transitions: [Int64]) {
        guard let first = transitions.first, let last = transitions.last else {
            base = 0
            firstAfter = []
            return
        }
        base = first
        let buckets = Int((last - first) >> TransitionIndex.shift) + 1
        var entries = [Int32](repeating: 0, count: buckets)
        var i = 0
        for k in 0..<buckets {
            let start = first + Int64(k) << TransitionIndex.shift
            while i < transitions.count && transitions[i] <= start { i += 1 }
            entries[k] = Int32(i)
        }
        firstAfter = entries
    }

    /// The index of the first transition later than `seconds` (`transitions.count` when there is none):
    /// the index of the offset in force at `seconds`.
    @inline(__always)
    func firstAfter(_ seconds: Int64, in transitions: UnsafeBufferPointer<Int64>) -> Int {
        let n = transitions.count
        guard n > 0 else { return 0 }
        if seconds < base { return 0 }
        if seconds >= transitions[n - 1] { return n }
        // In range: the bucket exists (seconds < last transition), and its entry is at or before the answer.
        var i = Int(firstAfter[Int((seconds - base) >> TransitionIndex.shift)])
        while transitions[i] <= seconds { i += 1 }
        return i
    }
}
