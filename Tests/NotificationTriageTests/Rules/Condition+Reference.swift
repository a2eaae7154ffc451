@testable import NotificationTriage

/// The tree form's meaning, as it was evaluated before conditions were compiled: the reference the
/// compiled form is tested against (`CompiledConditionTests`).
extension Condition {
    /// Evaluates against fact values; `forcing` makes the leaf with that index hold (for near misses).
    func evaluate(_ facts: borrowing FactValues, forcing: Int = -1) -> Bool {
        switch self {
        case .always: return true
        case .all(let cs):
            for c in cs where !c.evaluate(facts, forcing: forcing) { return false }
            return true
        case .any(let cs):
            for c in cs where c.evaluate(facts, forcing: forcing) { return true }
            return false
        case .not(let c): return !c.evaluate(facts, forcing: forcing)
        case .leaf(let l):
            if l.index == forcing { return true }
            return l.holds(facts.numbers[l.fact.rawValue], flagsValue: facts.flags, text: facts.schoolURN)
        }
    }

    /// The leaves that make the condition hold, along the satisfied path (for explanations), with whether
    /// each is seen through a `not`.
    func evidence(_ facts: borrowing FactValues, negated: Bool = false, into out: inout [(Leaf, Bool)]) {
        switch self {
        case .always: return
        case .all(let cs):
            if negated {
                // not(all) holds through its first failing part.
                if let c = cs.first(where: { !$0.evaluate(facts) }) { c.evidence(facts, negated: true, into: &out) }
            } else {
                for c in cs { c.evidence(facts, negated: false, into: &out) }
            }
        case .any(let cs):
            if negated {
                for c in cs { c.evidence(facts, negated: true, into: &out) }
            } else if let c = cs.first(where: { $0.evaluate(facts) }) {
                c.evidence(facts, negated: false, into: &out)
            }
        case .not(let c): c.evidence(facts, negated: !negated, into: &out)
        case .leaf(let l): out.append((l, negated))
        }
    }
}
