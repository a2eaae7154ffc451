import Synchronization

/// What a decision's reasons and near misses are worded from, kept when the incident was screened: the facts
/// the rules read (the incident's and each child's), the rules that fired, and the dates of the incidents
/// behind each count that fired. Immutable, so the words can be made later and on another thread: the
/// screening thread, which must run in input order, decides and records; the encoder words.
///
/// Numbers only, a run of them in an ``EvidencePage`` shared by the decisions screened one after another: no
/// allocation per decision (each one a lock taken on the screening thread's heap, contended by the writing
/// thread freeing the decisions before it), not a `String` per reason. In order: ``Slot/width`` numbers
/// (the incident's day, flags, earliest days and the counts below), the incident's facts (`Fact.count`),
/// ``ChildSlot/width`` numbers per listed child, each fired rule (rule index, child index or -1), each kept
/// count (fact, child or -1, start, end) and the times (seconds, exact as doubles) of the incidents each
/// count is made of, sorted, back to back.
struct DecisionEvidence: Sendable {
    let page: EvidencePage
    /// Where this decision's numbers start in the page.
    let start: Int

    /// What is known before the numbers are filled in: the counts that size them, and the rest of the
    /// leading slots.
    struct Header {
        /// The incident's local day (a near miss counts from it when its figures have no earlier day).
        let day: Int32
        let flags: RiskFlags
        /// The earliest counted day of the household, victim, perpetrator and pair figures (nil without them).
        let earliest: (household: Int32, victim: Int32, perpetrator: Int32?, pair: Int32?)
        /// Listed children (counted or not), rules fired, counts whose dates are kept, and times kept.
        let childCount: Int
        let firedCount: Int
        let keyCount: Int
        let timeCount: Int

        /// How many numbers follow the leading slots.
        var count: Int { Fact.count + childCount * ChildSlot.width + firedCount * 2 + keyCount * 4 + timeCount }
    }

    /// The leading slots of a decision's numbers: whole numbers, each kept as the bits of a double (read
    /// back with no conversion; `Int.min` for none).
    enum Slot: Int {
        case day, flags, household, victim, perpetrator, pair, childCount, firedCount, keyCount, timeCount
        static let width = 10
    }

    /// Evidence with `header`, claimed from `pages` (a page of `policy`'s decisions), and its numbers after
    /// the leading slots: all NaN, for the caller to fill in before the evidence is handed on. (Not filled by
    /// a closure: one capturing the screener and the incident copied both.)
    static func make(
        _ header: Header, policy: Policy, in pages: inout EvidencePages
    ) -> (DecisionEvidence, UnsafeMutableBufferPointer<Double>) {
        let n = header.count
        let (page, start) = pages.claim(Slot.width + n, policy: policy)
        let p = page.numbers + start
        let e = header.earliest
        func put(_ s: Slot, _ v: Int) { p[s.rawValue] = Double(bitPattern: UInt64(bitPattern: Int64(v))) }
        put(.day, Int(header.day))
        put(.flags, Int(header.flags.rawValue))
        put(.household, Int(e.household))
        put(.victim, Int(e.victim))
        put(.perpetrator, e.perpetrator.map(Int.init) ?? Int.min)
        put(.pair, e.pair.map(Int.init) ?? Int.min)
        put(.childCount, header.childCount)
        put(.firedCount, header.firedCount)
        put(.keyCount, header.keyCount)
        put(.timeCount, header.timeCount)
        let numbers = p + Slot.width
        numbers.initialize(repeating: .nan, count: n)
        return (DecisionEvidence(page: page, start: start), UnsafeMutableBufferPointer(start: numbers, count: n))
    }

    /// A rule that fired: its index in the policy, and the child's index in the incident (-1: the incident).
    struct FiredRule: Equatable {
        var rule: Int32
        var child: Int32
    }

    /// Which count a range of times belongs to: a count fact, and the child for `child.incidents`.
    struct DateKey {
        var fact: Int32
        var child: Int32
        var start: Int32
        var end: Int32
    }

