import Testing

@testable import NotificationTriage
@testable import TriageSynthesis

/// The incident-id table must behave exactly as a dictionary under any mix of remembering, updating and
/// forgetting, including through the index rebuilds that drop stale buckets.
@Suite struct IncidentIDTableTests {
    @Test(arguments: [10, 300, 5_000])
    func behavesAsADictionary(_ idSpace: Int) {
        var rng = SeededGenerator(seed: UInt64(idSpace))
        var table = IncidentIDTable()
        var reference: [String: IncidentIDTable.Value] = [:]
        var seq: UInt32 = 0
        for step in 0..<60_000 {
            // Ids of many lengths (the hash reads 8 bytes at a time), the empty id among them.
            let n = Int.random(in: 0..<idSpace, using: &rng)
            let id = n == 0 ? "" : "INC-" + String(repeating: "x", count: n % 13) + String(n)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5:
                seq += 1
                table[id] = SeenIncident(seq: seq, time: Int64(step))
                reference[id] = SeenIncident(seq: seq, time: Int64(step))
            case 5..<8:
                table[id] = nil
                reference[id] = nil
            default:
                #expect(table[id]?.seq == reference[id]?.seq)
            }
            if step % 997 == 0 {
                #expect(table.count == reference.count)
            }
        }
        #expect(table.count == reference.count)
        for (id, v) in reference {
            #expect(table[id]?.seq == v.seq && table[id]?.time == v.time)
        }
        let listed = table.bySequence()
        #expect(listed.map(\.id) == reference.sorted { $0.value.seq < $1.value.seq }.map(\.key))
    }

    /// As history uses it: new ids remembered with their slot, forgotten oldest first by slot (the empty id
    /// among them), with look-ups in between.
    @Test func slotsStayTheirsUntilRemoved() {
        var rng = SeededGenerator(seed: 9)
        var table = IncidentIDTable()
        var reference: [String: IncidentIDTable.Value] = [:]
        var order: [(slot: Int32, id: String)] = []
        var head = 0
        var next = 0
        for step in 0..<40_000 {
            if Int.random(in: 0..<3, using: &rng) > 0 {
                let id = Int.random(in: 0..<200, using: &rng) == 0 ? "" : "ID-\(next)"
                next += 1
                if reference[id] == nil {
                    let value = SeenIncident(seq: UInt32(step), time: Int64(step))
                    order.append((table.insert(id, value), id))
                    reference[id] = value
                }
            } else if head < order.count {
                let (slot, id) = order[head]
                head += 1
                #expect(table.value(atSlot: slot).seq == reference[id]?.seq)
                table.remove(slot: slot)
                reference[id] = nil
            }
            if step % 101 == 0, head < order.count {
                let id = order[Int.random(in: head..<order.count, using: &rng)].id
                #expect(table[id]?.seq == reference[id]?.seq)
            }
        }
        #expect(table.count == reference.count)
        for (id, v) in reference { #expect(table[id]?.seq == v.seq) }
    }

    /// Forgotten ids give their slots back at once: at a steady 40,000 live ids (40,001 just before each
    /// forget) the table holds no more slots than that, and its index no more buckets than its growth
    /// rule gives for them, however many ids pass through; every live id is still found.
    @Test func idTableReusesForgottenSlots() {
        var t = IncidentIDTable()
        var order: [Int32] = []
        for i in 0..<200_000 {
            order.append(t.insert("ID\(i)", SeenIncident(seq: UInt32(i), time: Int64(i))))
            if i >= 40_000 { t.remove(slot: order[i - 40_000]) }
        }
        #expect(t.count == 40_000)
        #expect(t.slotCount == 40_001)
        #expect(t.bucketCount <= 2 * 40_001)
        #expect(t["ID199999"]?.seq == 199_999)
        #expect(t["ID160000"]?.seq == 160_000)
        #expect(t["ID159999"] == nil)
    }
}
