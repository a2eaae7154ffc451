/// A ``Condition`` flattened into one array of plain nodes, in pre-order, for evaluation on the hot path.
///
/// The tree form (an indirect enum whose leaves hold arrays and strings) costs reference counting at
/// every node visited; this form holds only numbers, so evaluating a rule touches one array and retains
/// nothing. The children of an `all`/`any`/`not` node follow it; each node knows the size of its subtree,
/// so the next sibling is found by skipping it. Leaves a node cannot hold inline (text facts, `in`) keep
/// their ``Leaf`` and are tested by it, exactly as the tree form does.
struct CompiledCondition: Sendable {
    enum Kind: UInt8, Sendable { case always, all, any, not, leaf }

    struct Node: Sendable {
        var kind: Kind
        var op: Operator = .eq
        /// Tested by the original ``Leaf`` (text facts, `in` lists).
        var slow = false
        /// The fact's raw value (leaves).
        var fact: Int16 = 0
        /// The leaf's index in its rule (for `forcing`, and in `leaves`), or -1.
        var leafIndex: Int32 = -1
        /// This node and everything under it.
        var size: Int32 = 1
        var a = 0.0
        var b = 0.0
        var flags: UInt32 = 0
        /// `child.school_urn` `present`/`absent`: the one inline test of text.
        var isSchoolURN = false
    }

    private(set) var nodes: [Node] = []
    /// The rule's near-miss leaves as nodes, in the same order (so the usual case, a leaf nowhere near its
    /// threshold, is passed over without touching the ``Leaf``).
    private(set) var nearMissNodes: [Node] = []
    /// Every leaf of the condition, at its index (for wording the evidence).
    private(set) var leaves: [Leaf] = []

    /// The condition as a short-circuit program of its leaves (see ``Step``): what a plain test runs
    /// (``holds(part:_:)``), a leaf at a time with no recursion and no `all`/`any`/`not` node visited.
    private(set) var steps: [Step] = []
    /// Where each part's program starts (one part, unless made by ``concatenating(_:)``): a step, or
    /// ``Step/yes`` or ``Step/no`` for a condition decided without a leaf (`always`).
    private(set) var entries: [Int32] = []

    /// A leaf to test, and where to go next on either outcome: another step, or the answer.
    struct Step: Sendable {
        static let no: Int32 = -1
        static let yes: Int32 = -2
        var leaf: Node
        var onTrue: Int32
        var onFalse: Int32
    }

    init(_ condition: Condition, nearMissLeaves: [Leaf] = []) {
        leaves = condition.leaves.sorted { $0.index < $1.index }
        append(condition)
        for l in nearMissLeaves {
            append(.leaf(l))
            nearMissNodes.append(nodes.removeLast())
            // Counts and scores compared with gte, gt or eq (the validator's choice): always inline.
            assert(!nearMissNodes[nearMissNodes.count - 1].slow)
        }
        entries = [compile(0, onTrue: Step.yes, onFalse: Step.no)]
    }

    /// Emits the program of the subtree at node `i` that goes to `onTrue` when it holds and to `onFalse`
    /// when not; returns where it starts. Parts are emitted last to first, each knowing where its
    /// successor starts: `all` goes on to the next part while parts hold, `any` while they do not, and
    /// `not` swaps the two ends, so every node is decided exactly as ``evaluate(at:_:forcing:)`` decides it.
    private mutating func compile(_ i: Int, onTrue: Int32, onFalse: Int32) -> Int32 {
        let n = nodes[i]
        switch n.kind {
        case .always:
            return onTrue
        case .leaf:
            steps.append(Step(leaf: n, onTrue: onTrue, onFalse: onFalse))
            return Int32(steps.count - 1)
        case .not:
            return compile(i + 1, onTrue: onFalse, onFalse: onTrue)
        case .all, .any:
            var parts: [Int] = []
            var j = i + 1
            while j < i + Int(n.size) {
                parts.append(j)
                j += Int(nodes[j].size)
            }
            var next = n.kind == .all ? onTrue : onFalse
            for part in parts.reversed() {
                next =
                    n.kind == .all
                    ? compile(part, onTrue: next, onFalse: onFalse) : compile(part, onTrue: onTrue, onFalse: next)
            }
            return next
        }
    }