    /// Where a child's facts sit in its block of numbers. `schoolSeen` is 1 when the rules saw the school URN
    /// the decision's incident holds for the child (its own, or with a register its closed school's
    /// successor), 0 when a register found no school for it.
    enum ChildSlot: Int {
        case counted, age, months, present, injured, education, incidents, score, earliestDay, schoolSeen
        static let width = 10
    }

    /// A leading slot, read in place (the page lives as long as this value).
    @inline(__always)
    private func slot(_ s: Slot) -> Int { Int(Int64(bitPattern: page.numbers[start + s.rawValue].bitPattern)) }

    /// Number `k` after the leading slots, read in place.
    @inline(__always)
    private func number(_ k: Int) -> Double { page.numbers[start + Slot.width + k] }

    var policy: Policy { page.policy }
    var dashRisk: DashRisk { DashRisk(rank: Int(number(Fact.dashRisk.rawValue))) }
    var relationship: Relationship? {
        let r = number(Fact.relationship.rawValue)
        return r.isNaN ? nil : Relationship(rank: Int(r))
    }
    var day: Int32 { Int32(truncatingIfNeeded: slot(.day)) }
    var flags: RiskFlags { RiskFlags(rawValue: UInt32(truncatingIfNeeded: slot(.flags))) }
    var earliest: (household: Int32, victim: Int32, perpetrator: Int32?, pair: Int32?) {
        let perpetrator = slot(.perpetrator)
        let pair = slot(.pair)
        return (
            Int32(truncatingIfNeeded: slot(.household)), Int32(truncatingIfNeeded: slot(.victim)),
            perpetrator == Int.min ? nil : Int32(truncatingIfNeeded: perpetrator),
            pair == Int.min ? nil : Int32(truncatingIfNeeded: pair)
        )
    }
    var childCount: Int { slot(.childCount) }
    var firedCount: Int { slot(.firedCount) }
    var keyCount: Int { slot(.keyCount) }

    /// The numbers after the leading slots, read in place.
    @inline(__always)
    func withNumbers<T>(_ body: (UnsafeBufferPointer<Double>) -> T) -> T {
        let n = Fact.count + childCount * ChildSlot.width + firedCount * 2 + keyCount * 4 + slot(.timeCount)
        return withExtendedLifetime(page) { body(UnsafeBufferPointer(start: page.numbers + start + Slot.width, count: n)) }
    }

    private var firedStart: Int { Fact.count + childCount * ChildSlot.width }

    @inline(__always)
    func child(_ i: Int, _ slot: ChildSlot) -> Double { number(Fact.count + i * ChildSlot.width + slot.rawValue) }

    @inline(__always)
    func fired(_ k: Int) -> FiredRule {
        let at = firedStart + 2 * k
        return FiredRule(rule: Int32(number(at)), child: Int32(number(at + 1)))
    }

    /// Each fired rule's index and its child's (-1: the incident), in order. Called through the decision's
    /// optional (`evidence?.forEachFired`), the evidence is read where it lies: bound with `if let` or
    /// `guard let`, it was copied (its page retained and released, through an outlined copy) per call.
    @inline(__always)
    func forEachFired(_ body: (_ rule: Int, _ child: Int) -> Void) {
        for k in 0..<firedCount {
            let f = fired(k)
            body(Int(f.rule), Int(f.child))
        }
    }

    /// The dates of a count, if kept: times in seconds.
    func times(of fact: Fact, child: Int?) -> [Double]? {
        let c = Double(fact == .childIncidents ? (child ?? -1) : -1)
        let keysStart = firedStart + firedCount * 2
        let timesStart = keysStart + keyCount * 4
        return withNumbers { numbers in
            for k in 0..<keyCount {
                let at = keysStart + 4 * k
                guard numbers[at] == Double(fact.rawValue) && numbers[at + 1] == c else { continue }
                return Array(numbers[(timesStart + Int(numbers[at + 2]))..<(timesStart + Int(numbers[at + 3]))])
            }
            return nil
        }
    }
}

