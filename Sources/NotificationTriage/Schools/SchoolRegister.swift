/// The register: schools by URN, and closed schools' successors from the links file.
///
/// Read from the Get Information About Schools downloads as published (`edubasealldataYYYYMMDD.csv` and
/// `links_edubasealldataYYYYMMDD.csv`: ISO-8859-1, quoted fields, CRLF), with no conversion needed. Any
/// defect in either file is an `InputError` naming the file, line and column.
public struct SchoolRegister: Sendable {
    /// The establishments' columns used, in the order `School` is built from them.
    static let columns = [
        "URN", "EstablishmentName", "LA (code)", "LA (name)", "EstablishmentStatus (name)", "CloseDate",
        "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge", "Postcode",
    ]
    /// The links file's columns used.
    static let linkColumns = ["URN", "LinkURN", "LinkType"]
    /// How many successor links `successor(of:)` follows at most.
    static let maxSuccessorSteps = 10

    private var schools: [String: School]
    /// Successor URNs of each URN, in file order.
    private var successors: [String: [String]]

    /// Reads the establishments file at `path` and, when given, the links file.
    public init(contentsOfFile path: String, linksFile: String? = nil) throws(InputError) {
        schools = try SchoolRegister.readSchools(ByteSource(path: path))
        successors = try linksFile.map { (file) throws(InputError) in try SchoolRegister.readLinks(ByteSource(path: file)) } ?? [:]
    }

    /// Reads the establishments file's bytes (named `name` in errors) and, when given, the links file's.
    public init(bytes: [UInt8], name: String, links: [UInt8]? = nil, linksName: String = "<links>") throws(InputError) {
        schools = try SchoolRegister.readSchools(ByteSource(bytes: bytes, name: name))
        successors = try links.map { (l) throws(InputError) in try SchoolRegister.readLinks(ByteSource(bytes: l, name: linksName)) } ?? [:]
    }

    /// A register built in memory: `successors` maps a URN to its successors' URNs, nearest first.
    public init(schools: [School], successors: [String: [String]] = [:]) {
        var byURN: [String: School] = [:]
        for school in schools { byURN[school.urn] = school }
        self.schools = byURN
        self.successors = successors
    }

    /// The number of establishments.
    public var count: Int { schools.count }

    /// The establishment with this URN (outer spaces ignored), or nil.
    public subscript(urn: String) -> School? {
        if let school = schools[urn] { return school }
        let trimmed = urn.trimmingSpaces
        return trimmed.count == urn.count ? nil : schools[String(trimmed)]
    }

    /// For a closed school, the open school it leads to through successor links (LinkType containing
    /// "Successor", following a chain, at most 10 steps, ignoring cycles); nil when none.
    ///
    /// The nearest open successor wins (at equal distance, the first link in the file). A successor that is
    /// only proposed to open is not open yet: the chain is followed past it but it is not returned. Nil too
    /// for a URN that is not in the register or not closed.
    public func successor(of urn: String) -> School? {
        guard let start = self[urn], start.status == .closed else { return nil }
        var seen: Set<String> = [start.urn]
        var frontier = [start.urn]
        for _ in 0..<SchoolRegister.maxSuccessorSteps {
            var next: [String] = []
            for from in frontier {
                for to in successors[from] ?? [] where seen.insert(to).inserted {
                    if let school = schools[to], school.status.isOpen { return school }
                    next.append(to)
                }
            }
            if next.isEmpty { return nil }
            frontier = next
        }
        return nil
    }

    // MARK: - Reading

    static func readSchools(_ source: ByteSource) throws(InputError) -> [String: School] {
        var csv = try RegisterCSV(source, columns: columns)
        var schools: [String: School] = [:]
        var lines: [String: Int] = [:]
        while try csv.next() {
            let urnBytes = csv.bytes(0)
            guard RegisterCSV.isDigits(urnBytes) else {
                throw csv.error(column: 0, urnBytes.isEmpty ? "empty" : "expected digits")
            }
            let urn = RegisterCSV.text(urnBytes)
            if let first = lines[urn] { throw csv.error(column: 0, "the same URN as line \(first)") }
            let statusText = csv.string(4)
            guard let status = SchoolStatus(registerName: statusText) else {
                throw csv.error(column: 4, "expected Open, Closed, Open, but proposed to close, or Proposed to open")
            }
            let closeBytes = csv.bytes(5)
            var closeDate: CivilDate? = nil
            if !closeBytes.isEmpty {
                guard let date = RegisterCSV.date(closeBytes) else { throw csv.error(column: 5, "expected DD-MM-YYYY") }
                closeDate = date
            }
            let lowAge = try age(&csv, 7)
            let highAge = try age(&csv, 8)
            let postcode = csv.string(9)
            lines[urn] = csv.line
            schools[urn] = School(
                urn: urn, name: csv.string(1), laCode: csv.string(2), laName: csv.string(3), status: status,
                closeDate: closeDate, phase: csv.string(6), lowAge: lowAge, highAge: highAge,
                postcode: postcode.isEmpty ? nil : postcode)
        }
        return schools
    }

    /// A statutory age column: empty, or a whole number of years.
    private static func age(_ csv: inout RegisterCSV, _ k: Int) throws(InputError) -> Int? {
        let b = csv.bytes(k)
        if b.isEmpty { return nil }
        guard b.count <= 3, let years = FieldParsers.smallInt(b) else { throw csv.error(column: k, "expected a whole number of years") }
        return years
    }

    static func readLinks(_ source: ByteSource) throws(InputError) -> [String: [String]] {
        var csv = try RegisterCSV(source, columns: linkColumns)
        var successors: [String: [String]] = [:]
        while try csv.next() {
            // Only successor links count; "Predecessor", "Sixth form centre link" and the like do not.
            guard csv.string(2).lowercased().contains("successor") else { continue }
            for k in 0..<2 {
                let b = csv.bytes(k)
                guard RegisterCSV.isDigits(b) else { throw csv.error(column: k, b.isEmpty ? "empty" : "expected digits") }
            }
            let from = csv.string(0)
            let to = csv.string(1)
            if from != to && !(successors[from]?.contains(to) ?? false) { successors[from, default: []].append(to) }
        }
        return successors
    }
}
