/// An incident's history keys and their hashes, worked out before it is screened: by ``ParseAhead`` on the
/// reading thread, so that the screening thread neither builds nor hashes them, and can warm the table
/// entries they lead to a few incidents early (``History/warm(_:_:)``).
///
/// Made from the incident alone (the same for any policy); the pair key, which is made of two slots, is
/// left to the screening.
package struct PreparedKeys: Sendable {
    /// The household key (``Incident/householdKey``).
    var household = ""
    /// The victim key: the victim's id, or for a victim with no id a key of the incident's own.
    var victim = ""
    package var hashes = KeyHashes()

    /// Nothing prepared (a reject's place in a batch).
    package init() {}

    package init(_ incident: borrowing Incident) {
        household = incident.householdKey
        // A victim with no id (possible through the library API; the readers reject it) cannot be linked to
        // any other incident: a key of its own, which no id can equal, rather than one shared by every unknown.
        victim = incident.victim.personID.isEmpty ? "\u{0}" + incident.incidentID : incident.victim.personID
        hashes.incidentID = IncidentIDTable.hash(incident.incidentID)
        hashes.household = KeyIndex.hash(household)
        hashes.victim = KeyIndex.hash(victim)
        if let p = incident.perpetrator, !p.personID.isEmpty { hashes.perpetrator = KeyIndex.hash(p.personID) }
        for (i, c) in incident.children.prefix(KeyHashes.childCount).enumerated() where !c.personID.isEmpty {
            hashes.children[i] = KeyIndex.hash(c.personID)
        }
    }
}

/// The hashes of an incident's keys (``KeyIndex/hash(_:)``, never 0; 0 where there is no such key; the
/// id's as ``IncidentIDTable/hash(_:)``).
package struct KeyHashes: Sendable {
    /// Children past the first four are hashed when screened.
    static let childCount = 4
    var incidentID: UInt64 = 0
    var household: UInt64 = 0
    var victim: UInt64 = 0
    var perpetrator: UInt64 = 0
    var children = SIMD4<UInt64>(repeating: 0)

    /// The hash of child `i`'s id (`id`), computed here when it was not prepared.
    @inline(__always)
    func child(_ i: Int, _ id: String) -> UInt64 {
        i < KeyHashes.childCount && children[i] != 0 ? children[i] : KeyIndex.hash(id)
    }
}

/// The levels of a history look-up that ``History/warm(_:_:)`` reads ahead, in the order they are reached.
package enum WarmStage: Sendable {
    /// The index buckets (the key hash gives where).
    case buckets
    /// The slots' keys and list ends (the buckets give which).
    case slots
    /// The first event of each list (the slots give which).
    case events
}
