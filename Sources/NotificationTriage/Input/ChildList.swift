/// Adds an incident's children as they are read, checking ids: one child id is one child. A child listed
/// again with every field the same is kept (the screener merges the two and warns); listed again with any
/// field different, it is an error naming the first differing column (`child listed twice with a different
/// child_dob`), so the whole incident is rejected. The values are never quoted.
///
/// Both readers add children only through this type (a CSV row, a JSON `children` entry), so the two
/// formats treat a repeated child the same way.
struct ChildList {
    /// Position of the first child with each id; built only once the list outgrows a linear scan.
    private var positions: [String: Int] = [:]
    /// Up to this many children a linear scan finds an id (no hashing, no allocation).
    private static let linearLimit = 16

    /// Appends `child` to `children`, or throws when a child with the same id and different fields is
    /// already there. The error's column is 0: the caller gives the second occurrence's position.
    mutating func append(_ child: Child, to children: inout [Child]) throws(RecordError) {
        if children.isEmpty {
            children.append(child)
            return
        }
        if let i = index(of: child.personID, in: children) {
            if let field = Self.firstDifference(children[i], child) {
                throw RecordError(field: field, "child listed twice with a different \(field)")
            }
        } else if !positions.isEmpty {
            positions[child.personID] = children.count
        }
        children.append(child)
    }

    /// The position of the first child with `id`, if any.
    private mutating func index(of id: String, in children: [Child]) -> Int? {
        if children.count <= Self.linearLimit {
            return children.firstIndex { $0.personID == id }
        }
        if positions.isEmpty {
            for (i, c) in children.enumerated() where positions[c.personID] == nil { positions[c.personID] = i }
        }
        return positions[id]
    }

    /// The first child column (in schema order) whose values differ, or nil when the two are identical.
    static func firstDifference(_ a: Child, _ b: Child) -> String? {
        if a.name != b.name { return Column.childName.name }
        if a.dateOfBirth != b.dateOfBirth { return Column.childDob.name }
        if a.present != b.present { return Column.childPresent.name }
        if a.schoolURN != b.schoolURN { return Column.childSchoolURN.name }
        if a.injured != b.injured { return Column.childInjured.name }
        if a.education != b.education { return Column.childEducation.name }
        if a.voice != b.voice { return Column.childVoice.name }
        return nil
    }
}
