/// An establishment's status in the register.
public enum SchoolStatus: String, Sendable {
    /// "Open".
    case open
    /// "Closed": children recorded at it have moved on, to a successor if the links file names one.
    case closed
    /// "Open, but proposed to close": still open, so still the school to notify.
    case openProposedToClose
    /// "Proposed to open": registered but not yet taking pupils.
    case proposedToOpen

    /// Whether children can attend it today (open, even if proposed to close).
    public var isOpen: Bool { self == .open || self == .openProposedToClose }

    /// The status named as in the register's `EstablishmentStatus (name)` column (any case, outer spaces
    /// ignored), or nil for a name the register does not use.
    public init?(registerName: String) {
        switch registerName.trimmingSpaces.lowercased() {
        case "open": self = .open
        case "closed": self = .closed
        case "open, but proposed to close": self = .openProposedToClose
        case "proposed to open": self = .proposedToOpen
        default: return nil
        }
    }

    /// The name the register uses for this status.
    public var registerName: String {
        switch self {
        case .open: "Open"
        case .closed: "Closed"
        case .openProposedToClose: "Open, but proposed to close"
        case .proposedToOpen: "Proposed to open"
        }
    }
}

/// One establishment of the national register (Get Information About Schools).
public struct School: Sendable, Equatable {
    /// Unique Reference Number (`URN`), as written (six digits in practice).
    public var urn: String
    /// `EstablishmentName`, decoded from the register's ISO-8859-1 to proper text.
    public var name: String
    /// `LA (code)`: the local authority's three-digit code, e.g. "855".
    public var laCode: String
    /// `LA (name)`: the local authority's name, e.g. "Leicestershire".
    public var laName: String
    /// `EstablishmentStatus (name)`.
    public var status: SchoolStatus
    /// `CloseDate`, nil when the register gives none.
    public var closeDate: CivilDate?
    /// `PhaseOfEducation (name)`, e.g. "Primary", "Secondary", "Not applicable".
    public var phase: String
    /// `StatutoryLowAge`, nil when empty.
    public var lowAge: Int?
    /// `StatutoryHighAge`, nil when empty.
    public var highAge: Int?
    /// `Postcode`, nil when empty.
    public var postcode: String?

    /// Creates a school record.
    public init(
        urn: String, name: String, laCode: String, laName: String, status: SchoolStatus, closeDate: CivilDate? = nil,
        phase: String = "", lowAge: Int? = nil, highAge: Int? = nil, postcode: String? = nil
    ) {
        self.urn = urn
        self.name = name
        self.laCode = laCode
        self.laName = laName
        self.status = status
        self.closeDate = closeDate
        self.phase = phase
        self.lowAge = lowAge
        self.highAge = highAge
        self.postcode = postcode
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
