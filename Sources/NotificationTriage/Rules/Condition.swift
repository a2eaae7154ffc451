/// A comparison operator of a condition leaf.
enum Operator: String, CaseIterable, Sendable {
    case eq, ne, lt, lte, gt, gte, between, `in`, present, absent, has
}

/// One test of one fact (`{fact: household.incidents, gte: 3}`), compiled: the fact is an enum and the
/// operands are numbers, so evaluation does no string work.
struct Leaf: Sendable {
    var fact: Fact
    var op: Operator
    /// Numeric operands: one for comparisons, two for `between`, any number for `in`.
    var operands: [Double]
    /// For `has`: every flag that must be set.
    var flags: RiskFlags
    /// For `eq`/`ne`/`in` on a text fact (`child.school_urn`).
    var texts: [String]
    /// Position in the rule's leaf list (used to force a leaf when looking for near misses).
    var index: Int
    /// Where the leaf is written, for messages.
    var location: SourceLocation

    /// Whether the leaf holds for a fact value (`nan` = the value is missing).
    @inline(__always)
    func holds(_ v: Double, flagsValue: RiskFlags, text: String?) -> Bool {
        switch op {
        case .present: return fact == .childSchoolURN ? text != nil : !v.isNaN
        case .absent: return fact == .childSchoolURN ? text == nil : v.isNaN
        case .has: return flagsValue.isSuperset(of: flags)
        default: break
        }
        if fact.kind == .text {
            guard let text else { return false }
            switch op {
            case .eq: return texts.first == text
            case .ne: return texts.first != text
            case .in: return texts.contains(text)
            default: return false
            }
        }
        if v.isNaN { return false }  // a comparison with a missing value never holds
        switch op {
        case .eq: return v == operands[0]
        case .ne: return v != operands[0]
        case .lt: return v < operands[0]
        case .lte: return v <= operands[0]
        case .gt: return v > operands[0]
        case .gte: return v >= operands[0]
        case .between: return v >= operands[0] && v <= operands[1]
        case .in: return operands.contains(v)
        case .present, .absent, .has: return false
        }
    }
}

/// A rule's condition: `all` / `any` / `not` over leaves. `always` is a rule with no `when`.
indirect enum Condition: Sendable {
    case always
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case leaf(Leaf)

    /// Every leaf, in written order.
    var leaves: [Leaf] {
        switch self {
        case .always: []
        case .all(let cs), .any(let cs): cs.flatMap(\.leaves)
        case .not(let c): c.leaves
        case .leaf(let l): [l]
        }
    }
}

/// The values of every fact for one incident (and, for child rules, one child). Missing numbers are `nan`.
package struct FactValues {
    var numbers: [Double]
    var flags: RiskFlags
    var schoolURN: String?

    init() { self.init(reusing: []) }

    /// No values and no storage (nothing allocated): a placeholder until ``reset()``.
    static var unallocated: FactValues { FactValues(numbers: []) }

    private init(numbers: [Double]) {
        self.numbers = numbers
        flags = []
        schoolURN = nil
    }

    /// Every number back to missing, the flags and school cleared; the storage is kept.
    mutating func reset() {
        if numbers.count != Fact.count { numbers = [Double](repeating: .nan, count: Fact.count) }
        numbers.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
        flags = []
        schoolURN = nil
    }

    /// Fact values as kept by a decision's evidence (numbers past `Fact.count` are not facts, and unread).
    init(_ numbers: [Double], flags: RiskFlags) {
        self.numbers = numbers
        self.flags = flags
        schoolURN = nil
    }

    /// Fact values in a reused buffer (every number reset to missing), so screening allocates none.
    init(reusing buffer: consuming [Double]) {
        if buffer.count != Fact.count { buffer = [Double](repeating: .nan, count: Fact.count) }
        buffer.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
        numbers = buffer
        flags = []
        schoolURN = nil
    }

    subscript(_ fact: Fact) -> Double {
        get { numbers[fact.rawValue] }
        set { numbers[fact.rawValue] = newValue }
    }
}

extension Condition {
    /// Whether this condition holds exactly when `other` does because it is written the same way: the same
    /// tree of `all`, `any` and `not`, and leaves that test the same fact with the same operator and operands
    /// (where they are written, and their place in the rule's list, aside).
    func testsTheSame(as other: Condition) -> Bool {
        switch (self, other) {
        case (.always, .always): return true
        case (.all(let a), .all(let b)), (.any(let a), .any(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.testsTheSame(as: $1) }
        case (.not(let a), .not(let b)): return a.testsTheSame(as: b)
        case (.leaf(let a), .leaf(let b)):
            return a.fact == b.fact && a.op == b.op && a.operands == b.operands && a.flags == b.flags && a.texts == b.texts
        default: return false
        }
    }
}
