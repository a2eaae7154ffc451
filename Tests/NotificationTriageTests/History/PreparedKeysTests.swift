import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageJobs

/// Keys worked out on the reading thread, and the reads ahead of screening, change no decision.
@Suite struct PreparedKeysTests {
    typealias B = Build

    /// Incidents that exercise every key: repeats at one household, a victim with no id, no perpetrator, a
    /// child listed twice, more children than are hashed ahead, a re-sent id and the empty id.
    static func incidents() -> [Incident] {
        let kids = (1...6).map { B.child("K\($0)", dob: "2015-0\($0)-01", present: true, urn: "10000\($0)") }
        var list: [Incident] = []
        for day in 1...9 {
            list.append(B.incident("R\(day)", at: "2026-03-0\(day) 10:00", household: "H1", children: [kids[0], kids[1]]))
            list.append(B.incident("S\(day)", at: "2026-03-0\(day) 11:00", household: "H\(day % 3)", victim: "V\(day % 2)"))
        }
        var noVictim = B.incident("N1", at: "2026-03-09 12:00", household: "H1", perpetrator: nil)
        noVictim.victim.personID = ""
        list.append(noVictim)
        list.append(B.incident("M1", at: "2026-03-09 13:00", household: "H2", children: kids + [kids[4]]))
        list.append(B.incident("R3", at: "2026-03-09 14:00", household: "H1", children: [kids[0]]))
        list.append(B.incident("", at: "2026-03-09 15:00", household: "H9"))
        return list
    }

    @Test func preparedHashesAreTheKeysHashes() {
        for incident in PreparedKeysTests.incidents() {
            let k = PreparedKeys(incident)
            #expect(k.household == incident.householdKey)
            #expect(k.hashes.household == KeyIndex.hash(incident.householdKey))
            #expect(k.hashes.victim == KeyIndex.hash(k.victim))
            #expect(k.hashes.incidentID == (incident.incidentID.isEmpty ? 0 : KeyIndex.hash(incident.incidentID)))
            if incident.victim.personID.isEmpty {
                #expect(k.victim == "\u{0}" + incident.incidentID)
            } else {
                #expect(k.victim == incident.victim.personID)
            }
            #expect(k.hashes.perpetrator == (incident.perpetrator.map { KeyIndex.hash($0.personID) } ?? 0))
            for (i, c) in incident.children.enumerated() {
                #expect(k.hashes.child(i, c.personID) == KeyIndex.hash(c.personID))
                // The first four are hashed ahead; the rest when screened.
                if i < KeyHashes.childCount { #expect(k.hashes.children[i] == KeyIndex.hash(c.personID)) }
            }
        }
    }

    /// The test incidents, their decisions by the public `screen(_:)`, and the screener that made them.
    static func screenedPlainly() -> (incidents: [Incident], decisions: [Decision], screener: Screener) {
        let incidents = incidents()
        var plain = Screener(policy: .default)
        let decisions = incidents.map { plain.screen($0) }
        return (incidents, decisions, plain)
    }

    static func batch(of incidents: [Incident]) -> RecordBatch {
        RecordBatch(records: incidents.map { .incident($0, SourceLocation(source: "t", line: 1)) })
    }

    /// The same decisions whether the keys are prepared and the history read ahead (as the batch jobs do)
    /// or not (the public `screen(_:)`), and the same history afterwards.
    @Test func warmedScreeningDecidesTheSame() {
        let (incidents, expected, plain) = PreparedKeysTests.screenedPlainly()
        var warmed = Screener(policy: .default)
        let batch = PreparedKeysTests.batch(of: incidents)
        var got: [Decision] = []
        for (i, incident) in incidents.enumerated() {
            warmed.history.warmAhead(batch, i)
            var d = warmed.screen(incident, keys: batch.keys[i])
            warmed.completeRoutes(&d)
            got.append(d)
        }
        #expect(got.count == expected.count)
        for (a, b) in zip(got, expected) {
            #expect(a.routes == b.routes)
            #expect(a.history == b.history)
            #expect(a.reasons == b.reasons)
            #expect(a.duplicate == b.duplicate)
        }
        #expect(got.filter(\.duplicate).count == 1)
        #expect(warmed.history.save() == plain.history.save())
    }

    /// Taking a record moves it out whole and leaves nothing behind; the keys stay.
    @Test func takingARecordLeavesNothingBehind() {
        let incidents = PreparedKeysTests.incidents()
        var batch = RecordBatch(records: incidents.map { .incident($0, SourceLocation(source: "t", line: 7)) })
        let n = batch.count
        guard case .incident(let first, let location) = batch.take(0) else {
            Issue.record("expected the incident")
            return
        }
        #expect(first == incidents[0])
        #expect(location.line == 7)
        #expect(batch.count == n)
        #expect(batch.records[0] == nil, "a taken record leaves nothing behind")
        #expect(batch.keys[0].household == incidents[0].householdKey)
    }

    /// Screening record `i` of a batch moves its keys out with the record (a copy would retain and release
    /// their strings) and leaves the later records' keys for the look-ahead; the decisions are those of the
    /// public `screen(_:)`.
    @Test func screeningARecordTakesItsKeysOnly() {
        let (incidents, expected, plain) = PreparedKeysTests.screenedPlainly()
        var batched = Screener(policy: .default)
        var batch = PreparedKeysTests.batch(of: incidents)
        for i in incidents.indices {
            guard case .success(let d) = batched.screen(&batch, at: i) else {
                Issue.record("record \(i) was rejected")
                return
            }
            #expect(d.routes == expected[i].routes)
            #expect(d.reasons == expected[i].reasons)
            #expect(batch.keys[i].household.isEmpty && batch.keys[i].hashes.household == 0, "record \(i)'s keys taken")
            for later in (i + 1)..<incidents.count {
                #expect(batch.keys[later].household == incidents[later].householdKey)
                #expect(batch.keys[later].hashes.household == KeyIndex.hash(incidents[later].householdKey))
            }
        }
        #expect(batched.history.save() == plain.history.save())
    }

    /// Routes leave the screener's buffers in order, the buffer's own array handed over; the buffer is left
    /// empty with room for a few, and an empty buffer hands over nothing.
    @Test(arguments: [0, 1, 3, 9])
    func handingOverKeepsOrderAndLeavesRoom(_ n: Int) {
        var buffer: [Route] = []
        buffer.reserveCapacity(16)
        func route(_ i: Int) -> Route {
            Route(
                destination: "destination-\(i)", childID: "child-with-a-long-identifier-\(i)", childIndex: i, priority: .amber,
                notifyBy: Instant(seconds: Int64(i)), rules: ["rule-with-a-long-identifier-\(i)"], destinationIndex: i)
        }
        for i in 0..<n { buffer.append(route(i)) }
        let expected = (0..<n).map(route)  // made again, not a copy of the buffer
        let moved = RouteMaker.handOver(&buffer, reserving: 4)
        #expect(moved == expected)
        #expect(buffer.isEmpty)
        #expect(buffer.capacity >= (n == 0 ? 16 : 4))
    }
}
