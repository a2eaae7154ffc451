import NotificationTriage

extension DestinationWriter {
    /// The columns of this destination's CSV, for its workbook (`--out DIR --xlsx`).
    var xlsxColumns: [XlsxColumn] { columnNames.map(XlsxColumn.init(csvColumn:)) }

    /// The CSV row ``write(_:_:into:)`` writes for a route, as typed cells: times on the policy's wall
    /// clock, dates of birth as dates, the DASH score as a number, everything else text as the CSV has it.
    func cells(_ d: Decision, _ r: Route) -> [XlsxCell] {
        let zone = policy.zone
        let child = r.childIndex.map { d.incident.children[$0] }
        var row: [XlsxCell] = [.text(r.destination), .text(r.priority?.rawValue ?? ""), .dateTime(zone.local(r.notifyBy))]
        if let asOf { row.append(DecisionRows.bool(r.notifyBy < asOf)) }
        row += [.text(r.rules.joined(separator: ";")), DecisionRows.bool(d.duplicate)]
        for f in fields {
            switch f {
            case .occurredAt: row.append(.dateTime(zone.local(d.incident.occurredAt)))
            case .victimDOB: row.append(Self.date(d.incident.victim.dateOfBirth))
            case .perpetratorDOB: row.append(Self.date(d.incident.perpetrator?.dateOfBirth))
            case .childDOB: row.append(Self.date(child?.dateOfBirth))
            case .dashScore: row.append(d.incident.dashScore.map { .number(Double($0)) } ?? .text(""))
            default: row.append(.text(text(f, d, child: child) ?? ""))
            }
        }
        return row
    }

    private static func date(_ d: CivilDate?) -> XlsxCell { d.map(XlsxCell.date) ?? .text("") }
}
