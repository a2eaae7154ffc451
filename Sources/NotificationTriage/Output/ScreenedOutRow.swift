/// Writes a screened-out incident's row of `screened_out.csv` (`incident_id,occurred_at,duplicate,
/// screened_out_reason`) in one piece, its size worked out first; the policy's screened-out reason, which
/// nearly every such row has, is quoted once rather than per row.
package struct ScreenedOutRow: Sendable {
    /// The policy's zone, kept: reading it from the policy copies it (retaining its tables), per row.
    private let zone: ZoneRules
    private let usualReason: String
    private let usualReasonCSV: [UInt8]

    /// Rows for decisions made under `policy`.
    package init(policy: Policy) {
        zone = policy.zone
        usualReason = policy.screenedOutReason
        var w = ByteWriter(capacity: 128)
        w.csvField(usualReason)
        usualReasonCSV = w.bytes
    }

    /// The columns of a row (without its line end).
    package static let columnNames = ["incident_id", "occurred_at", "duplicate", "screened_out_reason"]

    /// Appends the decision's row, with its CRLF.
    package func write(_ d: Decision, into w: inout ByteWriter) {
        let reason = d.screenedOutReason ?? ""
        // The screener gives the policy's own string: equal at the cost of comparing two words.
        let usual = reason == usualReason
        let n =
            ByteCursor.textBound(d.incident.incidentID) &+ ZoneRules.maxISO8601Count &+ 10
            &+ (usual ? usualReasonCSV.count : ByteCursor.textBound(reason))
        w.write(atMost: n) { c in
            c.csvField(d.incident.incidentID)
            c.put(UInt8(ascii: ","))
            zone.putISO8601(d.incident.occurredAt, &c)
            c.put(d.duplicate ? ",true," : ",false,")
            if usual { c.put(usualReasonCSV) } else { c.csvField(reason) }
            c.put("\r\n")
        }
    }
}