    /// Whether part `k`'s condition holds (``concatenating(_:)``; 0 for the condition itself): its program
    /// run from its entry, the same answer as ``evaluate(at:_:forcing:)`` with no leaf forced.
    @inline(__always)
    func holds(part k: Int, _ facts: borrowing FactValues) -> Bool {
        var at = entries[k]
        if at < 0 { return at == Step.yes }
        steps.withUnsafeBufferPointer { steps in
            facts.numbers.withUnsafeBufferPointer { numbers in
                repeat {
                    let step = steps.baseAddress! + Int(at)
                    let n = step.pointee.leaf
                    let value = numbers[Int(n.fact)]
                    let r =
                        !n.slow && !n.isSchoolURN
                        ? CompiledCondition.fastHolds(n, value, facts.flags) : holds(n, value, facts.flags, facts.schoolURN)
                    at = r ? step.pointee.onTrue : step.pointee.onFalse
                } while at >= 0
            }
        }
        return at == Step.yes
    }

    private mutating func append(_ c: Condition) {
        let at = nodes.count
        switch c {
        case .always:
            nodes.append(Node(kind: .always))
        case .all(let cs), .any(let cs):
            let kind: Kind
            if case .all = c { kind = .all } else { kind = .any }
            nodes.append(Node(kind: kind))
            for part in cs { append(part) }
        case .not(let part):
            nodes.append(Node(kind: .not))
            append(part)
        case .leaf(let l):
            var n = Node(kind: .leaf, op: l.op, fact: Int16(l.fact.rawValue), leafIndex: Int32(l.index))
            n.isSchoolURN = l.fact == .childSchoolURN
            n.flags = l.flags.rawValue
            if (l.fact.kind == .text && l.op != .present && l.op != .absent) || l.op == .in {
                n.slow = true
            } else if l.op != .present && l.op != .absent && l.op != .has {
                n.a = l.operands.first ?? .nan
                n.b = l.operands.count > 1 ? l.operands[1] : .nan
            }
            nodes.append(n)
        }
        nodes[at].size = Int32(nodes.count - at)
    }

    /// Evaluates against fact values; `forcing` makes the leaf with that index hold (for near misses).
    @inline(__always)
    func evaluate(_ facts: borrowing FactValues, forcing: Int = -1) -> Bool {
        forcing < 0 ? holds(part: 0, facts) : evaluate(at: 0, facts, forcing: forcing)
    }

    /// Evaluates the condition whose root node is `root` (a rule's, in ``concatenating(_:)``'s form).
    @inline(__always)
    func evaluate(at root: Int, _ facts: borrowing FactValues, forcing: Int = -1) -> Bool {
        nodes.withUnsafeBufferPointer { nodes in
            facts.numbers.withUnsafeBufferPointer { numbers in
                eval(root, nodes, numbers, facts, Int32(truncatingIfNeeded: forcing))
            }
        }
    }

    /// Several conditions end to end in one: the k-th's root is at `roots[k]`, its leaves' indices moved
    /// past the earlier ones' leaves. Evaluating rule after rule in it (``evaluate(at:_:forcing:)``) reads
    /// one node array and retains nothing per rule; ``holds(part:_:)`` runs the k-th's program. Without
    /// near-miss nodes: forcing a leaf is for the conditions themselves.
    static func concatenating(_ parts: [CompiledCondition]) -> (all: CompiledCondition, roots: [Int32]) {
        var all = CompiledCondition()
        var roots: [Int32] = []
        for part in parts {
            roots.append(Int32(all.nodes.count))
            let leafBase = Int32(all.leaves.count)
            for var n in part.nodes {
                if n.leafIndex >= 0 { n.leafIndex += leafBase }
                all.nodes.append(n)
            }
            all.leaves += part.leaves
        }
        all.entries = roots.map { all.compile(Int($0), onTrue: Step.yes, onFalse: Step.no) }
        return (all, roots)
    }

    private init() {}

