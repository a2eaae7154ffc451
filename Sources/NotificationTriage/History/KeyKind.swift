/// The identities history is kept under. An incident is linked to one household, one victim, at most one
/// perpetrator, and each child under 18. A victim–perpetrator pair's incidents are those of the
/// perpetrator's list with the pair's victim (``History/perpetratorFigures(_:at:day:weight:victim:household:)``):
/// no list of their own.
enum KeyKind: Int, CaseIterable, Sendable {
    case household, victim, child, perpetrator

    var name: String {
        switch self {
        case .household: "household"
        case .victim: "victim"
        case .child: "child"
        case .perpetrator: "perpetrator"
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
        case .child: -1
        }
    }
}
