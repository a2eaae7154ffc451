/// What the screener decided for one incident: where it goes, by when, and why.
///
/// Its reasons and near misses are worded when read, from numbers it shares with the decisions screened just
/// before and after it (a page of 32 KiB, about 70 decisions' worth): a decision kept long after its
/// neighbours are gone keeps that page with it.
public struct Decision: Sendable {
    /// The incident screened (kept so that writers can send each destination only its fields).
    public var incident: Incident
    /// True when no rule routed the incident anywhere.
    public var screenedOut: Bool
    /// Why it was screened out (nil when routed).
    public var screenedOutReason: String?
    /// True when the incident id was seen before (a re-sent or re-graded notification): screened again on
    /// its new content, which replaces the earlier version in every history from now on; never counted twice.
    public var duplicate: Bool
    /// For a re-send, what changed since the earlier version (nil when the id is new).
    public var supersedes: Supersedes? {
        get { supersedesBox?.value }
        set { supersedesBox = newValue.map(SupersedesBox.init) }
    }
    /// Boxed: rare, and a decision is moved between threads; one pointer moves cheaper than the whole value.
    var supersedesBox: SupersedesBox?
    /// True when an incident with a later `occurred_at` had already been screened.
    public var outOfOrder: Bool
    /// One route per destination and child, in policy order.
    public var routes: [Route]
    /// The history figures the rules used.
    public var history: HistoryFigures
    /// What the reasons and near misses are worded from (nil: none). Immutable once made and safe to share
    /// (see ``DecisionEvidence``).
    var evidence: DecisionEvidence?
    /// One plain-English reason per fired rule (and child), stating the evidence; worded when read.
    public var reasons: [Reason] {
        evidence?.reasons(nearMisses: false, children: incident.children) ?? []
    }
    /// Count and score thresholds that did not fire but are one step away; worded when read.
    public var nearMisses: [Reason] {
        evidence?.reasons(nearMisses: true, children: incident.children) ?? []
    }
    /// Data problems that did not stop screening.
    public var warnings: [DataWarning]
    /// Whether the routes (and the warning about deadlines beyond the known bank holidays) are still to be
    /// made from the fired rules by a ``RouteMaker``: only between a batch screen and the thread that writes
    /// or compares the decision; a decision the library returns never is.
    var routesPending = false
}

/// A notification to one destination (and, for child rules, about one child).
public struct Route: Sendable, Equatable {
    /// The destination id (`school`, `social_care`, …).
    public var destination: String
    /// The child the route is about (child-scoped rules), else nil.
    public var childID: String?
    /// Index of that child in `incident.children`, else nil.
    public var childIndex: Int?
    /// The highest priority of the rules that led here, if any had one.
    public var priority: Priority?
    /// The deadline: that of the highest priority.
    public var notifyBy: Instant
    /// Every rule that led here, in policy order.
    public var rules: [String]
    /// The destination's position in the policy (for ordering routes without looking the id up).
    package var destinationIndex = -1
}

extension Route {
    /// Whether a reason (its rule, and its child for a child rule) is one of this route's: the rule led
    /// here, for this route's child or for the incident. The child's id is read only for a rule of the route.
    func includesReason(rule: String, childID: @autoclosure () -> String?) -> Bool {
        guard rules.contains(rule) else { return false }
        return includesReason(ofChild: childID())
    }

    /// Whether a reason of one of this route's rules, about child `child` (nil: about the incident), is one
    /// of this route's: the incident's on every route, a child's on that child's route only.
    @inline(__always)
    func includesReason(ofChild child: String?) -> Bool { child == nil || child == childID }
}

/// A plain-English explanation tied to a rule (and child).
public struct Reason: Sendable, Equatable {
    /// The rule id.
    public var rule: String
    /// The child it is about, for child rules.
    public var childID: String?
    /// The text, naming the evidence (counts, dates, grading, flags), never a person's name.
    public var text: String
    /// The rule's position in the policy (for counting fires without looking the id up).
    package var ruleIndex = -1
}

/// A data problem found while screening that did not stop it.
public struct DataWarning: Sendable, Equatable {
    /// The canonical field concerned.
    public var field: String
    /// The child concerned, if any.
    public var childID: String?
    /// What is wrong and what it means for routing.
    public var message: String
}

