/// The working space of one incident's screening: its children's ages, the fact values the rules read,
/// and the destinations reached and evidence (fired rules, dates of counts) gathered. A screener keeps one and moves it to
/// each incident in turn (``Screener/buffers``), so that after the first few incidents screening allocates nothing here:
/// what a decision keeps is moved out into arrays of its own.
package struct ScreenBuffers {
    /// Each child's age in years and in months (NaN when unknown), and whether it counts as a child: the
    /// first `children.count` entries are the incident's (see ``refill(_:_:count:)``).
    var ages: [Double] = []
    var months: [Double] = []
    var counted: [Bool] = []
    /// The school URN the rules see for each child: its own, its closed school's successor, or nil when it
    /// has none the register knows (see ``Screener/schools``).
    var schoolURNs: [String?] = []
    /// Each listed child's history figures (nil for one that does not count as a child).
    var childFigures: [History.KeyFigures?] = []
    /// The facts of the incident (and of the child in hand, for child rules).
    var facts = FactValues.unallocated
    /// The destinations the rules that fired reach (bit i: destination i, for the first 64), and whether
    /// one is MARAC: what history records of an incident's routes (``RouteMaker`` makes the routes).
    var routedTo: UInt64 = 0
    var routedToMARAC = false
    /// The rules that fired (for the evidence its reasons are worded from), and the dates of the counts
    /// they read (see ``DecisionEvidence``).
    var fired: [DecisionEvidence.FiredRule] = []
    var times: [Int64] = []
    var dateKeys: [DecisionEvidence.DateKey] = []
    /// With threshold variants (``Screener/variants``): the rules that fired for this incident (child -1
    /// for the incident), and each variant's rule that decided otherwise.
    var firings: [(rule: Int32, child: Int32)] = []
    var flips: [(variant: Int32, rule: Int32, child: Int32, fires: Bool)] = []
    /// Where each decision's evidence is written (see ``DecisionEvidence``).
    var evidencePages = EvidencePages()

    /// Sets the first `count` elements of `a` to `value`, growing it only when it has fewer (changing an
    /// array's length costs two generic calls into the standard library, and the number of children changes
    /// from one incident to the next more often than not). Elements past `count` are left as they are:
    /// readers index by child.
    @inline(__always)
    static func refill<T: BitwiseCopyable>(_ a: inout [T], _ value: T, count: Int) {
        if a.count < count { a.append(contentsOf: repeatElement(value, count: count - a.count)) }
        guard count > 0 else { return }
        a.withUnsafeMutableBufferPointer { UnsafeMutableBufferPointer(rebasing: $0[..<count]).update(repeating: value) }
    }
}
