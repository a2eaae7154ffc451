/// Makes a decision's routes from the rules that fired (its evidence), off the screening thread: each fired
/// rule's destinations merged per destination and child, the highest priority kept with its deadline, the
/// rules listed, sorted by destination (policy order) then child, and the warning about deadlines beyond the
/// known bank holidays added. What history records of the routes (the destinations reached, MARAC or not) is
/// known on the screening thread from the fired rules alone, so the routes themselves, deadlines and all,
/// are a pure function of the decision and can be made by whoever writes or counts it.
///
/// A ``Screener`` completes the decisions it returns itself; the batch paths of `triage` leave them to the
/// thread that writes (or compares) them, which keeps a maker of its own (its deadline memo and rule lists
/// are caches).
package struct RouteMaker: Sendable {
    let policy: Policy
    /// The national school register, when given: a child's school-day deadline follows its school's calendar,
    /// found by URN (see ``Screener/schools``).
    package var schools: SchoolRegister?
    let hasSchoolCalendars: Bool
    var deadlines: DeadlineMemo
    var ruleLists = RuleLists()
    /// The routes of the decision in hand, and the set of rules that led to each (the first `routes.count`
    /// entries: the rest are left from earlier decisions, overwritten rather than removed).
    private var routes: [Route] = []
    private var routeRules: [UInt64] = []

    /// A maker for `policy`'s decisions (made with the register `schools`, if any).
    package init(policy: Policy, schools: SchoolRegister? = nil) {
        self.policy = policy
        self.schools = schools
        self.hasSchoolCalendars = !policy.calendar.schoolCalendars.isEmpty
        self.deadlines = DeadlineMemo(destinations: policy.destinations.count)
    }

    /// Gives `d` its routes if it is waiting for them (a decision already complete is left as it is).
    package mutating func complete(_ d: inout Decision) {
        guard d.routesPending else { return }
        d.routesPending = false
        guard let evidence = d.evidence, evidence.firedCount > 0 else { return }
        let local = policy.zone.local(d.incident.occurredAt)
        for k in 0..<evidence.firedCount {
            let f = evidence.fired(k)
            let child = f.child < 0 ? nil : Int(f.child)
            // The school URN the rules saw for the child: its own, or its closed school's successor (which the
            // decision's incident now holds), or none when the register does not know it.
            var urn: String? = nil
            if let child, evidence.child(child, .schoolSeen) == 1 {
                // Read in place: taking the child out of the array copies its five strings.
                let own = d.incident.childField(child) { $0.pointee.schoolURN }
                if let own, !own.isEmpty { urn = own }
            }
            add(Int(f.rule), d.incident, local: local, child: child, school: urn)
        }
        // No closure here captures `self`: that would copy the policy per comparison.
        routes.sort { a, b in
            if a.destinationIndex != b.destinationIndex { return a.destinationIndex < b.destinationIndex }
            return (a.childIndex ?? -1) < (b.childIndex ?? -1)
        }
        if let w = policy.coverageWarning(routes) { d.warnings.append(w) }
        d.routes = RouteMaker.handOver(&routes, reserving: 4)
    }

    /// A rule that held for one scope instance (the incident, or child `childIndex`): merges the routes it
    /// makes into those of the decision in hand.
    private mutating func add(_ ruleIndex: Int, _ incident: Incident, local: LocalDateTime, child childIndex: Int?, school: String?) {
        let rule = policy.rules[ruleIndex]
        for d in rule.destinations {
            if let r = routes.firstIndex(where: { $0.childIndex == childIndex && $0.destinationIndex == d }) {
                if let p = rule.priority, routes[r].priority.map({ p > $0 }) ?? true {
                    routes[r].priority = p
                    routes[r].notifyBy = deadline(d, p, incident.occurredAt, local, school: school, childIndex)
                }
                // A set of rules within the first 64 shares one list; past them (set 0) the id is appended.
                let bit = RuleLists.bit(ruleIndex)
                if routeRules[r] != 0 && bit != 0 {
                    routeRules[r] |= bit
                    routes[r].rules = ruleLists.list(routeRules[r], policy.rules)
                } else {
                    routeRules[r] = 0
                    routes[r].rules.append(rule.id)
                }
            } else {
                if routes.count < routeRules.count {
                    routeRules[routes.count] = RuleLists.bit(ruleIndex)
                } else {
                    routeRules.append(RuleLists.bit(ruleIndex))
                }
                routes.append(
                    Route(
                        destination: policy.destinations[d].id, childID: childIndex.map { incident.children[$0].personID },
                        childIndex: childIndex, priority: rule.priority,
                        notifyBy: deadline(d, rule.priority, incident.occurredAt, local, school: school, childIndex),
                        rules: rule.idList, destinationIndex: d))
            }
        }
    }

    /// The deadline of a route to destination `d`: a child's school-day deadline follows its school's own
    /// calendar, else its authority's (`school_calendars:`), else the policy's.
    @inline(__always)
    mutating func deadline(
        _ d: Int, _ p: Priority?, _ t: Instant, _ local: LocalDateTime, school urn: String?, _ childIndex: Int?
    ) -> Instant {
        if hasSchoolCalendars, childIndex != nil, let urn,
            case .nextSchoolDay = policy.destinations[d].deadlineRule(for: p),
            let own = policy.calendar.forSchool(urn: urn, laCode: schools?[urn]?.laCode)
        {
            return own.deadline(.nextSchoolDay, after: t, zone: policy.zone)
        }
        return deadlines.deadline(policy, d, p, t, local)
    }

    /// The buffer's array handed over whole, an empty one with room for `reserving` elements left in its
    /// place (one allocation, where moving each element into an array of its own cost an allocation, a copy
    /// and a destroy per element and a generic `removeAll`). An empty buffer is kept and `[]` returned.
    @inline(__always)
    static func handOver<T>(_ a: inout [T], reserving n: Int) -> [T] {
        if a.isEmpty { return [] }
        var out: [T] = []
        swap(&out, &a)
        if n > 0 { a.reserveCapacity(n) }
        return out
    }
}