/// The history counts and decayed scores used for one incident (the current incident included).
public struct HistoryFigures: Sendable, Equatable {
    /// Incidents at this household in the window (fact `household.incidents`).
    public var householdIncidents: Int
    /// The household's cumulative decayed score (fact `household.score`).
    public var householdScore: Double
    /// Incidents with this victim in the window, at any address (fact `victim.incidents`).
    public var victimIncidents: Int
    /// The victim's cumulative decayed score (fact `victim.score`).
    public var victimScore: Double
    /// Incidents involving the perpetrator in the window (fact `perpetrator.incidents`); nil when no
    /// perpetrator is recorded, as are the perpetrator and pair figures below.
    public var perpetratorIncidents: Int?
    /// Distinct victims linked to the perpetrator in the window (fact `perpetrator.victims`).
    public var perpetratorVictims: Int?
    /// Distinct households linked to the perpetrator in the window (fact `perpetrator.households`).
    public var perpetratorHouseholds: Int?
    /// Incidents between this victim and perpetrator in the window (fact `pair.incidents`).
    public var pairIncidents: Int?
    /// Earlier incidents of the pair routed to `marac` in the window, this one not included
    /// (fact `pair.marac_referrals`).
    public var pairMaracReferrals: Int?
    /// Per counted child: id, incidents and score.
    public var children: [ChildFigures]
}

/// History figures for one child.
public struct ChildFigures: Sendable, Equatable {
    /// The child's id (``Child/personID``).
    public var childID: String
    /// Incidents linked to the child in the window, across every address and adult (fact `child.incidents`).
    public var incidents: Int
    /// The child's cumulative decayed score (fact `child.score`).
    public var score: Double
}

extension Decision {
    /// The index in the policy of each rule that fired (once per child for child rules), in order, without
    /// wording any reason.
    package func forEachFiredRule(_ body: (Int) -> Void) {
        evidence?.forEachFired { rule, _ in body(rule) }
    }

    /// The index in the policy of each rule that fired and the index of the child it fired for (-1: the
    /// incident), in the order ``reasons`` lists them, without reading any string.
    package func forEachFiredRuleAndChild(_ body: (_ rule: Int, _ child: Int) -> Void) {
        evidence?.forEachFired(body)
    }

    /// Words the reasons of the rules `include` picks (by rule id and child id) straight into `body`, in
    /// order, with each one's rule id, child id and text as bytes. `scratch`: buffers reused from one
    /// decision to the next.
    package func forEachReasonText(
        scratch: inout EncoderScratch, where include: (_ rule: String, _ childID: String?) -> Bool,
        _ body: (_ rule: String, _ childID: String?, _ text: UnsafeBufferPointer<UInt8>) -> Void
    ) {
        guard let evidence, evidence.firedCount > 0 else { return }
        let children = incident.children
        var words = Wording(evidence, children: children, &scratch)
        defer { words.end(&scratch) }
        let rules = words.rules
        words.forEachReason(where: { r, c in include(rules[r].id, c.map { children[$0].personID }) }) { rule, _, c, text in
            body(rule.id, c.map { children[$0].personID }, text)
        }
    }
}

extension Decision {
    /// Words the reasons of the rules that made a route (for its child, or for the incident), in rule order.
    package func forEachReasonText(
        of route: Route, scratch: inout EncoderScratch,
        _ body: (_ rule: String, _ childID: String?, _ text: UnsafeBufferPointer<UInt8>) -> Void
    ) {
        forEachReasonText(
            scratch: &scratch, where: { rule, childID in route.includesReason(rule: rule, childID: childID) }, body)
    }

    /// The reasons of a route's rules (``forEachReasonText(of:scratch:_:)``) joined by ` | `, appended to
    /// `out`: what the CSV `reasons` column and the workbook's rows say of a route.
    package func appendReasonText(for route: Route, to out: inout [UInt8], scratch: inout EncoderScratch) {
        let start = out.count
        forEachReasonText(of: route, scratch: &scratch) { _, _, text in
            if out.count > start { out.append(contentsOf: " | ".utf8) }
            out.append(contentsOf: text)
        }
    }

    /// ``appendReasonText(for:to:scratch:)`` as a `String`.
    package func reasonText(for route: Route) -> String {
        var out: [UInt8] = []
        var scratch = EncoderScratch()
        appendReasonText(for: route, to: &out, scratch: &scratch)
        return String(decoding: out, as: UTF8.self)
    }
}

/// An immutable box holding a ``Supersedes`` (see ``Decision/supersedes``).
final class SupersedesBox: Sendable {
    let value: Supersedes
    init(_ value: Supersedes) { self.value = value }
}
