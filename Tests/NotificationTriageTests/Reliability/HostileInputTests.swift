import Foundation
import Testing

@testable import NotificationTriage
@testable import TriageSynthesis

/// Hostile and huge input: each gets a clear error or reject with bounded memory, never a crash or an
/// unbounded read. The bounds: a CSV record or JSON line is held only up to 8 MiB (CSVIncidentReader /
/// JSONLinesIncidentReader `maxRecordBytes`), a header up to 10,000 columns, JSON nesting up to 64 levels,
/// policy nesting up to 64 block levels and 32 flow levels.
@Suite struct HostileInputTests {
    let zone = Policy.default.zone
    let header = IncidentEncoder.csvHeader

    func readAll(_ bytes: [UInt8], csv: Bool = true, max: Int = 1 << 20) throws -> [InputRecord] {
        var out: [InputRecord] = []
        if csv {
            var r = try CSVIncidentReader(source: ByteSource(bytes: bytes), name: "h.csv", zone: zone, maxRecordBytes: max)
            while let x = try r.next() { out.append(x) }
        } else {
            var r = JSONLinesIncidentReader(source: ByteSource(bytes: bytes), name: "h.jsonl", zone: zone, maxRecordBytes: max)
            while let x = try r.next() { out.append(x) }
        }
        return out
    }

    let good = "I-1,2026-03-10T10:00:00+00:00,,NN1 1AA,H1,V1,Ann,1990-01-01,false,P1,Bob,1980-01-01,partner,standard,,,,,,,,\n"

    @Test func hugeLineIsRejectedAndReadingGoesOn() throws {
        var bytes = Array((header + "\n").utf8)
        bytes += Array("I-0,2026-03-10T10:00:00+00:00,,NN1 1AA,H1,V1,".utf8) + [UInt8](repeating: 0x41, count: 20 << 20) + [0x0A]
        bytes += Array(good.utf8)
        let records = try readAll(bytes)
        #expect(records.count == 2)
        guard case .reject(let r) = records[0] else { Issue.record("expected a reject"); return }
        #expect(r.message.contains("larger than the limit"))
        guard case .incident = records[1] else { Issue.record("the next record was lost"); return }
    }

    @Test func hugeQuotedFieldIsRejected() throws {
        var bytes = Array((header + "\n").utf8)
        bytes +=
            Array("I-0,2026-03-10T10:00:00+00:00,,NN1 1AA,H1,V1,\"".utf8) + [UInt8](repeating: 0x42, count: 5 << 20) + Array("\",x\n".utf8)
        bytes += Array(good.utf8)
        let records = try readAll(bytes)
        #expect(records.contains { if case .reject = $0 { true } else { false } })
    }

    @Test func millionColumnHeaderIsAClearError() {
        let bytes = Array((String(repeating: "x,", count: 1_000_000) + "y\n").utf8)
        #expect(throws: InputError.self) { _ = try readAll(bytes, max: 8 << 20) }
    }

    @Test func deeplyNestedJSONIsRejected() throws {
        let deep = Array(("{\"incident_id\":" + String(repeating: "[", count: 100_000) + "\n").utf8)
        let records = try readAll(deep + Array("{\"incident_id\":\"x\"}\n".utf8), csv: false)
        #expect(records.count == 2)
        guard case .reject(let r) = records[0] else { Issue.record("expected a reject"); return }
        #expect(r.location.line == 1)
    }

    @Test func fileEndingMidQuoteIsRejected() throws {
        let bytes = Array((header + "\n" + good + "I-2,\"2026-03-10").utf8)
        let records = try readAll(bytes)
        #expect(records.count == 2)
        guard case .reject(let r) = records[1] else { Issue.record("expected a reject"); return }
        #expect(r.message.contains("quote"))
    }

    @Test func nulBytesNeverCrash() throws {
        var bytes = Array((header + "\n" + good).utf8)
        for i in stride(from: header.utf8.count + 5, to: bytes.count, by: 7) { bytes[i] = 0 }
        let records = try readAll(bytes)
        #expect(records.count >= 1)
    }

    @Test func utf16FileGetsAClearError() {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for b in (header + "\n").utf8 { bytes += [b, 0] }
        do {
            _ = try readAll(bytes)
            Issue.record("expected an error")
        } catch {
            #expect((error as? InputError)?.message.contains("UTF-16") == true)
        }
    }

    @Test func recursivePolicyStructuresAreRefused() {
        let flow = "a: " + String(repeating: "[", count: 10_000) + "\n"
        #expect(throws: PolicyErrors.self) { _ = try Policy(yaml: flow, source: "f.yaml") }
        var block = ""
        for i in 0..<200 { block += String(repeating: " ", count: i) + "k\(i):\n" }
        #expect(throws: PolicyErrors.self) { _ = try Policy(yaml: block, source: "b.yaml") }
        #expect(throws: PolicyErrors.self) { _ = try Policy(yaml: "a: &x [*x]\n", source: "r.yaml") }
    }
}
