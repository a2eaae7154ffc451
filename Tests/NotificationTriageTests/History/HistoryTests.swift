import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageSynthesis

@Suite struct HistoryTests {
    typealias B = Build

    @Test func decayMatchesHandComputedValues() {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("D1", at: "2025-09-11 10:00", risk: .medium))  // weight 4, 180 days before
        // 10:00 summer time is 09:00Z, so 09:00 GMT on 10 March is exactly 180 days later.
        let d = s.screen(B.incident("D2", at: "2026-03-10 09:00", risk: .standard))  // weight 1
        // 4 * 0.5^(180/180) + 1 = 3.0
        #expect(abs(d.history.householdScore - 3.0) < 1e-9)
        var s2 = Screener(policy: .default)
        _ = s2.screen(B.incident("D3", at: "2025-12-10 10:00", risk: .high, flags: .strangulation))  // weight 15, 90 days
        let d2 = s2.screen(B.incident("D4", at: "2026-03-10 10:00"))
        // 15 * 0.5^(0.5) + 1 = 11.6066...
        #expect(abs(d2.history.householdScore - (15 * 0.7071067811865476 + 1)) < 1e-9)
    }

    /// Decay counts local days too: 180 days across the October clock change (180 days and an hour elapsed)
    /// is exactly one half-life, and two incidents on one date, hours apart, are not decayed.
    @Test(arguments: [
        ("2025-09-15 10:00", "2026-03-14 10:00", 4 * 0.5 + 1),
        ("2026-03-14 00:30", "2026-03-14 23:30", 4.0 + 1),
    ])
    func decayCountsLocalDays(earlier: String, later: String, score: Double) {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("DD1", at: earlier, risk: .medium))
        let d = s.screen(B.incident("DD2", at: later))
        #expect(d.history.householdScore == score)
    }

    /// The window counts local calendar days (issue 14, item 5): an incident N days earlier counts when
    /// N ≤ 365, whatever the time of day or clock change.
    @Test(arguments: [
        ("2025-03-10 10:00", "2026-03-10 10:00", 2),  // 365 days
        ("2025-03-10 09:59", "2026-03-10 10:00", 2),  // 365 days and a minute: still the same date a year earlier
        ("2025-03-10 23:59", "2026-03-10 00:01", 2),  // 364 days and 2 minutes elapsed, 365 local days
        ("2025-03-09 23:59", "2026-03-10 00:01", 1),  // 366 local days, though only 365 days and 2 minutes elapsed
        ("2025-10-25 12:00", "2026-10-25 12:00", 2),  // summer time to winter time: 365 days and an hour elapsed
        ("2023-03-10 10:00", "2024-03-10 10:00", 1),  // 29 February 2024 lies between: 366 days
        ("2023-03-11 10:00", "2024-03-10 10:00", 2),
    ])
    func windowCountsLocalDays(earlier: String, later: String, household: Int) {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("W1", at: earlier))
        let d = s.screen(B.incident("W2", at: later))
        #expect(d.history.householdIncidents == household)
    }

    @Test func sameInstantCounts() {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("I1", at: "2026-03-10 10:00"))
        let d = s.screen(B.incident("I2", at: "2026-03-10 10:00"))
        #expect(d.history.householdIncidents == 2)
    }

    @Test func duplicatesAreNotRecounted() {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("X1", at: "2026-03-10 10:00"))
        let again = s.screen(B.incident("X1", at: "2026-03-10 10:00", risk: .high))
        #expect(again.duplicate)
        #expect(again.history.householdIncidents == 1)
        let next = s.screen(B.incident("X2", at: "2026-03-11 10:00"))
        #expect(!next.duplicate)
        #expect(next.history.householdIncidents == 2)
        #expect(next.history.pairIncidents == 2)
    }

    /// A pair's incidents are the perpetrator's incidents with this victim in the window (found in the
    /// perpetrator's list): counted here from the test's own list of what was screened, on random
    /// sequences of victims, perpetrators (some missing) and days over two years.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func pairCountsThePerpetratorsIncidentsWithThisVictimOnly(_ seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var s = Screener(policy: .default)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let start = utc.date(from: DateComponents(year: 2025, month: 1, day: 1))!
        var screened: [(day: Int, victim: String, perpetrator: String?)] = []
        var day = 0
        for i in 0..<400 {
            day += Int.random(in: 0..<4, using: &rng)
            let victim = "V\(Int.random(in: 0..<4, using: &rng))"
            let perpetrator: String? = Int.random(in: 0..<6, using: &rng) == 0 ? nil : "P\(Int.random(in: 0..<3, using: &rng))"
            let c = utc.dateComponents([.year, .month, .day], from: start.addingTimeInterval(Double(day) * 86_400))
            let date = String(format: "%04d-%02d-%02d 12:00", c.year!, c.month!, c.day!)
            let d = s.screen(B.incident("PR\(i)", at: date, household: "H\(i)", victim: victim, perpetrator: perpetrator))
            screened.append((day, victim, perpetrator))
            guard let perpetrator else {
                #expect(d.history.pairIncidents == nil)
                continue
            }
            // This one and every earlier one of the same victim and perpetrator at most 365 days before.
            let expected = screened.filter { $0.victim == victim && $0.perpetrator == perpetrator && $0.day >= day - 365 }.count
            #expect(d.history.pairIncidents == expected, "incident \(i)")
        }
    }

    @Test func historyFollowsAChildAcrossAddresses() {
        var s = Screener(policy: .default)
        _ = s.screen(
            B.incident(
                "A1", at: "2026-01-10 10:00", household: "HA", victim: "VA", perpetrator: "PA",
                children: [B.child("C1", dob: "2015-01-01", urn: "1")]))
        let d = s.screen(
            B.incident(
                "A2", at: "2026-03-10 10:00", household: "HB", victim: "VB", perpetrator: "PB",
                children: [B.child("C1", dob: "2015-01-01", urn: "1")]))
        #expect(d.history.householdIncidents == 1)
        #expect(d.history.children.first?.incidents == 2)
    }

    @Test func householdKeysNeverMerge() {
        // Same text in different key kinds stays apart; postcode households are per victim.
        var a = B.incident("K1", at: "2026-03-10 10:00", household: "12345")
        var b = B.incident("K2", at: "2026-03-10 11:00", household: "")
        b.householdID = nil
        b.uprn = "12345"
        a.victim.personID = "VA"
        b.victim.personID = "VB"
        var s = Screener(policy: .default)
        _ = s.screen(a)
        #expect(s.screen(b).history.householdIncidents == 1)
    }

    @Test func outOfOrderArrivalCountsForLaterIncidents() {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("O1", at: "2026-03-01 10:00"))
        _ = s.screen(B.incident("O3", at: "2026-03-20 10:00"))
        let late = s.screen(B.incident("O2", at: "2026-03-10 10:00"))
        #expect(late.outOfOrder)
        #expect(late.history.householdIncidents == 2)  // O1 and itself, not the later O3
        let after = s.screen(B.incident("O4", at: "2026-03-25 10:00"))
        #expect(after.history.householdIncidents == 4)
    }

    @Test func saveAndLoadRoundTrip() throws {
        let incidents = (0..<200).map { i in
            B.incident(
                "RT\(i)", at: "2026-0\(1 + i % 6)-\(10 + i % 18) \(10 + i % 10):00", household: "H\(i % 13)", victim: "V\(i % 17)",
                perpetrator: "P\(i % 11)", risk: i % 5 == 0 ? .high : .standard,
                children: i % 3 == 0 ? [B.child("C\(i % 7)", dob: "2016-01-01", urn: "1")] : [])
        }
        let encoder = DecisionEncoder(policy: .default)
        var whole = Screener(policy: .default)
        let all = incidents.map { encoder.jsonLine(whole.screen($0)) }
        var first = Screener(policy: .default)
        var lines = incidents[..<120].map { encoder.jsonLine(first.screen($0)) }
        let bytes = first.history.save()
        let loaded = try History(state: bytes, source: "state", policy: .default)
        #expect(loaded.save() == bytes)
        var second = Screener(policy: .default, history: loaded)
        lines += incidents[120...].map { encoder.jsonLine(second.screen($0)) }
        #expect(lines == all)
    }

    /// A state file with a valid checksum but a free list or keys that do not fit its table is refused,
    /// not trusted (it would later overwrite a live key); so is one whose copies of an incident's event
    /// disagree between its keys, that lists an incident under two households (one event cannot be in
    /// two lists of one kind), or that gives an empty slot events (no key reaches them, no sweep prunes them).
    @Test(arguments: [
        "free 99999", "free 0", "free -1", "duplicate key", "two households", "copies disagree", "events in an empty slot",
    ])
    func inconsistentStateIsRefused(defect: String) throws {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("F1", at: "2026-03-10 10:00", household: "HA"))
        _ = s.screen(B.incident("F2", at: "2026-03-11 10:00", household: "HB"))
        let saved = String(decoding: s.history.save(), as: UTF8.self)
        var lines = saved.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast(2)  // the checksum line and the empty string after the last line end
        let table = lines.firstIndex(of: lines.first { $0.hasPrefix("table household ") }!)!
        if defect == "duplicate key" {
            let second = lines[(table + 2)...].firstIndex { $0.hasPrefix("slot ") && $0 != lines[table + 2] }!
            lines[second] = lines[table + 2]
        } else if defect == "two households" {
            let second = lines[(table + 3)...].firstIndex { $0.hasPrefix("slot ") }!
            lines[second + 1] = lines[table + 3]
        } else if defect == "events in an empty slot" {
            let fields = lines[table + 2].split(separator: " ").map(String.init)
            lines[table + 2] = "slot - " + fields[2]
        } else if defect == "copies disagree" {
            let victims = lines.firstIndex(of: lines.first { $0.hasPrefix("table victim ") }!)!
            var fields = lines[victims + 3].split(separator: " ").map(String.init)
            fields[1] = "123.5"
            lines[victims + 3] = fields.joined(separator: " ")
        } else {
            lines[table + 1] = defect
        }
        let body = lines.joined(separator: "\n") + "\n"
        let bytes = Array(body.utf8) + Array("checksum \(fnv1a64Hex(Array(body.utf8)))\n".utf8)
        #expect(throws: StateError.self) { try History(state: bytes, source: "s", policy: .default) }
        // The unaltered file loads.
        #expect(throws: Never.self) { try History(state: s.history.save(), source: "s", policy: .default) }
    }

    /// Regression (found by the screen fuzz target, Tests/Fuzz): a history that never saw an incident
    /// saves its latest time as Int64.min, and that must load again (the byte-level reader overflowed).
    @Test func emptyAndExtremeHistoriesRoundTrip() throws {
        let empty = History(policy: .default)
        let loaded = try History(state: empty.save(), source: "s", policy: .default)
        #expect(loaded.save() == empty.save())
        // (The fuzzer's input was a header with misspelt columns, so nothing was read: an empty history.)
        // A latest time before 1970 is negative and reads back too.
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("E1", at: "1901-01-01 10:00"))
        let old = try History(state: s.history.save(), source: "s", policy: .default)
        #expect(old.save() == s.history.save())
    }

    @Test func corruptStateIsRefused() {
        var s = Screener(policy: .default)
        _ = s.screen(B.incident("Z1", at: "2026-03-10 10:00"))
        var bytes = s.history.save()
        #expect(throws: StateError.self) { try History(state: Array(bytes.dropLast(10)), source: "s", policy: .default) }
        bytes[20] ^= 1
        #expect(throws: StateError.self) { try History(state: bytes, source: "s", policy: .default) }
        #expect(throws: StateError.self) { try History(state: [], source: "s", policy: .default) }
    }

    @Test func memoryIsBoundedByTheWindow() {
        var s = Screener(policy: .default)
        // Two years of daily incidents at fresh households: only about a window's worth stays.
        for day in 0..<730 {
            let date = CivilDate(year: 2025, month: 1, day: 1)!.adding(days: day)
            _ = s.screen(B.incident("B\(day)", at: "\(date) 10:00", household: "H\(day)", victim: "V\(day)", perpetrator: "P\(day)"))
        }
        s.history.sweep()
        // The window, the lateness allowance and the time-zone margin: 365 + 90 + 3 days, and today.
        #expect(s.history.keyCounts[KeyKind.household.rawValue] <= 459)
        #expect(s.history.incidentCount <= 459)
    }

    /// Each key's events stay in time order, late arrivals included, whatever the insert order: under keys
    /// that link through the event (households) and through child links alike.
    @Test(arguments: [
        [10, 20, 30, 40], [40, 30, 20, 10], [20, 10, 40, 30], [10, 10, 5, 10, 50, 5],
    ])
    func listsKeepTimeOrder(times: [Int64]) {
        var h = History(policy: .default)
        func slots(_ name: String) -> History.IncidentSlots {
            History.IncidentSlots(
                household: h.tables[KeyKind.household.rawValue].slot(for: name),
                victim: h.tables[KeyKind.victim.rawValue].slot(for: name), perpetrator: -1,
                children: [h.tables[KeyKind.child.rawValue].slot(for: name)])
        }
        let a = slots("A")
        let b = slots("B")
        for (i, time) in times.enumerated() {
            h.record(incidentID: "A\(i)", time: time, weight: 1, marac: i % 2 == 0, slots: a)
            h.record(incidentID: "B\(i)", time: time + 1, weight: 2, marac: false, slots: b)
        }
        for kind in [KeyKind.household, .victim, .child] {
            #expect(h.events(kind, a.household).map(\.time) == times.sorted())
            #expect(h.events(kind, b.household).map(\.time) == times.sorted().map { $0 + 1 })
            // Events of equal time stay in arrival order.
            let equal = h.events(kind, a.household).filter { $0.time == times.sorted()[0] }.map(\.seq)
            #expect(equal == equal.sorted())
            #expect(h.events(kind, a.household).filter(\.marac).count == (times.count + 1) / 2)
        }
    }

    /// Spent keys are reused and spent events freed a chunk at a time, so a long run at a steady rate stops
    /// growing: events and keys held stay at about one window's worth however many incidents pass through.
    @Test func historyFreesSpentEventsAndSlots() {
        var h = History(policy: .default, chunkShift: 6)
        let day: Int64 = 86_400
        var peakEvents = 0
        var peakLinks = 0
        for d in Int64(0)..<3_000 {
            let t = d * day
            _ = h.observe(t)
            // A new household and child every day; the same victim every day (a 365-day window).
            let slots = History.IncidentSlots(
                household: h.tables[KeyKind.household.rawValue].slot(for: "K\(d)"),
                victim: h.tables[KeyKind.victim.rawValue].slot(for: "repeat"), perpetrator: -1,
                children: [h.tables[KeyKind.child.rawValue].slot(for: "C\(d)")])
            _ = h.figures(.victim, slots.victim, at: t, day: Int32(d), weight: 1)
            h.record(incidentID: "I\(d)", time: t, weight: 1, marac: false, slots: slots)
            if d >= 1_000 {
                peakEvents = max(peakEvents, h.events.held)
                peakLinks = max(peakLinks, h.childLinks.held)
            }
            if d % 50 == 0 { h.sweep() }
        }
        #expect(h.events(.victim, h.tables[KeyKind.victim.rawValue].find("repeat")!).count == 459)
        #expect(h.tables[KeyKind.household.rawValue].find("K10") == nil)
        #expect(h.tables[KeyKind.child.rawValue].find("C2999") != nil)
        // What is kept (459 days: the window, the lateness allowance, 3 days for the zone, and today), what a
        // sweep interval adds (50) and the chunk being filled plus one (2 × 64).
        #expect(peakEvents <= 459 + 50 + 128)
        #expect(peakLinks <= 459 + 50 + 128)
        #expect(h.tables[KeyKind.household.rawValue].keys.count <= 459 + 50 + 1)
        #expect(h.incidentCount <= 459)
    }

    /// The sweeps that recording starts (every 65,536 incidents) skip the walk over every key while no event
    /// can have expired, and still free spent keys once one has: two bursts of fresh households 500 days
    /// apart, each longer than a sweep interval.
    @Test func automaticSweepsWaitUntilSomethingCanExpire() {
        var h = History(policy: .default)
        let day: Int64 = 86_400
        func burst(_ start: Int64, _ prefix: String) {
            for i in 0..<70_000 {
                let t = start + Int64(i)  // one a second: well inside one day
                _ = h.observe(t)
                let slots = History.IncidentSlots(
                    household: h.tables[KeyKind.household.rawValue].slot(for: "\(prefix)\(i)"),
                    victim: h.tables[KeyKind.victim.rawValue].slot(for: "V"), perpetrator: -1, children: [])
                h.record(incidentID: "\(prefix)\(i)", time: t, weight: 1, marac: false, slots: slots)
            }
        }
        burst(0, "A")
        // The first sweep fell due inside the first window: skipped, every household still held.
        #expect(h.lastSweep != .min)
        #expect(h.sweepWalks == 0)
        #expect(h.keyCounts[KeyKind.household.rawValue] == 70_000)
        burst(500 * day, "B")
        // The sweep due in the second burst found the first burst expired and freed its households.
        #expect(h.keyCounts[KeyKind.household.rawValue] <= 70_000)
        #expect(h.tables[KeyKind.household.rawValue].find("A1") == nil)
        #expect(h.sweepWalks == 1)
        #expect(h.oldestLinked == h.lastSweep - (365 + 90 + 3) * day)
    }

    /// A sweep looks at keys a block at a time (``History/sweepBlock``): across block ends, it frees exactly
    /// the keys whose every incident is older than the cutoff and prunes the others to it. Every third
    /// household has an incident inside the window as well as one before it; the rest have only one, old or
    /// new by turns.
    @Test(arguments: [1, 4_095, 4_096, 4_097, 10_000])
    func sweepingFreesExactlyTheExpiredKeysAcrossBlocks(_ households: Int) {
        var h = History(policy: .default, chunkShift: 8)
        let day: Int64 = 86_400
        let old: Int64 = 10 * day
        let recent: Int64 = 600 * day
        var expected: [String: [Int64]] = [:]
        var seq = 0
        func add(_ key: String, _ t: Int64) {
            _ = h.observe(t)
            let slots = History.IncidentSlots(
                household: h.tables[KeyKind.household.rawValue].slot(for: key),
                victim: h.tables[KeyKind.victim.rawValue].slot(for: "V\(seq % 7)"), perpetrator: -1, children: [])
            h.record(incidentID: "I\(seq)", time: t, weight: 1, marac: false, slots: slots)
            seq += 1
        }
        for i in 0..<households { add("H\(i)", i % 2 == 0 || i % 3 == 0 ? old : recent) }
        for i in stride(from: 0, to: households, by: 3) { add("H\(i)", recent + 60) }
        h.sweep()
        // The cutoff: 458 days (window, lateness, zone) before the latest incident.
        let cutoff = recent + 60 - (365 + 90 + 3) * day
        for i in 0..<households {
            var times = [i % 2 == 0 || i % 3 == 0 ? old : recent]
            if i % 3 == 0 { times.append(recent + 60) }
            expected["H\(i)"] = times.filter { $0 >= cutoff }
        }
        for (key, kept) in expected {
            let slot = h.tables[KeyKind.household.rawValue].find(key)
            #expect((slot == nil) == kept.isEmpty, "\(key)")
            if let slot { #expect(h.events(.household, slot).map(\.time) == kept, "\(key)") }
        }
        #expect(h.tables[KeyKind.household.rawValue].liveKeys == expected.values.filter { !$0.isEmpty }.count)
    }

    /// Pruning skips reading an event only when every event of its chunk is inside the window: late
    /// arrivals (an old time in a new chunk) and chunks straddling the cutoff are still read and dropped.
    @Test func pruningByChunkStillDropsLateArrivals() {
        var h = History(policy: .default, chunkShift: 2)
        let day: Int64 = 86_400
        // In order for 40 days, then late arrivals dated back to days 1..5, all at one victim and one child.
        var times = (0..<40).map { Int64($0) * day }
        times += (1...5).map { Int64($0) * day + 3_600 }
        for (n, t) in times.enumerated() {
            _ = h.observe(t)
            let slots = History.IncidentSlots(
                household: h.tables[KeyKind.household.rawValue].slot(for: "H\(n % 3)"),
                victim: h.tables[KeyKind.victim.rawValue].slot(for: "V"), perpetrator: -1,
                children: [h.tables[KeyKind.child.rawValue].slot(for: "C")])
            h.record(incidentID: "I\(n)", time: t, weight: 1, marac: false, slots: slots)
        }
        // A window ending 368 days after day 0, with no lateness allowance, keeps days 3 onwards (the
        // cutoff is 3 more days back, for the time zone).
        var settings = Policy.default.history
        settings.lateDays = 0
        h.adopt(settings)
        _ = h.observe(371 * day)
        h.sweep()
        let cutoff = 3 * day
        for (kind, key) in [(KeyKind.victim, "V"), (.child, "C")] {
            let kept = h.events(kind, h.tables[kind.rawValue].find(key)!).map(\.time)
            #expect(kept == times.filter { $0 >= cutoff }.sorted())
        }
    }

    /// A block's time bounds (a sixteenth of a chunk) never misjudge an entry, even with late arrivals in it,
    /// and they do judge most entries of blocks wholly on one side: counted here from the times themselves.
    @Test(arguments: [2, 6, 8])
    func blockBoundsNeverMisjudgeAnEntry(_ chunkShift: Int) {
        var rng = SeededGenerator(seed: UInt64(chunkShift))
        var store = ChunkedStore<Int64>(chunkShift: chunkShift)
        var times: [Int64] = []
        for n in 0..<3_000 {
            // Mostly in order, one in ten late by up to 300 steps.
            let t = Int64(n) * 60 - (Int.random(in: 0..<10, using: &rng) == 0 ? Int64.random(in: 0..<18_000, using: &rng) : 0)
            times.append(t)
            #expect(store.append(t, time: t) == Int32(n))
        }
        let block = 1 << max(chunkShift - 4, 0)
        for cutoff in stride(from: Int64(-20_000), through: 200_000, by: 7_919) {
            var before = 0
            var after = 0
            var wholeBefore = 0
            var wholeAfter = 0
            for (i, t) in times.enumerated() {
                let b = store.surelyBefore(Int32(i), cutoff)
                let a = store.surelyAtOrAfter(Int32(i), cutoff)
                #expect(!b || t < cutoff, "entry \(i) judged before \(cutoff)")
                #expect(!a || t >= cutoff, "entry \(i) judged at or after \(cutoff)")
                if b { before += 1 }
                if a { after += 1 }
                let mates = times[(i / block * block)..<min((i / block + 1) * block, times.count)]
                if mates.allSatisfy({ $0 < cutoff }) { wholeBefore += 1 }
                if mates.allSatisfy({ $0 >= cutoff }) { wholeAfter += 1 }
            }
            #expect(before == wholeBefore)
            #expect(after == wholeAfter)
        }
    }

    /// Sweeps over keys whose incidents arrive out of time order (lists whose last entry is judged by its
    /// block, and emptied without being read, or pruned entry by entry) keep exactly each key's incidents at
    /// or after the cutoff and free the keys with none: checked after every sweep against the times recorded.
    @Test(arguments: [6, 8])
    func sweepsKeepExactlyTheIncidentsInsideTheWindow(_ chunkShift: Int) {
        var rng = SeededGenerator(seed: 11)
        var h = History(policy: .default, chunkShift: chunkShift)
        let day: Int64 = 86_400
        var recorded: [KeyKind: [String: [Int64]]] = [.household: [:], .victim: [:], .child: [:]]
        var latest: Int64 = .min
        for n in 0..<6_000 {
            // About three a day for five and a half years; one in eight up to 60 days late.
            var t = Int64(n) * day / 3
            if Int.random(in: 0..<8, using: &rng) == 0 { t -= Int64.random(in: 0..<(60 * day), using: &rng) }
            t = max(t, 0)
            latest = max(latest, t)
            _ = h.observe(t)
            let keys: [KeyKind: String] = [
                .household: "H\(Int.random(in: 0..<900, using: &rng))",
                .victim: "V\(Int.random(in: 0..<1_500, using: &rng))",
                .child: "C\(Int.random(in: 0..<600, using: &rng))",
            ]
            let slots = History.IncidentSlots(
                household: h.tables[KeyKind.household.rawValue].slot(for: keys[.household]!),
                victim: h.tables[KeyKind.victim.rawValue].slot(for: keys[.victim]!), perpetrator: -1,
                children: [h.tables[KeyKind.child.rawValue].slot(for: keys[.child]!)])
            h.record(incidentID: "I\(n)", time: t, weight: 1, marac: false, slots: slots)
            for (kind, key) in keys { recorded[kind]![key, default: []].append(t) }
            if n % 500 == 499 {
                h.sweep()
                let cutoff = latest - (365 + 90 + 3) * day
                for (kind, byKey) in recorded {
                    var live = 0
                    for (key, all) in byKey {
                        let kept = all.filter { $0 >= cutoff }.sorted()
                        let slot = h.tables[kind.rawValue].find(key)
                        #expect((slot == nil) == kept.isEmpty, "\(kind) \(key) after \(n + 1)")
                        if let slot {
                            #expect(h.events(kind, slot).map(\.time) == kept, "\(kind) \(key) after \(n + 1)")
                            live += 1
                        }
                    }
                    #expect(h.tables[kind.rawValue].liveKeys == live)
                }
            }
        }
    }

    /// Removing a key in place (backward-shift deletion) leaves exactly the live keys' buckets, each still
    /// found, through wrap-around at the table's end, growth, and slots reused at once. The index is kept
    /// between half and 0.7 full, so probe runs are long and cross the end.
    @Test(arguments: [1, 7, 1_000] as [UInt64])
    func removingInPlaceKeepsEveryOtherKeyFindable(_ seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var table = KeyTable()
        var live: [Int32] = []
        var removed: [String] = []
        for step in 0..<40_000 {
            let target = step < 20_000 ? 700 : 2_000
            if live.count < 100 || (live.count < target && Int.random(in: 0..<2, using: &rng) == 0) {
                let slot = table.slot(for: "key-\(step)-" + String(repeating: "x", count: step % 11))
                #expect(!live.contains(slot))
                live.append(slot)
            } else {
                let slot = live.remove(at: Int.random(in: 0..<live.count, using: &rng))
                removed.append(table.keys[Int(slot)])
                _ = table.remove(slots: [slot])
            }
            if step % 499 == 0 || step == 39_999 {
                // The buckets hold exactly the live slots (no stale bucket left behind) ...
                let held = table.index.buckets.filter { $0.tag != 0 }.map(\.slot).sorted()
                #expect(held == live.sorted())
                #expect(table.index.count == live.count && table.liveKeys == live.count)
                // ... each found by its key, and no removed key is found.
                for s in live { #expect(table.find(table.keys[Int(s)]) == s) }
                for k in removed.suffix(50) { #expect(table.find(k) == nil) }
            }
        }
    }

    /// Freeing many slots in one call (a sweep's, each bucket read a few removals ahead) leaves the table
    /// exactly as freeing them one at a time in the same order does: the same buckets, the same free list
    /// (so the same slots are reused next), the same keys found.
    @Test(arguments: [(1, 0), (2, 1), (3, 8), (4, 9), (5, 3_000)] as [(UInt64, Int)])
    func freeingSlotsTogetherEqualsFreeingThemOneByOne(seed: UInt64, count: Int) {
        var rng = SeededGenerator(seed: seed)
        var table = KeyTable()
        for i in 0..<6_000 { _ = table.slot(for: "k\(i)-" + String(repeating: "y", count: i % 13)) }
        var slots = Array(0..<Int32(6_000))
        slots.shuffle(using: &rng)
        let gone = Array(slots.prefix(count))
        var together = table
        var oneByOne = table
        _ = together.remove(slots: gone)
        // One at a time: a call per slot, with nothing to read ahead.
        for s in gone { _ = oneByOne.remove(slots: [s]) }
        #expect(together.index.buckets.map(\.slot) == oneByOne.index.buckets.map(\.slot))
        #expect(together.index.buckets.map(\.tag) == oneByOne.index.buckets.map(\.tag))
        #expect(together.free == oneByOne.free && together.keys == oneByOne.keys)
        // Independently of the one-by-one table: the freed keys are gone and every other is found.
        let freed = Set(gone)
        for s in 0..<Int32(6_000) {
            let key = "k\(s)-" + String(repeating: "y", count: Int(s) % 13)
            #expect(together.find(key) == (freed.contains(s) ? nil : s))
        }
    }

    /// Distinct values are counted exactly past the 16 held inline.
    @Test(arguments: [0, 1, 15, 16, 17, 40])
    func smallDistinctCountsExactly(_ n: Int) {
        var d = SmallDistinct()
        for _ in 0..<3 {
            for v in 0..<n { d.insert(Int32(v * 7)) }
        }
        #expect(d.count == n)
    }

    /// With no household id or UPRN, the household is the postcode (capitals, no spaces) with the victim.
    @Test(arguments: [
        ("NN1 1AA", "V1", "nn11aa", "V1", true), ("NN1 1AA", "V1", " nn1  1Aa ", "V1", true),
        ("NN1 1AA", "V1", "NN1 1AB", "V1", false), ("NN1 1AA", "V1", "NN1 1AA", "V2", false),
    ])
    func postcodeHouseholds(firstPostcode: String, firstVictim: String, secondPostcode: String, secondVictim: String, same: Bool) {
        func incident(_ id: String, _ postcode: String, _ victim: String, _ time: String) -> Incident {
            var i = B.incident(id, at: time, victim: victim)
            i.householdID = nil
            i.uprn = nil
            i.postcode = postcode
            return i
        }
        var s = Screener(policy: .default)
        _ = s.screen(incident("PC1", firstPostcode, firstVictim, "2026-03-10 10:00"))
        let d = s.screen(incident("PC2", secondPostcode, secondVictim, "2026-03-11 10:00"))
        #expect(d.history.householdIncidents == (same ? 2 : 1))
    }

    /// Victims with no id are never linked to each other (and do not break the key table).
    @Test func victimsWithoutIdAreNotLinked() {
        var s = Screener(policy: .default)
        var last: Decision? = nil
        for day in 1...3 {
            var i = B.incident("U\(day)", at: "2026-03-1\(day) 10:00", household: "HU\(day)", victim: "", perpetrator: nil)
            i.victim.personID = ""
            last = s.screen(i)
        }
        #expect(last?.history.victimIncidents == 1)
        s.history.sweep()
        #expect(s.history.keyCounts[KeyKind.victim.rawValue] == 3)
    }
}

extension History {
    /// The events of a slot, oldest first (for tests).
    func events(_ kind: KeyKind, _ slot: Int32) -> [HistoryEvent] {
        var out: [HistoryEvent] = []
        forEach(kind, slot) { out.append($0) }
        return out
    }
}

extension History {
    /// Test shorthand: time `t`'s UTC day as its local day.
    mutating func observe(_ t: Int64) -> Bool { observe(t, day: Int32(t / 86_400)) }

    /// Test shorthand: ``record(incidentID:time:day:weight:marac:slots:version:replacing:idHash:)`` on the UTC day.
    mutating func record(incidentID: String, time: Int64, weight: Double, marac: Bool, slots: IncidentSlots) {
        record(incidentID: incidentID, time: time, day: Int32(time / 86_400), weight: weight, marac: marac, slots: slots)
    }
}
