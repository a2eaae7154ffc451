/// Decodes one JSON Lines incident object straight into an `Incident`, with the CSV reader's field rules.
/// Unknown keys are skipped (their values still checked for syntax); missing keys and `null` are absent.
/// A key that appears twice in one object, at any level and whether known or not, rejects the record.
struct JSONIncidentDecoder {
    private var s: JSONScanner
    private let zone: ZoneRules
    /// What has been read so far (the incident id is kept for a reject).
    private(set) var draft = IncidentDraft()
    /// The children read so far, checked by id.
    private var childList = ChildList()

    init(line: Bytes, scratch: ScratchBuffer, zone: ZoneRules) {
        self.s = JSONScanner(line: line, scratch: scratch)
        self.zone = zone
    }

    /// Exact (case-sensitive) key comparison.
    @inline(__always)
    private static func eq(_ b: Bytes, _ lit: StaticString) -> Bool {
        let n = lit.utf8CodeUnitCount
        guard b.count == n, let p = b.baseAddress else { return false }
        let l = lit.utf8Start
        for i in 0..<n where p[i] != l[i] { return false }
        return true
    }

    mutating func decode() throws(RecordError) -> Incident {
        guard try s.peekKind() == .object else { throw s.error("expected an object", at: s.pos) }
        try s.beginObject()
        var first = true
        var seen = SeenKeys()
        while let key = try s.nextKey(first: &first) {
            typealias K = JSONIncidentDecoder
            if K.eq(key, "incident_id") {
                try once(&seen, 0, key, "incident_id")
                draft.incidentID = try identifier(.incidentID)
            } else if K.eq(key, "occurred_at") {
                try once(&seen, 1, key, "occurred_at")
                let at = valueStart()
                if let b = try stringBytes(.occurredAt) {
                    draft.occurredAt = try at.wrap { () throws(RecordError) in try Convert.dateTime(b, .occurredAt, zone: zone) }
                }
            } else if K.eq(key, "uprn") {
                try once(&seen, 2, key, "uprn")
                draft.uprn = try identifier(.uprn)
            } else if K.eq(key, "postcode") {
                try once(&seen, 3, key, "postcode")
                draft.postcode = try text(.postcode)
            } else if K.eq(key, "household_id") {
                try once(&seen, 4, key, "household_id")
                draft.householdID = try identifier(.householdID)
            } else if K.eq(key, "victim") {
                try once(&seen, 5, key, "victim")
                try person(victim: true)
            } else if K.eq(key, "perpetrator") {
                try once(&seen, 6, key, "perpetrator")
                try person(victim: false)
            } else if K.eq(key, "relationship") {
                try once(&seen, 7, key, "relationship")
                let at = valueStart()
                if let b = try stringBytes(.relationship) {
                    draft.relationship = try at.wrap { () throws(RecordError) in try Convert.relationship(b) }
                }
            } else if K.eq(key, "dash_risk") {
                try once(&seen, 8, key, "dash_risk")
                let at = valueStart()
                if let b = try stringBytes(.dashRisk) {
                    draft.dashRisk = try at.wrap { () throws(RecordError) in try Convert.dashRisk(b) }
                }
            } else if K.eq(key, "dash_score") {
                try once(&seen, 9, key, "dash_score")
                try dashScore()
            } else if K.eq(key, "flags") {
                try once(&seen, 10, key, "flags")
                try flags()
            } else if K.eq(key, "children") {
                try once(&seen, 11, key, "children")
                try children()
            } else if K.eq(key, "location") {
                try once(&seen, 12, key, "location")
                draft.location = try text(.location)
            } else if K.eq(key, "circumstances") {
                try once(&seen, 13, key, "circumstances")
                draft.circumstances = try text(.circumstances)
            } else {
                guard s.insertOther(&seen, key) else { throw s.duplicateKey(key, field: nil) }
                try s.skipValue()
            }
        }
        guard s.atEnd() else { throw s.error("unexpected content after the object", at: s.pos) }
        return try draft.build()
    }

    /// Refuses known key number `bit` of the current object when it was seen before (`place` names a
    /// nested object: ` in 'victim'`).
    @inline(__always)
    private func once(
        _ seen: inout SeenKeys, _ bit: Int, _ key: Bytes, _ field: String, in place: String = ""
    ) throws(RecordError) {
        guard seen.insert(known: bit) else { throw s.duplicateKey(key, field: field, in: place) }
    }

    // MARK: - Values

    /// The offset of the next value, for semantic errors' columns.
    private mutating func valueStart() -> ValueAt {
        s.skipWhitespace()
        return ValueAt(column: s.pos + 1)
    }

