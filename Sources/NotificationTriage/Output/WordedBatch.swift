/// The routes, reasons and history of a batch of decisions as their decision lines write them, kept so that
/// the destinations' lines copy those bytes rather than write the same again (with `--out`, the decisions
/// and the destinations are written on two threads, each decision's reasons once by each before).
///
/// Filled by ``DecisionEncoder`` while it writes the decision lines (see ``EncoderScratch/keep``), one
/// decision after another, then read by ``DestinationWriter`` for decision `k` of the same batch. A decision
/// the batch does not hold (its writing failed part way) is worded again by whoever needs it.
package struct WordedBatch: Sendable {
    /// Each decision line's route objects, history object and reason objects, as the line has them, one
    /// decision after another.
    private(set) var bytes: [UInt8] = []
    /// Each route object (`{"to":…,"rules":[…]}`), in the decision's order.
    private var routes: [Range<Int>] = []
    /// The fired rules' reasons, in the order the decision line lists them.
    private(set) var reasons: [Entry] = []
    /// Per decision: its routes in `routes`, its reasons in `reasons` and its history object in `bytes` (all
    /// empty when the decision was not kept). One entry a decision: one append each.
    private var decisions: [Kept] = []
    /// Where the decision being worded has its history, until it is ended.
    private var pendingHistory: Range<Int> = 0..<0
    /// Where the decision being worded has its first route and first reason.
    private var routesStart = 0
    private var reasonsStart = 0

    /// What a decision kept (see ``decision(_:)``).
    struct Kept {
        var routes: Range<Int>
        var reasons: Range<Int>
        var history: Range<Int>
    }

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
    package var count: Int { decisions.count }

    /// In a decision line, the routes array, the history object and the reasons array are side by side: the
    /// line's bytes from the first route's start to the last reason's end are kept in one copy, and each
    /// part's place is noted in the line's offsets until then.
    private var lineStart = 0
    private var historyStart = 0

    /// Starts keeping the decision being worded, whose routes start at `offset` of its line's buffer.
    mutating func beginRoutes(at offset: Int) {
        lineStart = offset
    }

    /// Notes a route object of the decision being worded, at `offsets` of the line's buffer.
    mutating func addRoute(at offsets: Range<Int>) {
        guard keeping else { return }
        let base = bytes.count - lineStart
        routes.append((base + offsets.lowerBound)..<(base + offsets.upperBound))
    }

    /// Notes the history object's start (an offset of the line's buffer).
    mutating func beginHistory(at offset: Int) {
        historyStart = offset
    }

    /// Notes the history object's end (an offset of the line's buffer).
    mutating func endHistory(at offset: Int) {
        guard keeping else { return }
        let base = bytes.count - lineStart
        pendingHistory = (base + historyStart)..<(base + offset)
    }

    /// Notes a reason object of the decision being worded, at `offsets` of the line's buffer (after the
    /// routes' start).
    mutating func addReason(rule: Int, child: Int?, at offsets: Range<Int>) {
        guard keeping else { return }
        let base = bytes.count - lineStart
        reasons.append(
            Entry(rule: Int32(rule), child: Int32(child ?? -1), bytes: (base + offsets.lowerBound)..<(base + offsets.upperBound)))
    }

    /// Keeps the line's bytes from the routes' start to the end of `line` (the end of its last reason).
    mutating func endReasons(_ line: UnsafeBufferPointer<UInt8>) {
        guard keeping else { return }
        bytes.append(copying: UnsafeBufferPointer(rebasing: line[lineStart...]))
    }

    /// Ends the decision being worded: what was kept since the last end is its own.
    mutating func endDecision() {
        decisions.append(
            Kept(
                routes: routesStart..<routes.count, reasons: reasonsStart..<reasons.count,
                history: keeping ? pendingHistory : bytes.count..<bytes.count))
        routesStart = routes.count
        reasonsStart = reasons.count
        pendingHistory = bytes.count..<bytes.count
    }

    /// Decision `k`'s routes, reasons and history, or nil when this batch does not hold it.
    func decision(_ k: Int) -> Kept? {
        guard k >= 0 && k < decisions.count && !decisions[k].history.isEmpty else { return nil }
        return decisions[k]
    }

    /// Route `n` of a decision whose routes are `routes` (from ``decision(_:)``), as its line wrote it, or nil
    /// when the decision has no such route.
    @inline(__always)
    func route(_ n: Int, of routes: Range<Int>) -> Range<Int>? {
        guard n >= 0 && n < routes.count else { return nil }
        return self.routes[routes.lowerBound + n]
    }
}
