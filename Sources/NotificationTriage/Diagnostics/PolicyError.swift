/// A problem found in a policy file (`thresholds.yaml`), syntax or meaning, with where it is.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SourceLocation
    /// Lower-case message that quotes the bad token as `'…'` and says what was expected.
    public var message: String

    /// Creates an error; the message is capped at 300 bytes (`ValueDescription.maxMessageBytes`) so a
    /// hostile or mistaken file (a data export, a megabyte of NULs) is never echoed whole.
    public init(_ message: String, at location: SourceLocation) {
        self.location = location
        self.message = ValueDescription.capped(message)
    }

    /// `'token'` when `token` looks like a word a policy is written in (at most 40 printable ASCII bytes
    /// with no space, comma or quote: a key, id, fact, date or number), otherwise what kind of value it is
    /// (`a 26-character text`). A data file given by mistake is full of names and dates of birth joined by
    /// commas and spaces; this keeps them out of messages while a misspelt key is still quoted.
    static func quoted(_ token: some StringProtocol) -> String {
        let bytes = token.utf8
        let plain =
            !bytes.isEmpty && bytes.count <= 40
            && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "'") }
        return plain ? "'\(token)'" : ValueDescription.kind(of: bytes)
    }

    /// `file:line:col: message`.
    public var description: String { "\(location): \(message)" }
}

/// Every problem found in one policy file; validation collects them all rather than stopping at the first.
public struct PolicyErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var errors: [PolicyError]

    /// Creates the list.
    public init(_ errors: [PolicyError]) { self.errors = errors }

    /// One `file:line:col: message` per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