    /// `expected a string in 'dash_risk', found a number`: the kind of JSON value, never the value.
    /// Out of line: error paths kept small in the hot decoder.
    @inline(never)
    private func typeError(_ field: Column, _ expected: String, _ at: Int, found: JSONScanner.Kind) -> RecordError {
        RecordError(field: field.name, "expected \(expected) in '\(field.name)', found \(found.name)", column: at + 1)
    }

    /// `expected an object, found a number` for a nested value of the wrong kind (out of line).
    @inline(never)
    private func kindError(_ field: String, _ expected: String, found: JSONScanner.Kind, column: Int) -> RecordError {
        RecordError(field: field, "expected \(expected), found \(found.name)", column: column)
    }

    /// A string's bytes (or an integer's digits, for ids); nil for null.
    private mutating func stringBytes(_ field: Column, allowNumber: Bool = false) throws(RecordError) -> Bytes? {
        let kind = try s.peekKind()
        switch kind {
        case .string: return try s.readString()
        case .null:
            try s.readLiteral(kind)
            return nil
        case .number where allowNumber: return try s.readNumber().0
        default: throw typeError(field, "a string", s.pos, found: kind)
        }
    }

    /// Text (ids may also be JSON numbers); empty or null is nil.
    private mutating func text(_ field: Column) throws(RecordError) -> String? {
        guard let b = try stringBytes(field, allowNumber: true) else { return nil }
        return try Convert.text(b, field, validated: true)
    }

    /// An identifier (ids may also be JSON numbers): see ``Convert/identifier(_:_:validated:)``; empty or
    /// null is nil.
    @inline(__always)
    private mutating func identifier(_ field: Column) throws(RecordError) -> String? {
        s.skipWhitespace()
        let column = s.pos + 1
        guard let b = try stringBytes(field, allowNumber: true) else { return nil }
        return try Convert.identifier(b, field, validated: true, column: column)
    }

    /// A date; empty or null is nil.
    private mutating func date(_ field: Column) throws(RecordError) -> CivilDate? {
        let at = valueStart()
        guard let b = try stringBytes(field) else { return nil }
        return try at.wrap { () throws(RecordError) in try Convert.date(b, field) }
    }

    /// A JSON boolean (or a CSV boolean string); null is false. `present` reports a non-null value.
    private mutating func bool(_ field: Column, present: inout Bool) throws(RecordError) -> Bool {
        let at = valueStart()
        let kind = try s.peekKind()
        switch kind {
        case .literalTrue, .literalFalse:
            try s.readLiteral(kind)
            present = true
            return kind == .literalTrue
        case .null:
            try s.readLiteral(kind)
            return false
        case .string:
            let b = try s.readString()
            if !FieldParsers.trimmed(b).isEmpty { present = true }
            return try at.wrap { () throws(RecordError) in try Convert.bool(b, field) }
        default:
            throw typeError(field, "true or false", at.column - 1, found: kind)
        }
    }

    private mutating func dashScore() throws(RecordError) {
        let at = valueStart()
        let kind = try s.peekKind()
        switch kind {
        case .null: try s.readLiteral(kind)
        case .number:
            let (b, isInteger) = try s.readNumber()
            guard isInteger else {
                var e = Convert.dashScoreError(b)
                e.column = at.column
                throw e
            }
            draft.dashScore = try at.wrap { () throws(RecordError) in try Convert.dashScore(b) }
        case .string:
            let b = try s.readString()
            draft.dashScore = try at.wrap { () throws(RecordError) in try Convert.dashScore(b) }
        default:
            throw typeError(.dashScore, "a whole number", at.column - 1, found: kind)
        }
    }

    private mutating func flags() throws(RecordError) {
        let at = valueStart()
        let kind = try s.peekKind()
        switch kind {
        case .null: try s.readLiteral(kind)
        case .string:
            let b = try s.readString()
            try at.wrap { () throws(RecordError) in try Convert.flags(b, into: &draft) }
        case .array:
            try s.beginArray()
            var first = true
            while try s.nextElement(first: &first) {
                let elementAt = s.pos
                let elementKind = try s.peekKind()
                guard elementKind == .string else { throw typeError(.flags, "strings", elementAt, found: elementKind) }
                let b = try s.readString()
                _ = FieldParsers.addFlag(b, to: &draft.flags, unknown: &draft.unknownFlags)
            }
        default:
            throw typeError(.flags, "an array of strings", at.column - 1, found: kind)
        }
    }

    // MARK: - Nested objects

