/// Variants of a policy that differ from it only in some rules' thresholds, evaluated on each incident's
/// facts while the policy's own rules are (`triage sweep`): one history and one set of facts serve them
/// all, and a variant costs only its replaced rules' conditions.
///
/// Only a variant that records the same history as the policy (``Policy/recordsSameHistory(as:)``) can be
/// evaluated this way; the initialiser refuses any other.
package struct RuleVariants: Sendable {
    /// Per rule of the policy, each variant that replaces it with the replacement's condition.
    let replacements: [[(variant: Int32, condition: CompiledCondition)]]
    /// Bit i: some variant replaces rule i (rules past the 64th are looked up in `replacements`), so that
    /// the rules no variant changes cost one test.
    let replacedMask: UInt64
    /// How many variants there are.
    package let count: Int

    /// Variants of `policy`; nil when one of them does not share its history.
    package init?(policy: Policy, variants: [Policy]) {
        var replacements = Array(repeating: [(variant: Int32, condition: CompiledCondition)](), count: policy.rules.count)
        var mask: UInt64 = 0
        for (v, variant) in variants.enumerated() {
            guard policy.recordsSameHistory(as: variant) else { return nil }
            for (i, (a, b)) in zip(policy.rules, variant.rules).enumerated() where a !== b {
                replacements[i].append((Int32(v), b.compiled))
                if i < 64 { mask |= 1 << UInt64(i) }
            }
        }
        self.replacements = replacements
        replacedMask = mask
        count = variants.count
    }

    /// Whether some variant replaces rule `i`.
    @inline(__always)
    func replaces(_ i: Int) -> Bool { i < 64 ? replacedMask & (1 << UInt64(i)) != 0 : !replacements[i].isEmpty }
}

/// One route of a variant: where and at what priority (no deadline: a sweep counts routes, it sends none).
package struct VariantRoute: Sendable, Equatable {
    package var destinationIndex: Int
    /// The child's index in the incident's children (child rules), else nil.
    package var childIndex: Int?
    package var priority: Priority?
}

/// A variant's routes for an incident on which one of its rules fired differently from the policy's own.
/// On every other incident the variant's routes are the decision's.
package struct VariantOutcome: Sendable {
    package var variant: Int
    /// In the decision's order: destination, then child.
    package var routes: [VariantRoute]
}

extension Screener {
    /// Notes, after rule `ruleIndex` was applied for one scope instance (`child` -1 for the incident), that
    /// the policy's rule fired, and each variant whose replacement decides otherwise.
    @inline(__always)
    func noteVariants(_ variants: borrowing RuleVariants, _ ruleIndex: Int, fired: Bool, child: Int32, _ b: inout ScreenBuffers) {
        if fired { b.firings.append((Int32(ruleIndex), child)) }
        if variants.replaces(ruleIndex) { Screener.evaluateReplacements(variants, ruleIndex, fired: fired, child: child, &b) }
    }

    /// Each variant's replacement of rule `ruleIndex` on the facts in `b`, noting those that decide otherwise.
    @inline(never)
    static func evaluateReplacements(
        _ variants: borrowing RuleVariants, _ ruleIndex: Int, fired: Bool, child: Int32, _ b: inout ScreenBuffers
    ) {
        variants.replacements[ruleIndex].withUnsafeBufferPointer { list in
            for k in list.indices where list[k].condition.evaluate(b.facts) != fired {
                b.flips.append((list[k].variant, Int32(ruleIndex), child, !fired))
            }
        }
    }

    /// The routes of each variant that fired a rule differently on this incident, in variant order: the
    /// policy's firings with the variant's flips applied, merged as the rules stage merges routes (one per
    /// destination and child, at the highest priority). Empties the firings and flips.
    @inline(never)
    mutating func collectVariantOutcomes(_ b: inout ScreenBuffers) {
        defer {
            b.firings.removeAll(keepingCapacity: true)
            b.flips.removeAll(keepingCapacity: true)
        }
        guard !b.flips.isEmpty else { return }
        // Flips were noted rule by rule; a stable sort groups them by variant.
        let flips = b.flips.enumerated().sorted { ($0.element.variant, $0.offset) < ($1.element.variant, $1.offset) }.map(\.element)
        let rules = policy.rules
        var start = 0
        while start < flips.count {
            let v = flips[start].variant
            var end = start
            while end < flips.count && flips[end].variant == v { end += 1 }
            let mine = flips[start..<end]
            var routes: [VariantRoute] = []
            func add(_ ruleIndex: Int32, _ child: Int32) {
                let rule = rules[Int(ruleIndex)]
                let c = child < 0 ? nil : Int(child)
                for d in rule.destinations {
                    if let k = routes.firstIndex(where: { $0.destinationIndex == d && $0.childIndex == c }) {
                        if let p = rule.priority, routes[k].priority.map({ p > $0 }) ?? true { routes[k].priority = p }
                    } else {
                        routes.append(VariantRoute(destinationIndex: d, childIndex: c, priority: rule.priority))
                    }
                }
            }
            for f in b.firings where !mine.contains(where: { $0.rule == f.rule && $0.child == f.child }) { add(f.rule, f.child) }
            for f in mine where f.fires { add(f.rule, f.child) }
            routes.sort { ($0.destinationIndex, $0.childIndex ?? -1) < ($1.destinationIndex, $1.childIndex ?? -1) }
            variantOutcomes.append(VariantOutcome(variant: Int(v), routes: routes))
            start = end
        }
    }
}
