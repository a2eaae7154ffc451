extension Screener {
    /// Screens every incident under `policy` too, beside this screener's own policy and on its history: the
    /// history stage runs once for both (`triage compare`, where it ran twice, once on each policy's own
    /// history). Each incident's companion decision is taken with ``takeCompanionDecision(_:makingRoutes:)``.
    ///
    /// Only for a policy that ``Policy/sharesHistory(with:)`` this screener's, checked here: it then gets
    /// the decisions it gets on a history of its own, except that a re-send's `supersedes` is nil (history
    /// keeps one version of each incident, made under this screener's policy). Returns the companion's
    /// number, or nil when the policies do not share a history. Add companions before the first incident.
    package mutating func addCompanion(_ policy: Policy) -> Int? {
        guard self.policy.sharesHistory(with: policy) else { return nil }
        var companion = Screener(policy: policy, clock: clock)
        companion.schools = schools
        companions.append(companion)
        companionDecisions.append(nil)
        return companions.count - 1
    }

    /// Companion `k`'s decision of the last incident screened, once (nil for a rejected record). With
    /// `makingRoutes` false it is left waiting for its routes, made by the caller with a ``RouteMaker`` of
    /// the companion's policy.
    package mutating func takeCompanionDecision(_ k: Int, makingRoutes: Bool = true) -> Decision? {
        guard var d = companionDecisions[k].take() else { return nil }
        if makingRoutes { companions[k].routeMaker.complete(&d) }
        return d
    }

    /// The companions' rules and decisions for an incident whose history figures and facts are in `b`, its
    /// own rules applied: run before it is recorded (a rule's counts read their dates from history), with
    /// the warnings so far (each policy adds its own about deadlines beyond the known bank holidays).
    @inline(never)
    mutating func screenCompanions(
        _ incident: borrowing Incident, figures: borrowing IncidentFigures, warnings: [DataWarning],
        _ b: inout ScreenBuffers
    ) {
        for k in companions.indices {
            companionDecisions[k] = companions[k].screenBeside(
                incident, figures: figures, warnings: warnings, lending: &b, history: &history)
        }
    }

    /// As a companion: the rules and decision of an incident whose history figures and facts another
    /// screener worked out, in `lent`, on its `history` (each lent for the call). One mutating call, so that
    /// the companion is worked on where it lies in its array (a non-mutating call copied it whole).
    private mutating func screenBeside(
        _ incident: borrowing Incident, figures: borrowing IncidentFigures, warnings: [DataWarning],
        lending lent: inout ScreenBuffers, history lentHistory: inout History
    ) -> Decision {
        var b = buffers.take() ?? ScreenBuffers()
        // The incident's ages, figures and facts are swapped in and back, not copied (a copy of an array that the
        // next incident's refill writes to would be copied again then).
        b.swapIncident(with: &lent)
        swap(&history, &lentHistory)
        applyRules(to: incident, figures: figures, &b)
        swap(&history, &lentHistory)
        let d = decision(copy incident, figures: figures, supersedes: nil, warnings: warnings, &b)
        b.swapIncident(with: &lent)
        buffers = consume b
        return d
    }
}

extension ScreenBuffers {
    /// Swaps what the history and facts stages put in the buffers for an incident (ages, figures, school URNs,
    /// facts) with `other`'s: the rules stage and the decision of another policy read them as they are.
    mutating func swapIncident(with other: inout ScreenBuffers) {
        swap(&ages, &other.ages)
        swap(&months, &other.months)
        swap(&counted, &other.counted)
        swap(&schoolURNs, &other.schoolURNs)
        swap(&childFigures, &other.childFigures)
        swap(&facts, &other.facts)
    }
}
