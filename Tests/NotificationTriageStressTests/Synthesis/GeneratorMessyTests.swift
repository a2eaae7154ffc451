import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageSynthesis

/// Messy generated files of 5,000–10,000 incidents read back by strict readers: one bad row per defect.
@Suite struct GeneratorMessyTests {
    /// A strict reader for the canonical CSV: one incident per run of rows with the same id; a row is bad
    /// when it is not RFC 4180, not UTF-8, or a required field is malformed.
    static func badCSVRows(_ bytes: [UInt8]) -> Int {
        var bad = 0
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropFirst().filter { !$0.isEmpty }
        for line in lines {
            guard let text = String(validating: line, as: UTF8.self) else {
                bad += 1
                continue
            }
            var fields: [String] = []
            var field = ""
            var quoted = false
            var wasQuoted = false
            var ok = true
            var chars = Array(text)[...]
            while let c = chars.popFirst() {
                if quoted {
                    if c == "\"" {
                        if chars.first == "\"" { field.append(chars.removeFirst()) } else { quoted = false }
                    } else {
                        field.append(c)
                    }
                } else if c == "," {
                    fields.append(field)
                    field = ""
                    wasQuoted = false
                } else if c == "\"" {
                    if field.isEmpty && !wasQuoted { quoted = true; wasQuoted = true } else { ok = false }
                } else {
                    if wasQuoted { ok = false }
                    field.append(c)
                }
            }
            fields.append(field)
            ok = ok && !quoted && fields.count == 22 && !fields[0].isEmpty
            if ok {
                let date = fields[1].prefix(10).split(separator: "-").compactMap { Int($0) }
                ok = fields[1].count == 25 && date.count == 3 && CivilDate(year: date[0], month: date[1], day: date[2]) != nil
                ok = ok && DashRisk(rawValue: fields[13]) != nil
                ok = ok && (fields[14].isEmpty || (Int(fields[14]).map { (0...27).contains($0) } ?? false))
            }
            if !ok { bad += 1 }
        }
        return bad
    }

    static func badJSONLines(_ bytes: [UInt8]) -> Int {
        var bad = 0
        for line in bytes.split(separator: 0x0A) {
            // Foundation's parser accepts a trailing comma (JSON5 leniency); a strict reader does not.
            let text = String(decoding: line, as: UTF8.self)
            if text.contains(",}") || text.contains(",]") {
                bad += 1
                continue
            }
            guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let at = o["occurred_at"] as? String, at.count == 25,
                let risk = o["dash_risk"] as? String, DashRisk(rawValue: risk) != nil
            else {
                bad += 1
                continue
            }
            let date = at.prefix(10).split(separator: "-").compactMap { Int($0) }
            let scoreOK = o["dash_score"] is NSNull || ((o["dash_score"] as? Int).map { (0...27).contains($0) } ?? false)
            if date.count != 3 || CivilDate(year: date[0], month: date[1], day: date[2]) == nil || !scoreOK { bad += 1 }
        }
        return bad
    }

    @Test(arguments: [("csv", 0.02), ("csv", 0.2), ("jsonl", 0.02), ("jsonl", 0.2)])
    func rejectsEqualDefects(format: String, rate: Double) {
        let n = 10_000
        let (bytes, summary) = file(GeneratorOptions(incidents: n, seed: 11, messyRate: rate), format)
        let bad = format == "csv" ? Self.badCSVRows(bytes) : Self.badJSONLines(bytes)
        #expect(bad == summary.defects)
        #expect(abs(Double(summary.defects) / Double(n) - rate) < rate * 0.25 + 0.002)
    }

    @Test func cleanOutputHasNoRejects() {
        #expect(Self.badCSVRows(file(GeneratorOptions(incidents: 5_000), "csv").bytes) == 0)
        #expect(Self.badJSONLines(file(GeneratorOptions(incidents: 5_000), "jsonl").bytes) == 0)
    }
}
