/// A problem found in a policy file (`thresholds.yaml`), syntax or meaning, with where it is.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SourceLocation
    /// Lower-case message that quotes the bad token as `'…'` and says what was expected.
    public var message: String

    /// Creates an error.
    public init(_ message: String, at location: SourceLocation) {
        self.location = location
        self.message = message
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
