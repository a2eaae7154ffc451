/// The identities history is kept under. An incident is linked to one household, one victim, at most one
/// perpetrator and one victim–perpetrator pair, and each child under 18.
enum KeyKind: Int, CaseIterable, Sendable {
    case household, victim, child, perpetrator, pair

    var name: String {
        switch self {
        case .household: "household"
        case .victim: "victim"
        case .child: "child"
        case .perpetrator: "perpetrator"
        case .pair: "pair"
        }
    }
}

extension KeyKind {
    /// Which of ``HistoryEvent/next`` links a kind's lists (children link through ``ChildLink``).
    var link: Int {
        switch self {
        case .household: 0
        case .victim: 1
        case .perpetrator: 2
        case .pair: 3
        case .child: -1
        }
    }
}