    private mutating func person(victim: Bool) throws(RecordError) {
        let at = valueStart()
        let kind = try s.peekKind()
        if kind == .null { return try s.readLiteral(kind) }
        let idField: Column = victim ? .victimID : .perpetratorID
        guard kind == .object else {
            throw kindError(
                victim ? "victim" : "perpetrator", "an object", found: kind, column: at.column)
        }
        try s.beginObject()
        var first = true
        var seen = SeenKeys()
        let place = victim ? " in 'victim'" : " in 'perpetrator'"
        while let key = try s.nextKey(first: &first) {
            typealias K = JSONIncidentDecoder
            if K.eq(key, "person_id") {
                try once(&seen, 0, key, idField.name, in: place)
                let id = try identifier(idField)
                if victim { draft.victimID = id } else { draft.perpetratorID = id }
            } else if K.eq(key, "name") {
                try once(&seen, 1, key, victim ? "victim_name" : "perpetrator_name", in: place)
                let name = try text(victim ? .victimName : .perpetratorName)
                if victim { draft.victimName = name } else { draft.perpetratorName = name }
            } else if K.eq(key, "dob") {
                try once(&seen, 2, key, victim ? "victim_dob" : "perpetrator_dob", in: place)
                let dob = try date(victim ? .victimDob : .perpetratorDob)
                if victim { draft.victimDob = dob } else { draft.perpetratorDob = dob }
            } else if victim && K.eq(key, "pregnant") {
                try once(&seen, 3, key, "victim_pregnant", in: place)
                var present = false
                draft.victimPregnant = try bool(.victimPregnant, present: &present)
            } else {
                guard s.insertOther(&seen, key) else { throw s.duplicateKey(key, field: nil, in: place) }
                try s.skipValue()
            }
        }
    }

    private mutating func children() throws(RecordError) {
        let at = valueStart()
        let kind = try s.peekKind()
        if kind == .null { return try s.readLiteral(kind) }
        guard kind == .array else {
            throw kindError("children", "an array", found: kind, column: at.column)
        }
        try s.beginArray()
        var first = true
        while try s.nextElement(first: &first) {
            let childAt = valueStart()
            let childKind = try s.peekKind()
            guard childKind == .object else {
                throw kindError(
                    "children", "an object for each child", found: childKind, column: childAt.column)
            }
            try s.beginObject()
            var c = ChildDraft()
            var firstKey = true
            var seen = SeenKeys()
            let place = " in a child"
            while let key = try s.nextKey(first: &firstKey) {
                typealias K = JSONIncidentDecoder
                if K.eq(key, "person_id") {
                    try once(&seen, 0, key, "child_id", in: place)
                    c.childID = try identifier(.childID)
                } else if K.eq(key, "name") {
                    try once(&seen, 1, key, "child_name", in: place)
                    c.name = try text(.childName)
                } else if K.eq(key, "dob") {
                    try once(&seen, 2, key, "child_dob", in: place)
                    c.dob = try date(.childDob)
                } else if K.eq(key, "present") {
                    try once(&seen, 3, key, "child_present", in: place)
                    c.present = try bool(.childPresent, present: &c.hasDetails)
                } else if K.eq(key, "school_urn") {
                    try once(&seen, 4, key, "child_school_urn", in: place)
                    c.schoolURN = try identifier(.childSchoolURN)
                } else if K.eq(key, "injured") {
                    try once(&seen, 5, key, "child_injured", in: place)
                    c.injured = try bool(.childInjured, present: &c.hasDetails)
                } else if K.eq(key, "education") {
                    try once(&seen, 6, key, "child_education", in: place)
                    let at = valueStart()
                    if let b = try stringBytes(.childEducation) {
                        c.education = try at.wrap { () throws(RecordError) in try Convert.education(b) }
                        c.hasDetails = c.hasDetails || c.education != nil
                    }
                } else if K.eq(key, "voice") {
                    try once(&seen, 7, key, "child_voice", in: place)
                    c.voice = try text(.childVoice)
                    c.hasDetails = c.hasDetails || c.voice != nil
                } else {
                    guard s.insertOther(&seen, key) else { throw s.duplicateKey(key, field: nil, in: place) }
                    try s.skipValue()
                }
            }
            try childAt.wrap { () throws(RecordError) in
                if let child = try c.build() { try childList.append(child, to: &draft.children) }
            }
        }
    }
}

/// The column of a value, attached to field errors that do not carry one.
private struct ValueAt {
    var column: Int

    @inline(__always)
    func wrap<T>(_ body: () throws(RecordError) -> T) throws(RecordError) -> T {
        do {
            return try body()
        } catch {
            var e = error
            if e.column == 0 { e.column = column }
            throw e
        }
    }
}