/// Numbers that the evidence of successive decisions is written into, side by side (see
/// ``DecisionEvidence``); freed when the last decision holding a part of it is.
///
/// Safe to share between threads: each run of numbers is claimed once (atomically, so that even copies of
/// one screener on two threads claim apart), written by its claimant before the decision that holds it is
/// handed on, and only read after that.
final class EvidencePage: @unchecked Sendable {
    let policy: Policy
    let numbers: UnsafeMutablePointer<Double>
    let capacity: Int
    private let used = Atomic<Int>(0)

    init(policy: Policy, capacity: Int) {
        self.policy = policy
        self.capacity = capacity
        numbers = .allocate(capacity: capacity)
    }

    deinit { numbers.deallocate() }

    /// The start of `n` numbers of this page, now this caller's; nil when the page has no room left.
    func claim(_ n: Int) -> Int? {
        let start = used.wrappingAdd(n, ordering: .relaxed).oldValue
        return start + n <= capacity ? start : nil
    }
}

/// The page a screener's decisions are writing their evidence into, and a new one when it is full.
struct EvidencePages {
    private var page: EvidencePage? = nil

    /// Numbers per page: 32 KiB, the evidence of about 70 decisions (so one allocation for each 70), and
    /// little kept alive by one decision held long after its neighbours are freed.
    static let pageSize = 4096

    /// `n` numbers of the current page, or of a new one (of `policy`'s decisions) when it has no room.
    mutating func claim(_ n: Int, policy: Policy) -> (EvidencePage, Int) {
        if let page, let start = page.claim(n) { return (page, start) }
        let fresh = EvidencePage(policy: policy, capacity: max(n, EvidencePages.pageSize))
        page = fresh
        return (fresh, fresh.claim(n)!)
    }
}

extension DecisionEvidence {
    /// The reasons, or near misses, as ``Reason`` values (`children`: the decision's incident's, for their ids).
    func reasons(nearMisses: Bool, children: [Child]) -> [Reason] {
        var out: [Reason] = []
        var scratch = EncoderScratch()
        var words = Wording(self, children: children, &scratch)
        let make = { (rule: Rule, r: Int, c: Int?, text: UnsafeBufferPointer<UInt8>) in
            out.append(
                Reason(
                    rule: rule.id, childID: c.map { children[$0].personID }, text: String(decoding: text, as: UTF8.self),
                    ruleIndex: r))
        }
        if nearMisses { words.forEachNearMiss(make) } else { words.forEachReason(make) }
        return out
    }
}

/// Words one decision's reasons and near misses from its ``DecisionEvidence``: the facts of the scope in
/// hand (the incident, or one child) and a buffer the text is written into, lent by an ``EncoderScratch``.
struct Wording {
    let evidence: DecisionEvidence
    let rules: [Rule]
    var facts: FactValues
    /// The incident's children, as the decision holds them (for their school URNs, without a register).
    let children: [Child]
    /// The child whose facts `facts` holds (-1: the incident's).
    var scope = -1
    var context: ExplanationContext
    var text: ByteWriter

