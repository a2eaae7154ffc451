extension PolicyValidator {
    mutating func validateRules(_ node: YAMLNode?, destinations: [Destination]) -> [Rule] {
        var rules: [Rule] = []
        var seenIDs = Set<String>()
        for item in list(node, what: "rules") {
            let entries = mapping(
                item, what: "a rule", allowed: ["id", "description", "scope", "when", "route", "priority"])
            let get = { (key: String) in entries.first { $0.key == key }?.value }
            guard let id = text(get("id"), what: "rule id") else {
                if get("id") == nil { fail("rule needs an 'id'", item) }
                continue
            }
            if !seenIDs.insert(id).inserted { fail("duplicate rule id \(PolicyError.quoted(id))", get("id")!) }
            let description = text(get("description"), what: "description")
            if get("description") == nil { fail("rule \(PolicyError.quoted(id)) needs a one-line 'description'", item) }
            var scope = RuleScope.incident
            if let s = get("scope") {
                if let v = s.string.flatMap(RuleScope.init(rawValue:)) {
                    scope = v
                } else {
                    fail("unknown scope \(found(s)): expected incident or child", s)
                }
            }
            var priority: Priority? = nil
            if let p = get("priority"), !p.isNull {
                if let v = p.string.flatMap({ Priority(rawValue: $0.lowercased()) }) {
                    priority = v
                } else {
                    fail("unknown priority \(found(p)): expected red, amber or green", p)
                }
            }
            var routeIndices: [Int] = []
            if let r = get("route") {
                let names: [YAMLNode] = r.items ?? [r]
                if names.isEmpty || r.isNull {
                    fail("rule \(PolicyError.quoted(id)) routes nowhere: 'route' must name at least one destination", r)
                }
                for n in names {
                    guard let name = n.string else {
                        fail("route must name a destination or a list of destinations, found \(n.kindName)", n)
                        continue
                    }
                    guard let i = destinations.firstIndex(where: { $0.id == name }) else {
                        var message = "unknown destination \(PolicyError.quoted(name))"
                        if let s = closestName(to: name, among: destinations.map(\.id)) { message += " (did you mean '\(s)'?)" }
                        fail(message, n)
                        continue
                    }
                    if destinations[i].deadlineRule(for: priority) == nil {
                        fail(
                            "destination \(PolicyError.quoted(name)) has no deadline for \(priority.map { "priority \($0.rawValue)" } ?? "a rule without a priority"); give the rule a priority or the destination a default deadline",
                            n)
                    }
                    if !routeIndices.contains(i) { routeIndices.append(i) }
                }
            } else {
                fail("rule \(PolicyError.quoted(id)) needs a 'route' (a destination or a list)", item)
            }
            var leafCount = 0
            var when = Condition.always
            if let w = get("when") { when = condition(w, scope: scope, leafCount: &leafCount) }
            let nearLeaves = Rule.nearMissLeaves(of: when)
            rules.append(
                Rule(
                    id: id, description: description ?? id, scope: scope, condition: when, destinations: routeIndices,
                    priority: priority, nearMissLeaves: nearLeaves, location: item.location))
        }
        return rules
    }

    mutating func condition(_ node: YAMLNode, scope: RuleScope, leafCount: inout Int) -> Condition {
        guard let entries = node.entries, !entries.isEmpty else {
            fail("a condition must be a mapping with all, any, not or fact, found \(node.kindName)", node)
            return .always
        }
        if let first = entries.first, ["all", "any", "not"].contains(first.key) {
            if entries.count > 1 {
                fail(
                    "'\(first.key)' must be the only key of its condition, found \(PolicyError.quoted(entries[1].key))",
                    at: entries[1].keyLocation)
            }
            if first.key == "not" { return .not(condition(first.value, scope: scope, leafCount: &leafCount)) }
            let parts = list(first.value, what: "'\(first.key)'")
            if parts.isEmpty { fail("'\(first.key)' needs at least one condition", first.value) }
            let cs = parts.map { condition($0, scope: scope, leafCount: &leafCount) }
            return first.key == "all" ? .all(cs) : .any(cs)
        }
        guard let factEntry = entries.first(where: { $0.key == "fact" }) else {
            fail("a condition needs 'all', 'any', 'not' or 'fact', found \(PolicyError.quoted(entries[0].key))", at: entries[0].keyLocation)
            return .always
        }
        guard let factName = factEntry.value.string else {
            fail("fact must be a fact name, found \(factEntry.value.kindName)", factEntry.value)
            return .always
        }
        guard let fact = Fact.named(factName) else {
            var message = "unknown fact \(PolicyError.quoted(factName))"
            if let s = Fact.suggestion(for: factName) { message += " (did you mean '\(s)'?)" }
            fail(message, factEntry.value)
            return .always
        }
        if fact.isChildFact && scope != .child {
            fail("fact \(PolicyError.quoted(factName)) is about one child: the rule needs 'scope: child'", factEntry.value)
        }
        let ops = entries.filter { $0.key != "fact" }
        guard ops.count == 1, let op = Operator(rawValue: ops[0].key) else {
            if let bad = ops.first(where: { Operator(rawValue: $0.key) == nil }) {
                fail(
                    "unknown operator \(PolicyError.quoted(bad.key)): expected one of \(Operator.allCases.map(\.rawValue).joined(separator: ", "))",
                    at: bad.keyLocation)
            } else {
                fail(
                    "fact \(PolicyError.quoted(factName)) needs exactly one operator (eq, ne, lt, lte, gt, gte, between, in, present, absent, has)",
                    factEntry.value)
            }
            return .always
        }
        var leaf = Leaf(
            fact: fact, op: op, operands: [], flags: [], texts: [], index: leafCount, location: factEntry.value.location)
        leafCount += 1
        operands(ops[0].value, into: &leaf, at: ops[0].keyLocation)
        return .leaf(leaf)
    }

    /// Reads an operator's operand according to the fact's kind.
    mutating func operands(_ node: YAMLNode, into leaf: inout Leaf, at keyLocation: SourceLocation) {
        let name = leaf.fact.name
        switch leaf.op {
        case .present, .absent:
            guard let b = node.bool else {
                fail("'\(leaf.op.rawValue)' takes true or false, found \(found(node))", node)
                return
            }
            if !b { leaf.op = leaf.op == .present ? .absent : .present }
            return
        case .has:
            guard leaf.fact.kind == .flags else {
                fail("'has' works only with the fact 'flags', not '\(name)'", at: keyLocation)
                return
            }
            for item in node.items ?? [node] {
                if let f = item.string.flatMap({ RiskFlags(name: $0) }) {
                    leaf.flags.insert(f)
                } else {
                    var message = "unknown flag \(found(item))"
                    if let s = item.string.flatMap({ closestName(to: $0, among: RiskFlags.named.map(\.name)) }) {
                        message += " (did you mean '\(s)'?)"
                    }
                    fail(message, item)
                }
            }
            return
        default: break
        }
        if leaf.fact.kind == .flags {
            fail("the fact 'flags' takes 'has' (one flag or a list), not '\(leaf.op.rawValue)'", at: keyLocation)
            return
        }
        let values: [YAMLNode]
        switch leaf.op {
        case .between:
            guard let items = node.items, items.count == 2 else {
                fail("'between' takes a list of two values [low, high], found \(node.kindName)", node)
                return
            }
            values = items
        case .in:
            guard let items = node.items, !items.isEmpty else {
                fail("'in' takes a list of values, found \(node.kindName)", node)
                return
            }
            values = items
        default:
            if node.items != nil || node.entries != nil {
                fail("'\(leaf.op.rawValue)' takes one value, found \(node.kindName)", node)
                return
            }
            values = [node]
        }
        let ordered: Set<Operator> = [.lt, .lte, .gt, .gte, .between]
        for v in values {
            switch leaf.fact.kind {
            case .number:
                if let d = v.double {
                    leaf.operands.append(d)
                } else {
                    fail("fact '\(name)' is a number: expected a number, found \(found(v))", v)
                }
            case .bool:
                if ordered.contains(leaf.op) || leaf.op == .in {
                    fail("fact '\(name)' is true or false: use eq or ne", at: keyLocation)
                    return
                }
                if let b = v.bool {
                    leaf.operands.append(b ? 1 : 0)
                } else {
                    fail("fact '\(name)' is true or false: expected true or false, found \(found(v))", v)
                }
            case .grading:
                if let g = v.string.flatMap({ DashRisk(rawValue: $0.lowercased()) }) {
                    leaf.operands.append(Double(g.rank))
                } else {
                    fail("unknown DASH risk \(found(v)): expected standard, medium or high", v)
                }
            case .relationship:
                if ordered.contains(leaf.op) {
                    fail("fact 'relationship' has no order: use eq, ne or in", at: keyLocation)
                    return
                }
                if let r = v.string.flatMap({ Relationship(text: $0) }) {
                    leaf.operands.append(Double(r.rank))
                } else {
                    fail(
                        "unknown relationship \(found(v)): expected one of \(Relationship.allCases.map(\.rawValue).joined(separator: ", "))",
                        v)
                }
            case .education:
                if ordered.contains(leaf.op) {
                    fail("fact '\(name)' has no order: use eq, ne, in, present or absent", at: keyLocation)
                    return
                }
                if let e = v.string.flatMap({ Education(text: $0) }) {
                    leaf.operands.append(Double(e.rank))
                } else {
                    fail(
                        "unknown education \(found(v)): expected one of \(Education.allCases.map(\.rawValue).joined(separator: ", "))",
                        v)
                }
            case .text:
                if ordered.contains(leaf.op) {
                    fail("fact '\(name)' is text: use eq, ne, in, present or absent", at: keyLocation)
                    return
                }
                if let s = v.string { leaf.texts.append(s) } else { fail("expected text, found \(v.kindName)", v) }
            case .flags:
                return
            }
        }
        if let range = PolicyLimits.operands(of: leaf.fact), leaf.operands.count == values.count {
            for (v, x) in zip(values, leaf.operands) where !(x.isFinite && range.contains(x)) {
                fail("\(name) must be compared with a number between \(range.described), found \(foundNumber(v))", v)
                return
            }
        }
        if leaf.op == .between, leaf.operands.count == 2, leaf.operands[0] > leaf.operands[1] {
            fail("'between' needs [low, high] with low <= high", node)
        }
    }
}
