import Foundation
import Testing

@testable import NotificationTriage

/// A re-sent incident id replaces its earlier version in every history (issue 14, item 1), through the
/// library, across state files, and for ids whose events have left history.
@Suite struct ResendTests {
    /// Versions in a row: each replaces the one before; the figures of a later incident count only the
    /// latest; a MARAC referral once made stays made (a downgrade does not withdraw it).
    @Test func eachVersionReplacesTheOneBefore() {
        var s = Screener(policy: .default)
        let kid = [B.child("C1", dob: "2016-01-01", urn: "100001")]
        _ = s.screen(B.incident("R1", at: "2026-01-05 10:00", children: kid))
        let v2 = s.screen(B.incident("R1", at: "2026-01-05 10:00", risk: .high, children: kid))
        #expect(v2.supersedes?.dashRisk == .init(before: .standard, after: .high))
        #expect(v2.supersedes?.routesAdded == ["social_care", "marac"])
        let v3 = s.screen(B.incident("R1", at: "2026-01-05 10:00", risk: .medium, children: kid))
        #expect(v3.supersedes?.dashRisk == .init(before: .high, after: .medium))
        #expect(v3.supersedes?.routesRemoved == ["social_care", "marac"])
        // One incident counted, weight 4 (medium), decayed 10 days: 4 × 0.5^(10/180) + 1.
        let later = s.screen(B.incident("R2", at: "2026-01-15 10:00", children: kid))
        #expect(later.history.householdIncidents == 2)
        #expect(abs(later.history.householdScore - (4 * exp2(-10.0 / 180) + 1)) < 1e-9)
        #expect(later.history.children.first?.incidents == 2)
        // The high version's referral stands.
        #expect(later.history.pairMaracReferrals == 1)
    }

    /// A child added by a re-send is linked to the incident; a child dropped by one is not.
    @Test func childrenFollowTheLatestVersion() {
        var s = Screener(policy: .default)
        let a = B.child("CA", dob: "2016-01-01", urn: "1")
        let b = B.child("CB", dob: "2017-01-01", urn: "2")
        _ = s.screen(B.incident("K1", at: "2026-01-05 10:00", children: [a]))
        let v2 = s.screen(B.incident("K1", at: "2026-01-05 10:00", children: [b]))
        #expect(v2.supersedes?.children == nil)  // one child either way
        let later = s.screen(B.incident("K2", at: "2026-01-06 10:00", household: "H9", children: [a, b]))
        #expect(later.history.children.map(\.incidents) == [1, 2])
    }

