/// The reasons and history of a batch of decisions as their decision lines word them, kept so that the
/// destinations' lines copy those bytes rather than word the same reasons again (with `--out`, the decisions
/// and the destinations are written on two threads, each decision's reasons once by each before).
///
/// Filled by ``DecisionEncoder`` while it writes the decision lines (see ``EncoderScratch/keep``), one
/// decision after another, then read by ``DestinationWriter`` for decision `k` of the same batch. A decision
/// the batch does not hold (its writing failed part way) is worded again by whoever needs it.
package struct WordedBatch: Sendable {
    /// Each reason object (`{"rule":…,"child_id":…,"text":…}`) and each history object, back to back.
    private(set) var bytes: [UInt8] = []
    /// The fired rules' reasons, in the order the decision line lists them.
    private(set) var reasons: [Entry] = []
    /// Per decision: where its reasons start in `reasons` (one more entry than decisions: the end).
    private var firstReason: [Int] = [0]
    /// Per decision: its history object in `bytes` (empty when the decision was not kept).
    private var history: [Range<Int>] = []
    /// Where the decision being worded has its history, until it is ended.
    private var pendingHistory: Range<Int> = 0..<0

    /// One reason: the rule's index in the policy, the child's in the incident (-1: the incident), and its
    /// object's bytes.
    struct Entry {
        var rule: Int32
        var child: Int32
        var bytes: Range<Int>
    }

    /// Whether the decision being worded is kept (one no destination copies from need not be): when false,
    /// its line's reasons and history are not kept, and it holds none.
    package var keeping = true

    /// An empty batch with room for `bytes` bytes (the last batch's, say) before it grows.
    package init(reservingBytes bytes: Int = 0) {
        self.bytes.reserveCapacity(bytes)
    }

    /// The bytes it holds (to size the next batch's).
    package var byteCount: Int { bytes.count }

    /// Decisions held, in batch order.
    package var count: Int { history.count }

    /// In a decision line, the history object and the reasons array are side by side: the line's bytes from
    /// the history's start to the last reason's end are kept in one copy, and each part's place is noted in
    /// the line's offsets until then.
    private var lineStart = 0

    /// Starts keeping the decision being worded, whose history starts at `offset` of its line's buffer.
    mutating func beginHistory(at offset: Int) {
        lineStart = offset
    }

    /// Notes the history object's end (an offset of the line's buffer).
    mutating func endHistory(at offset: Int) {
        guard keeping else { return }
        pendingHistory = bytes.count..<(bytes.count + offset - lineStart)
    }

    /// Notes a reason object of the decision being worded, at `offsets` of the line's buffer (after the
    /// history's start).
    mutating func addReason(rule: Int, child: Int?, at offsets: Range<Int>) {
        guard keeping else { return }
        let base = bytes.count - lineStart
        reasons.append(
            Entry(rule: Int32(rule), child: Int32(child ?? -1), bytes: (base + offsets.lowerBound)..<(base + offsets.upperBound)))
    }

    /// Keeps the line's bytes from the history's start to the end of `line` (the end of its last reason).
    mutating func endReasons(_ line: UnsafeBufferPointer<UInt8>) {
        guard keeping else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: line[lineStart...]))
    }

    /// Ends the decision being worded: what was kept since the last end is its own.
    mutating func endDecision() {
        firstReason.append(reasons.count)
        history.append(keeping ? pendingHistory : bytes.count..<bytes.count)
        pendingHistory = bytes.count..<bytes.count
    }

    /// Decision `k`'s reasons and history, or nil when this batch does not hold it.
    func decision(_ k: Int) -> (reasons: Range<Int>, history: Range<Int>)? {
        guard k >= 0 && k < history.count && !history[k].isEmpty else { return nil }
        return (firstReason[k]..<firstReason[k + 1], history[k])
    }
}
