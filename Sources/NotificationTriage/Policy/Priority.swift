/// A route's urgency for a destination that has deadlines per priority (social care's RAG rating).
public enum Priority: String, Sendable, CaseIterable, Comparable {
    /// `red`: the most urgent.
    case red
    /// `amber`.
    case amber
    /// `green`: the least urgent.
    case green

    package var rank: Int {
        switch self {
        case .red: 3
        case .amber: 2
        case .green: 1
        }
    }

    /// Red is the highest: `green < amber < red`.
    public static func < (a: Priority, b: Priority) -> Bool { a.rank < b.rank }
}
