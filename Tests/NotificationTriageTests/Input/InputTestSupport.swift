@testable import NotificationTriage

/// Shared helpers for the input reader tests.
enum InputFixtures {
    static let london = ZoneRules(identifier: "Europe/London")!

    static let header =
        "incident_id,occurred_at,uprn,postcode,household_id,victim_id,victim_name,victim_dob,victim_pregnant,"
        + "perpetrator_id,perpetrator_name,perpetrator_dob,relationship,dash_risk,dash_score,flags,"
        + "child_id,child_name,child_dob,child_present,child_school_urn,child_injured,"
        + "location,circumstances,child_education,child_voice"

    /// A canonical row with overridable fields (by canonical name).
    static func row(_ overrides: [String: String] = [:]) -> String {
        let defaults: [String: String] = [
            "incident_id": "INC-1", "occurred_at": "2026-03-14T22:15:00+00:00", "uprn": "100023336956",
            "postcode": "NN1 1AA", "household_id": "", "victim_id": "P1", "victim_name": "Ann Example",
            "victim_dob": "1990-01-01", "victim_pregnant": "false", "perpetrator_id": "P2",
            "perpetrator_name": "Bob Example", "perpetrator_dob": "1988-05-05", "relationship": "partner",
            "dash_risk": "medium", "dash_score": "9", "flags": "injury;substance_misuse", "child_id": "C1",
            "child_name": "Cal Example", "child_dob": "2019-04-01", "child_present": "true",
            "child_school_urn": "123456", "child_injured": "false", "location": "", "circumstances": "",
            "child_education": "", "child_voice": "",
        ]
        return Column.names.map { overrides[$0] ?? defaults[$0]! }.joined(separator: ",")
    }

    /// The incident the default row (and the default JSON line) describes.
    static var expectedIncident: Incident {
        Incident(
            incidentID: "INC-1",
            occurredAt: Instant(seconds: Int64(CivilDate(year: 2026, month: 3, day: 14)!.dayNumber) * 86_400 + 22 * 3600 + 15 * 60),
            uprn: "100023336956", postcode: "NN1 1AA", householdID: nil,
            victim: Person(personID: "P1", name: "Ann Example", dateOfBirth: CivilDate(year: 1990, month: 1, day: 1)),
            perpetrator: Person(personID: "P2", name: "Bob Example", dateOfBirth: CivilDate(year: 1988, month: 5, day: 5)),
            relationship: .partner, dashRisk: .medium, dashScore: 9, flags: [.injury, .substanceMisuse],
            children: [
                Child(
                    personID: "C1", name: "Cal Example", dateOfBirth: CivilDate(year: 2019, month: 4, day: 1),
                    present: true, schoolURN: "123456", injured: false)
            ])
    }

    static let jsonLine =
        #"{"incident_id":"INC-1","occurred_at":"2026-03-14T22:15:00+00:00","uprn":"100023336956","postcode":"NN1 1AA","household_id":null,"victim":{"person_id":"P1","name":"Ann Example","dob":"1990-01-01","pregnant":false},"perpetrator":{"person_id":"P2","name":"Bob Example","dob":"1988-05-05"},"relationship":"partner","dash_risk":"medium","dash_score":9,"flags":["injury","substance_misuse"],"children":[{"person_id":"C1","name":"Cal Example","dob":"2019-04-01","present":true,"school_urn":"123456","injured":false,"education":null,"voice":null}],"location":null,"circumstances":null}"#

    static func readAll(_ reader: inout some IncidentReader) throws -> [InputRecord] {
        var out: [InputRecord] = []
        while let r = try reader.next() { out.append(r) }
        return out
    }

    static func csv(_ text: String, chunkSize: Int = ByteSource.defaultChunkSize, maxRecordBytes: Int = 8 << 20) throws
        -> [InputRecord]
    {
        try csv(Array(text.utf8), chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
    }

    static func csv(_ bytes: [UInt8], chunkSize: Int = ByteSource.defaultChunkSize, maxRecordBytes: Int = 8 << 20) throws
        -> [InputRecord]
    {
        let source = ByteSource(bytes: bytes, name: "in.csv", chunkSize: chunkSize)
        var reader = try CSVIncidentReader(source: source, name: "in.csv", zone: london, maxRecordBytes: maxRecordBytes)
        return try readAll(&reader)
    }

    static func jsonl(_ text: String, chunkSize: Int = ByteSource.defaultChunkSize) throws -> [InputRecord] {
        try jsonl(Array(text.utf8), chunkSize: chunkSize)
    }

    static func jsonl(_ bytes: [UInt8], chunkSize: Int = ByteSource.defaultChunkSize, maxRecordBytes: Int = 8 << 20) throws
        -> [InputRecord]
    {
        let source = ByteSource(bytes: bytes, name: "in.jsonl", chunkSize: chunkSize)
        var reader = JSONLinesIncidentReader(source: source, name: "in.jsonl", zone: london, maxRecordBytes: maxRecordBytes)
        return try readAll(&reader)
    }
}

extension InputRecord {
    var incident: Incident? {
        if case .incident(let i, _) = self { return i }
        return nil
    }

    var reject: Reject? {
        if case .reject(let r) = self { return r }
        return nil
    }

    var location: SourceLocation {
        switch self {
        case .incident(_, let l): return l
        case .reject(let r): return r.location
        }
    }
}

/// Runs a field parser over a string's bytes.
func withBytes<T>(_ s: String, _ body: (Bytes) -> T) -> T {
    Array(s.utf8).withUnsafeBufferPointer { body($0) }
}