    /// Borrows the scratch's buffers (give them back with ``end(_:)``).
    init(_ evidence: DecisionEvidence, children: [Child], _ scratch: inout EncoderScratch) {
        self.evidence = evidence
        self.children = children
        self.rules = evidence.policy.rules
        var numbers: [Double] = []
        swap(&numbers, &scratch.numbers)
        // The incident's facts copied in (in place when the buffer is already the right size).
        evidence.withNumbers { facts in
            if numbers.count == Fact.count {
                numbers.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: facts[0..<Fact.count]) }
            } else {
                numbers.removeAll(keepingCapacity: true)
                numbers.append(contentsOf: facts[0..<Fact.count])
            }
        }
        self.facts = FactValues(numbers, flags: evidence.flags)
        self.context = ExplanationContext(evidence: evidence)
        swap(&context.scratch, &scratch.explanation)
        self.text = ByteWriter(capacity: 0)
        swap(&text, &scratch.text)
    }

    /// Gives the borrowed buffers back to the scratch.
    mutating func end(_ scratch: inout EncoderScratch) {
        if !text.bytes.isEmpty { text.bytes.removeAll(keepingCapacity: true) }
        swap(&facts.numbers, &scratch.numbers)
        swap(&context.scratch, &scratch.explanation)
        swap(&text, &scratch.text)
    }

    /// Words the reasons (one per fired rule, and child) in order, passing each to `body` with its rule, the
    /// rule's index and the child's; `include` picks, by rule and child index, which are worded at all.
    @inline(__always)
    mutating func forEachReason(
        where include: (_ rule: Int, _ child: Int?) -> Bool = { _, _ in true },
        _ body: (_ rule: Rule, _ index: Int, _ child: Int?, _ text: UnsafeBufferPointer<UInt8>) -> Void
    ) {
        for k in 0..<evidence.firedCount {
            let f = evidence.fired(k)
            let r = Int(f.rule)
            let child = f.child < 0 ? nil : Int(f.child)
            guard include(r, child) else { continue }
            enter(child)
            // Each text is written after the last (the buffer is emptied once per decision, in `end`).
            let start = text.bytes.count
            context.explain(rules[r], facts, into: &text)
            text.bytes.withUnsafeBufferPointer { body(rules[r], r, child, UnsafeBufferPointer(rebasing: $0[start...])) }
        }
    }

    /// Words the near misses in order: each rule that did not fire and has a count or score one step away,
    /// per counted child for child rules.
    @inline(__always)
    mutating func forEachNearMiss(_ body: (_ rule: Rule, _ index: Int, _ child: Int?, _ text: UnsafeBufferPointer<UInt8>) -> Void) {
        let e = evidence
        var next = 0  // the first fired rule not yet passed, in evaluation order
        for (r, perChild) in e.policy.storage.nearMissRules {
            while next < e.firedCount && e.fired(next).rule < r { next += 1 }
            let children = perChild ? evidence.childCount : 1
            for i in 0..<children {
                if perChild && evidence.child(i, .counted) != 1 { continue }
                let child = perChild ? i : nil
                if next < e.firedCount && e.fired(next) == DecisionEvidence.FiredRule(rule: r, child: perChild ? Int32(i) : -1) {
                    next += 1
                    continue
                }
                enter(child)
                let start = text.bytes.count
                guard context.nearMiss(rules[Int(r)], facts, into: &text) else { continue }
                text.bytes.withUnsafeBufferPointer { body(rules[Int(r)], Int(r), child, UnsafeBufferPointer(rebasing: $0[start...])) }
            }
        }
    }

    /// Sets the child facts to those of child `i` (or clears them for the incident), as the rules saw them.
    @inline(__always)
    private mutating func enter(_ i: Int?) {
        let want = i ?? -1
        if want != scope { switchScope(to: i) }
    }

    private mutating func switchScope(to i: Int?) {
        context.childIndex = i
        scope = i ?? -1
        guard let i else {
            for f in Fact.childAge.rawValue..<Fact.count { facts.numbers[f] = .nan }
            facts.schoolURN = nil
            return
        }
        let e = evidence
        facts[.childAge] = e.child(i, .age)
        facts[.childAgeMonths] = e.child(i, .months)
        facts[.childPresent] = e.child(i, .present)
        facts[.childInjured] = e.child(i, .injured)
        facts[.childEducation] = e.child(i, .education)
        facts[.childIncidents] = e.child(i, .incidents)
        facts[.childScore] = e.child(i, .score)
        let urn = e.child(i, .schoolSeen) == 1 ? children[i].schoolURN : nil
        facts.schoolURN = (urn?.isEmpty ?? true) ? nil : urn
    }
}
