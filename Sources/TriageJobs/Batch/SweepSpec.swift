import Foundation
import NotificationTriage

/// One `--vary` of `triage sweep`: a number of the policy (a rule's threshold or a history setting) and
/// the values to try, written `RULE-ID:FACT=2,3,4`, `RULE-ID:FACT=10..30/5` or `history:FIELD=…`.
package struct SweepSpec: Sendable, Equatable {
    package var setting: Policy.Setting
    package var values: [Double]
    /// The value in the policy as it is.
    package var current: Double
    /// Values are DASH gradings (`standard`, `medium`, `high`), held as their rank.
    package var isGrading: Bool

    /// Most values one range may give (a typing slip in the step should not make a million policies).
    static let maxValues = 1000

    /// Parses `text` and checks it against `policy`: the rule and the fact compared in its condition, or
    /// the history field, must exist, and every value must be one the policy file would accept.
    package init(_ text: String, policy: Policy) throws(SweepSpecError) {
        func fail(_ message: String) -> SweepSpecError { SweepSpecError(spec: text, message: message) }
        let expected = "expected RULE-ID:FACT=VALUES or history:FIELD=VALUES, VALUES as 2,3,4 or 10..30/5"
        guard let colon = text.firstIndex(of: ":"), let eq = text.firstIndex(of: "="), colon < eq else { throw fail(expected) }
        let owner = String(text[..<colon])
        let name = String(text[text.index(after: colon)..<eq])
        let list = String(text[text.index(after: eq)...])
        guard !owner.isEmpty, !name.isEmpty else { throw fail(expected) }
        setting = owner == "history" ? .history(name) : .threshold(rule: owner, fact: name)
        let info: Policy.SettingInfo
        do { info = try policy.info(setting) } catch { throw fail(error.description) }
        current = info.current
        isGrading = info.isGrading
        guard !list.isEmpty else { throw fail("no values after '='") }
        values = try SweepSpec.values(list, grading: isGrading, fail: fail)
        var seen: [Double] = []
        for v in values {
            if seen.contains(v) { throw fail("the value \(SweepSpec.text(v, grading: isGrading)) is given twice") }
            seen.append(v)
            do { _ = try policy.varying([(setting, v)]) } catch { throw fail(error.description) }
        }
    }

    /// `a,b,c` or `from..to/step` (numbers only), parsed.
    private static func values(_ list: String, grading: Bool, fail: (String) -> SweepSpecError) throws(SweepSpecError) -> [Double] {
        func number(_ s: Substring) throws(SweepSpecError) -> Double {
            let t = s.trimmingCharacters(in: .whitespaces)
            if grading {
                guard let g = DashRisk(text: t) else {
                    throw fail("'\(t)' is not a DASH grading: expected standard, medium or high")
                }
                return Double(DashRisk.allCases.firstIndex(of: g)!)
            }
            guard let v = Double(t), v.isFinite else { throw fail("'\(t)' is not a number") }
            return v
        }
        if let dots = list.range(of: "..") {
            guard !grading else { throw fail("a DASH grading is swept by a list (standard,medium,high), not a range") }
            guard let slash = list.firstIndex(of: "/"), slash > dots.upperBound else {
                throw fail("a range is written FROM..TO/STEP, for example 10..30/5")
            }
            let from = try number(list[..<dots.lowerBound])
            let to = try number(list[dots.upperBound..<slash])
            let step = try number(list[list.index(after: slash)...])
            guard step > 0 else { throw fail("the step of a range must be more than 0") }
            guard from <= to else { throw fail("a range must go up: FROM \(text(from, grading: false)) is more than TO") }
            guard (to - from) / step < Double(maxValues) else { throw fail("the range gives more than \(maxValues) values") }
            var out: [Double] = []
            var i = 0.0
            // Each value from the start (not by adding the step again and again), rounded to 9 places so
            // that 0.1 steps stay 0.3, not 0.30000000000000004.
            while true {
                let v = ((from + i * step) * 1e9).rounded() / 1e9
                if v > to + step * 1e-9 { break }
                out.append(v)
                i += 1
            }
            return out
        }
        var out: [Double] = []
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("an empty value in '\(list)'") }
            out.append(try number(part))
        }
        return out
    }

    /// `rule:fact` or `history:field`.
    package var label: String { Policy.label(setting) }

    /// Whether changing this setting changes what history counts (each value then needs a history of its own).
    package var isHistory: Bool { if case .history = setting { true } else { false } }

    /// A value as the user writes it: a grading's name, a whole number without decimals.
    package static func text(_ v: Double, grading: Bool) -> String {
        if grading { return DashRisk.allCases.indices.contains(Int(v)) ? DashRisk.allCases[Int(v)].rawValue : "\(v)" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        return String(v)
    }
}

/// A `--vary` that cannot be used: the spec as written and what is wrong with it.
package struct SweepSpecError: Error, Equatable, CustomStringConvertible {
    package var spec: String
    package var message: String
    package var description: String { "--vary '\(spec)': \(message)" }
}
