import NotificationTriage

/// The rows of the decisions CSV (`--format csv`) and of `screened_out.csv`, as their column names and as
/// typed workbook cells (`--format xlsx`, `--xlsx`): the same columns in the same order with the same values,
/// times on the policy's wall clock.
struct DecisionRows {
    let zone: ZoneRules
    let asOf: Instant?

    /// The columns of `--format csv`, one row per route (or one for a decision with none).
    var names: [String] {
        ["incident_id", "occurred_at", "screened_out", "duplicate", "to", "child_id", "priority", "notify_by"]
            + (asOf != nil ? ["overdue"] : []) + ["rules", "reasons", "screened_out_reason"]
    }

    /// The rows of a decision, as `--format csv` writes them.
    func cells(_ d: Decision) -> [[XlsxCell]] {
        let prefix: [XlsxCell] = [
            .text(d.incident.incidentID), .dateTime(zone.local(d.incident.occurredAt)), Self.bool(d.screenedOut),
            Self.bool(d.duplicate),
        ]
        guard !d.routes.isEmpty else {
            let empty = [XlsxCell](repeating: .text(""), count: asOf != nil ? 7 : 6)
            return [prefix + empty + [.text(d.screenedOutReason ?? "")]]
        }
        return d.routes.map { r in
            prefix + [.text(r.destination), .text(r.childID ?? ""), .text(r.priority?.rawValue ?? ""), .dateTime(zone.local(r.notifyBy))]
                + (asOf.map { [Self.bool(r.notifyBy < $0)] } ?? [])
                + [.text(r.rules.joined(separator: ";")), .text(d.reasonText(for: r)), .text("")]
        }
    }

    /// The row of a screened-out decision in `screened_out.csv`.
    func screenedOutCells(_ d: Decision) -> [XlsxCell] {
        [
            .text(d.incident.incidentID), .dateTime(zone.local(d.incident.occurredAt)), Self.bool(d.duplicate),
            .text(d.screenedOutReason ?? ""),
        ]
    }

    /// `true` or `false` as text, as the CSV has it (a spreadsheet's own TRUE would read differently).
    static func bool(_ b: Bool) -> XlsxCell { .text(b ? "true" : "false") }
}

extension XlsxColumn {
    /// A column of our CSV files, wide enough for the values its name says it holds and for its header
    /// with the filter's button beside it.
    init(csvColumn name: String) {
        let values: Double
        switch name {
        case "occurred_at", "notify_by": values = 19
        case "reasons": values = 60
        case "screened_out_reason": values = 40
        case "rules", "flags": values = 28
        case _ where name.hasSuffix("_dob"): values = 11
        case _ where name.hasSuffix("_name"): values = 22
        case _ where name.hasSuffix("_id"), "uprn": values = 14
        default: values = 8
        }
        self.init(name, width: max(values, Double(name.count) + 4))
    }
}
