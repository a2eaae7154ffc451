/// Who to send each school's pack to: a CSV with the header `urn,email` or `urn,dsl_name,email` (any order,
/// any case; other columns are ignored), one row per school. `--school-contacts FILE`.
package struct SchoolContacts: Sendable {
    /// The contact of each URN: `Name <email>`, or the email alone.
    package private(set) var byURN: [String: String] = [:]

    /// Reads the file; a row without a URN or an email, or a URN listed twice, is an error naming its line.
    package init(contentsOfFile path: String) throws(InputError) {
        var csv = try RegisterCSV(ByteSource(path: path), columns: ["urn", "email"], optional: ["dsl_name"])
        while try csv.next() {
            let urn = csv.string(0)
            let email = csv.string(1)
            guard !urn.isEmpty, RegisterCSV.isDigits(csv.bytes(0)) else { throw csv.error(column: 0, "expected a school URN (digits)") }
            guard email.contains("@") else { throw csv.error(column: 1, "expected an email address") }
            guard byURN[urn] == nil else { throw csv.error(column: 0, "URN \(urn) is listed twice") }
            let name = csv.string(2)
            byURN[urn] = name.isEmpty ? email : "\(name) <\(email)>"
        }
    }
}
