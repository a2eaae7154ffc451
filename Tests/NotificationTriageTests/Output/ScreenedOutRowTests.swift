import Testing
import _TriageTestSupport

@testable import NotificationTriage

/// A `screened_out.csv` row is one piece whose size is worked out first, the policy's usual reason quoted once
/// for every row. Each row is read back by the tests' own CSV parser and compared with the decision.
@Suite struct ScreenedOutRowTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var incidentID: String
        /// nil: the policy's own reason, as the screener gives it.
        var reason: String?
        var duplicate: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the usual reason", incidentID: "INC-1", reason: nil, duplicate: false),
        Case(name: "a re-send", incidentID: "INC-2", reason: nil, duplicate: true),
        Case(name: "an id that needs quotes and a formula guard", incidentID: "=1+1,\"x\"\n", reason: nil, duplicate: false),
        Case(name: "another reason with quotes", incidentID: "INC-3", reason: "held, \"pending\"\r\nreview", duplicate: false),
        Case(name: "the usual reason's text from another string", incidentID: "INC-4", reason: "copy", duplicate: true),
        Case(name: "an empty reason", incidentID: "INC-5", reason: "", duplicate: false),
        Case(name: "a long escaped id", incidentID: String(repeating: "\"", count: 300), reason: "-x", duplicate: false),
    ]

    @Test(arguments: cases)
    func rowsReadBackAsTheDecision(_ c: Case) throws {
        let policy = Policy.default
        var screener = Screener(policy: policy)
        var d = screener.screen(
            Incident(incidentID: c.incidentID, occurredAt: Build.at("2026-03-29 01:30"), victim: Person(personID: "V"), dashRisk: .standard)
        )
        try #require(d.screenedOut)
        // "copy": the policy's reason as a string of its own (equal text, other storage).
        let reason = c.reason == "copy" ? String(decoding: Array(policy.screenedOutReason.utf8), as: UTF8.self) : c.reason
        if let reason { d.screenedOutReason = reason }
        d.duplicate = c.duplicate
        var w = ByteWriter(capacity: 0)
        ScreenedOutRow(policy: policy).write(d, into: &w)
        #expect(w.bytes.suffix(2).elementsEqual([0x0D, 0x0A]))
        let rows = ScenarioCSV.rows(String(decoding: w.bytes, as: UTF8.self))
        try #require(rows.count == 1)
        // A text that starts like a formula (here `=` or `-` before a letter) gets a leading `'`.
        func cell(_ v: String) -> String { v.hasPrefix("=") || v.hasPrefix("-x") ? "'" + v : v }
        let want = [
            cell(c.incidentID), policy.zone.iso8601(d.incident.occurredAt), c.duplicate ? "true" : "false",
            cell(reason ?? policy.screenedOutReason),
        ]
        #expect(rows[0].count == ScreenedOutRow.columnNames.count)
        #expect(rows[0] == want)
    }
}
