/// What a decision's reasons and near misses are worded from, kept when the incident was screened: the facts
/// the rules read (the incident's and each child's), the rules that fired, and the dates of the incidents
/// behind each count that fired. Immutable, so the words can be made later and on another thread: the
/// screening thread, which must run in input order, decides and records; the encoder words.
///
/// Numbers only, stored after the object's header in the same allocation (a `ManagedBuffer`): one allocation
/// per decision, not a `String` per reason. In order: the incident's facts (`Fact.count`),
/// ``ChildSlot/width`` numbers per listed child, each fired rule (rule index, child index or -1), each kept
/// count (fact, child or -1, start, end) and the times (seconds, exact as doubles) of the incidents each
/// count is made of, sorted, back to back.
///
/// Safe to share between threads, though `ManagedBuffer` cannot be declared `Sendable`: the header's fields
/// are `let`s, set once by ``make(_:fill:)``, and the numbers are written only by `make`, before the object
/// is shared (``Decision/evidence`` is marked accordingly).
final class DecisionEvidence: ManagedBuffer<DecisionEvidence.Header, Double> {
    /// Everything but the numbers.
    struct Header {
        let policy: Policy
        let dashRisk: DashRisk
        let relationship: Relationship?
        /// The incident's local day (a near miss counts from it when its figures have no earlier day).
        let day: Int32
        let flags: RiskFlags
        /// Per listed child, the school URN the rules saw when a school register changed it; empty without a
        /// register (the rules then saw each child's own, as the decision's incident holds it).
        let schoolURNs: [String?]
        /// The earliest counted day of the household, victim, perpetrator and pair figures (nil without them).
        let earliest: (household: Int32, victim: Int32, perpetrator: Int32?, pair: Int32?)
        /// Listed children (counted or not), rules fired, counts whose dates are kept, and times kept.
        let childCount: Int
        let firedCount: Int
        let keyCount: Int
        let timeCount: Int

        /// How many numbers follow the header.
        var count: Int { Fact.count + childCount * ChildSlot.width + firedCount * 2 + keyCount * 4 + timeCount }
    }

    /// Evidence with `header`, its numbers (all NaN to begin with) written by `fill`.
    static func make(_ header: Header, fill: (UnsafeMutableBufferPointer<Double>) -> Void) -> DecisionEvidence {
        let n = header.count
        let made = unsafeDowncast(DecisionEvidence.create(minimumCapacity: n) { _ in header }, to: DecisionEvidence.self)
        made.withUnsafeMutablePointerToElements { p in
            p.initialize(repeating: .nan, count: n)
            fill(UnsafeMutableBufferPointer(start: p, count: n))
        }
        return made
    }

    // Doubles need no deinitialising; the header is destroyed by `ManagedBuffer`.

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

    /// Where a child's facts sit in its block of numbers.
    enum ChildSlot: Int {
        case counted, age, months, present, injured, education, incidents, score, earliestDay
        static let width = 9
    }

    /// A field of the header, read in place through the pointer: handing the header to a closure (or
    /// reading `header` whole) copies it, retaining the policy and the school URNs it holds, once per field
    /// read.
    @inline(__always)
    private func field<T>(_ read: (UnsafeMutablePointer<Header>) -> T) -> T { withUnsafeMutablePointerToHeader(read) }

    var policy: Policy { field { $0.pointee.policy } }
    var dashRisk: DashRisk { field { $0.pointee.dashRisk } }
    var relationship: Relationship? { field { $0.pointee.relationship } }
    var day: Int32 { field { $0.pointee.day } }
    var flags: RiskFlags { field { $0.pointee.flags } }
    var schoolURNs: [String?] { field { $0.pointee.schoolURNs } }
    var earliest: (household: Int32, victim: Int32, perpetrator: Int32?, pair: Int32?) { field { $0.pointee.earliest } }
    var childCount: Int { field { $0.pointee.childCount } }
    var firedCount: Int { field { $0.pointee.firedCount } }
    var keyCount: Int { field { $0.pointee.keyCount } }

    /// The numbers, read in place.
    @inline(__always)
    func withNumbers<T>(_ body: (UnsafeBufferPointer<Double>) -> T) -> T {
        let n = field { $0.pointee.count }
        return withUnsafeMutablePointerToElements { body(UnsafeBufferPointer(start: $0, count: n)) }
    }

    private var firedStart: Int { Fact.count + childCount * ChildSlot.width }

    func child(_ i: Int, _ slot: ChildSlot) -> Double {
        withNumbers { $0[Fact.count + i * ChildSlot.width + slot.rawValue] }
    }

    func fired(_ k: Int) -> FiredRule {
        let at = firedStart + 2 * k
        return withNumbers { FiredRule(rule: Int32($0[at]), child: Int32($0[at + 1])) }
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
        let urn = e.schoolURNs.isEmpty ? children[i].schoolURN : e.schoolURNs[i]
        facts.schoolURN = (urn?.isEmpty ?? true) ? nil : urn
    }
}
