// libFuzzer target: the policy parser and validator never crash on any text, every error has a location
// and a message of at most 300 bytes, and every policy that validates screens a small fixed sample without
// trapping (issue 13, item 3): each route's deadline falls after its incident and within the longest walk
// the calendar allows, every score is finite, and the history saves and loads again.

/// A few incidents chosen to reach every kind of arithmetic screening does with policy numbers: repeats of
/// a household, pair, victim and child over ten years (window, decay, counts, near misses), high risk,
/// DASH scores, flags, a pregnancy, a baby, school-age and under-5 children, and times on both clock changes.
let fuzzSample = Array(
    """
    incident_id,occurred_at,uprn,postcode,household_id,victim_id,victim_name,victim_dob,victim_pregnant,perpetrator_id,perpetrator_name,perpetrator_dob,relationship,dash_risk,dash_score,flags,child_id,child_name,child_dob,child_present,child_school_urn,child_injured
    F-01,2016-03-27T00:30:00+00:00,,NN1 1AA,H1,V1,Victim One,1990-05-05,false,P1,Perp One,1988-01-01,partner,standard,3,,C1,Child One,2012-01-01,true,100001,false
    F-02,2021-10-31T01:30:00+00:00,,NN1 1AA,H1,V1,Victim One,1990-05-05,true,P1,Perp One,1988-01-01,partner,medium,11,injury;substance_misuse,C2,Child Two,2021-09-01,true,,false
    F-03,2025-12-24T23:59:00+00:00,,NN1 1AA,H1,V1,Victim One,1990-05-05,false,P1,Perp One,1988-01-01,ex_partner,high,27,strangulation;weapon;threats_to_kill;child_injured,C1,Child One,2012-01-01,true,100001,true
    F-03,2025-12-24T23:59:00+00:00,,NN1 1AA,H1,V1,Victim One,1990-05-05,false,P1,Perp One,1988-01-01,ex_partner,high,27,strangulation;weapon;threats_to_kill;child_injured,C2,Child Two,2021-09-01,false,,false
    F-04,2026-01-01T12:00:00+00:00,,NN2 2BB,H2,V2,Victim Two,2001-02-03,false,P1,Perp One,1988-01-01,partner,standard,,mental_health;breach_of_order,C3,Child Three,2025-11-01,true,,false
    F-05,2026-03-29T01:15:00+00:00,,NN2 2BB,H2,V2,Victim Two,2001-02-03,true,P1,Perp One,1988-01-01,partner,medium,14,professional_judgement,,,,,,
    F-06,2026-10-25T01:30:00+01:00,,NN1 1AA,H1,V1,Victim One,1990-05-05,false,P1,Perp One,1988-01-01,partner,standard,0,,C1,Child One,2012-01-01,false,100001,false
    F-07,2026-10-25T23:00:00+00:00,,NN3 3CC,H3,V3,Victim Three,1950-06-07,false,,,,other,high,20,weapon,,,,,,

    """.utf8)

/// The latest a deadline may fall after its incident: `working_days` walks at most 5,000 days and
/// `next_school_day` 1,000, both from the start of the incident's day; `hours` is at most 8,760 hours.
let fuzzMaxDeadlineSeconds: Int64 = 5_002 * 86_400

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let policy: Policy
    do {
        policy = try Policy(yaml: text, source: "fuzz.yaml")
    } catch {
        for e in error.errors {
            precondition(e.location.line >= 1 && !e.message.isEmpty && e.message.utf8.count <= 300)
        }
        return 0
    }
    _ = policy.explanation
    precondition(!policy.ruleIDs.isEmpty && !policy.destinationIDs.isEmpty)
    guard
        var reader = try? CSVIncidentReader(source: ByteSource(bytes: fuzzSample), name: "sample.csv", zone: policy.zone)
    else { preconditionFailure("the fixed sample must open") }
    var screener = Screener(policy: policy)
    let encoder = DecisionEncoder(policy: policy)
    var out: [UInt8] = []
    while let r = try? reader.next() {
        guard case .incident(let incident, _) = r else { preconditionFailure("the fixed sample has no rejects") }
        let t = incident.occurredAt.seconds
        let d = screener.screen(incident)
        for route in d.routes {
            precondition(route.notifyBy.seconds >= t && route.notifyBy.seconds - t <= fuzzMaxDeadlineSeconds)
        }
        precondition(d.history.householdScore.isFinite && d.history.victimScore.isFinite)
        encoder.appendJSONLine(d, to: &out)
    }
    let saved = screener.history.save()
    _ = try! History(state: saved, source: "s", policy: policy)
    return 0
}