    private func eval(
        _ i: Int, _ nodes: UnsafeBufferPointer<Node>, _ numbers: UnsafeBufferPointer<Double>, _ facts: borrowing FactValues,
        _ forcing: Int32
    ) -> Bool {
        switch nodes[i].kind {
        case .always: return true
        case .all, .any:
            let wanted = nodes[i].kind == .any
            var j = i + 1
            let end = i + Int(nodes[i].size)
            while j < end {
                // Leaves, the usual children, are tested here without a call.
                let c = nodes[j]
                let r =
                    c.kind == .leaf && !c.slow && !c.isSchoolURN
                    ? (c.leafIndex == forcing || CompiledCondition.fastHolds(c, numbers[Int(c.fact)], facts.flags))
                    : eval(j, nodes, numbers, facts, forcing)
                if r == wanted { return wanted }
                j += Int(c.size)
            }
            return !wanted
        case .not: return !eval(i + 1, nodes, numbers, facts, forcing)
        case .leaf:
            let n = nodes[i]
            if n.leafIndex == forcing { return true }
            return holds(n, numbers[Int(n.fact)], facts.flags, facts.schoolURN)
        }
    }

    /// Whether a leaf node holds for a fact value (`nan` = missing), as ``Leaf/holds(_:flagsValue:text:)``.
    @inline(__always)
    func holds(_ n: Node, _ v: Double, _ flags: RiskFlags, _ text: String?) -> Bool {
        if n.slow { return leaves[Int(n.leafIndex)].holds(v, flagsValue: flags, text: text) }
        if n.isSchoolURN && (n.op == .present || n.op == .absent) { return (text != nil) == (n.op == .present) }
        return CompiledCondition.fastHolds(n, v, flags)
    }

    /// A leaf that needs no text and no list (every leaf but `child.school_urn` presence and the slow ones).
    @inline(__always)
    static func fastHolds(_ n: Node, _ v: Double, _ flags: RiskFlags) -> Bool {
        switch n.op {
        case .present: return !v.isNaN
        case .absent: return v.isNaN
        case .has: return flags.rawValue & n.flags == n.flags
        case .eq: return v == n.a  // nan never compares equal: a missing value never holds
        case .ne: return !v.isNaN && v != n.a
        case .lt: return v < n.a
        case .lte: return v <= n.a
        case .gt: return v > n.a
        case .gte: return v >= n.a
        case .between: return v >= n.a && v <= n.b
        case .in: return false  // always slow
        }
    }

    /// The leaves that make the condition hold, along the satisfied path (for explanations), as indices
    /// into `leaves` with whether each is seen through a `not` (the tests keep the tree-form reference).
    func evidence(_ facts: borrowing FactValues, into out: inout [(Int32, Bool)]) {
        nodes.withUnsafeBufferPointer { nodes in
            facts.numbers.withUnsafeBufferPointer { numbers in
                evidence(0, nodes, numbers, facts, negated: false, into: &out)
            }
        }
    }

    private func evidence(
        _ i: Int, _ nodes: UnsafeBufferPointer<Node>, _ numbers: UnsafeBufferPointer<Double>, _ facts: borrowing FactValues,
        negated: Bool, into out: inout [(Int32, Bool)]
    ) {
        let n = nodes[i]
        switch n.kind {
        case .always: return
        case .all, .any:
            var j = i + 1
            let end = i + Int(n.size)
            if (n.kind == .all) == negated {
                // not(all) holds through its first failing part; any through its first holding part.
                while j < end {
                    if eval(j, nodes, numbers, facts, -1) != negated {
                        evidence(j, nodes, numbers, facts, negated: negated, into: &out)
                        return
                    }
                    j += Int(nodes[j].size)
                }
            } else {
                // all: every part; not(any): every part, each seen through the not.
                while j < end {
                    evidence(j, nodes, numbers, facts, negated: negated, into: &out)
                    j += Int(nodes[j].size)
                }
            }
        case .not: evidence(i + 1, nodes, numbers, facts, negated: !negated, into: &out)
        case .leaf: out.append((n.leafIndex, negated))
        }
    }
}