    /// Saved and loaded between versions, the re-send still finds and replaces the earlier version.
    @Test func aReSendAfterAStateFileReplacesTheEarlierVersion() throws {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("S1", at: "2026-01-05 10:00"))
        let loaded = try History(state: s.history.save(), source: "state", policy: .default)
        var t = Screener(policy: .default, history: loaded)
        let v2 = t.screen(B.incident("S1", at: "2026-01-05 10:00", risk: .high))
        #expect(v2.duplicate)
        #expect(v2.supersedes?.earlierVersionHeld == true)
        #expect(v2.supersedes?.routesAdded == ["marac"])
        let later = t.screen(B.incident("S2", at: "2026-02-05 10:00"))
        #expect(later.history.householdIncidents == 2)
        #expect(later.history.pairMaracReferrals == 1)
        // And the state saved after the re-send loads to the same bytes.
        let again = try History(state: t.history.save(), source: "state", policy: .default)
        #expect(again.save() == t.history.save())
    }

    /// A version 1 state file (before re-sends were recorded) still loads: its ids are recognised, what they
    /// said is not known.
    @Test func aVersionOneStateFileStillLoads() throws {
        let v1 = """
            triage-state 1
            window 31536000
            max 1767607200
            nextseq 1
            seen 1
            OLD 0 1767607200
            table household 1 0
            free
            slot H1 1
            1767607200 1 0 0 0 0
            table victim 1 0
            free
            slot V1 1
            1767607200 1 0 0 0 0
            table child 0 0
            free
            table perpetrator 0 0
            free
            table pair 0 0
            free
            end

            """
        var bytes = Array(v1.utf8)
        bytes += Array("checksum \(fnv1a64Hex(bytes))\n".utf8)
        var s = Screener(policy: .default, history: try History(state: bytes, source: "old", policy: .default))
        let d = s.screen(B.incident("OLD", at: "2026-01-05 10:00", perpetrator: nil))
        #expect(d.duplicate)
        #expect(d.supersedes == Supersedes(earlierVersionHeld: false))
        #expect(d.history.householdIncidents == 1)  // the earlier version replaced, not added to
    }

    /// A version 2 state file kept a victim–perpetrator pair table; it still loads, the table is dropped
    /// (pairs are found in the perpetrators' lists, which hold the same incidents), and the pair is counted
    /// as before. Saved again, it is a version 3 file with no pair table. A version 2 file whose pair table
    /// is missing or malformed is refused, naming the line.
    @Test func aVersionTwoStateFileWithAPairTableStillLoads() throws {
        func file(pairTable: String) -> [UInt8] {
            let text = """
                triage-state 2
                window 31536000
                max 1767607200
                nextseq 2
                seen 2
                E0 0 1767520800 0 0 -1 0 0 0 1
                E1 1 1767607200 0 0 -1 0 0 0 1
                remembered 0
                table household 1 0
                free
                slot h:H1 2
                1767520800 1 0 0 0 0
                1767607200 1 1 0 0 0
                table victim 1 0
                free
                slot V1 2
                1767520800 1 0 0 0 0
                1767607200 1 1 0 0 0
                table child 0 0
                free
                table perpetrator 1 0
                free
                slot P1 2
                1767520800 1 0 0 0 0
                1767607200 1 1 0 0 0
                \(pairTable)end

                """
            var bytes = Array(text.utf8)
            bytes += Array("checksum \(fnv1a64Hex(bytes))\n".utf8)
            return bytes
        }
        let pairs = """
            table pair 1 0
            free
            slot 0,0 2
            1767520800 1 0 0 0 0
            1767607200 1 1 0 0 0

            """
        let history = try History(state: file(pairTable: pairs), source: "v2", policy: .default)
        let saved = String(decoding: history.save(), as: UTF8.self)
        #expect(saved.hasPrefix("triage-state 3\n"))
        #expect(!saved.contains("table pair"))
        var s = Screener(policy: .default, history: history)
        let d = s.screen(B.incident("E2", at: "2026-01-06 10:00"))
        #expect(d.history.pairIncidents == 3)
        #expect(d.history.perpetratorIncidents == 3)
        #expect(s.screen(B.incident("E3", at: "2026-01-06 11:00", victim: "V2")).history.pairIncidents == 1)

        for (table, line) in [("", 26), ("table pair 1 0\nfree\nslot 0,0 2\n1767520800 1 0 0 0\n", 29)] {
            #expect {
                try History(state: file(pairTable: table), source: "v2", policy: .default)
            } throws: { error in
                let e = error as? StateError
                return e?.location.line == line && e?.message.hasPrefix("malformed state file: expected") == true
            }
        }
    }

    /// Ids older than the kept history are remembered by fingerprint for `remember_ids_days`, then forgotten.
    @Test(arguments: [(400, true), (729, true), (731, false)])
    func idsAreRememberedForTheirPeriod(daysLater: Int, recognised: Bool) {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("F1", at: "2024-01-01 10:00"))
        let later = CivilDate(year: 2024, month: 1, day: 1)!.adding(days: daysLater)
        _ = s.screen(B.incident("F2", at: "\(later) 10:00", household: "H2"))
        let d = s.screen(B.incident("F1", at: "2024-01-01 10:00"))
        #expect(d.duplicate == recognised)
        #expect(d.warnings.contains { $0.message.contains("remembered for") } == !recognised)
    }

    @Test func rememberedIDsSurviveRebuildsAndExpire() {
        var r = RememberedIDs()
        for i in 0..<10_000 { r.insert(KeyIndex.hash("ID\(i)"), day: Int32(i / 100), oldestDay: 0) }
        #expect((0..<10_000).allSatisfy { r.contains(KeyIndex.hash("ID\($0)"), since: 0) })
        #expect(!r.contains(KeyIndex.hash("ID10000"), since: 0))
        // Days before 50 are expired: ignored by look-ups and dropped by the next rebuild.
        #expect(!r.contains(KeyIndex.hash("ID4999"), since: 50))
        #expect(r.contains(KeyIndex.hash("ID5000"), since: 50))
        for i in 10_000..<30_000 { r.insert(KeyIndex.hash("ID\(i)"), day: 100, oldestDay: 50) }
        #expect(r.live(since: 50).count == 25_000)
        #expect(r.used <= 25_000 + 5_000)
    }

    /// Ids remembered day after day with a moving cut-off (as a long run does): every live id is found, no
    /// expired one, and the table stays within four buckets per live id (12 bytes each).
    @Test func rememberedIDsStayWithinFourBucketsAnId() {
        var r = RememberedIDs()
        let perDay = 500
        let window: Int32 = 50
        var most = 0
        for day in Int32(0)..<200 {
            let oldest = max(0, day - window + 1)
            for k in 0..<perDay { r.insert(KeyIndex.hash("D\(day)-\(k)"), day: day, oldestDay: oldest) }
            let live = Int(day - oldest + 1) * perDay
            #expect(r.capacity <= max(1024, 4 * live), "day \(day)")
            most = max(most, r.capacity)
        }
        #expect(most <= 4 * Int(window) * perDay)
        let lastOldest: Int32 = 199 - window + 1
        #expect((0..<perDay).allSatisfy { r.contains(KeyIndex.hash("D199-\($0)"), since: lastOldest) })
        #expect((0..<perDay).allSatisfy { r.contains(KeyIndex.hash("D\(lastOldest)-\($0)"), since: lastOldest) })
        #expect(!(0..<perDay).contains { r.contains(KeyIndex.hash("D\(lastOldest - 1)-\($0)"), since: lastOldest) })
    }
}
