import Foundation
import Testing
import _TriageTestSupport

@testable import NotificationTriage
@testable import TriageJobs

/// `triage sweep`: each combination's counts are exactly those of `triage compare` against a policy file
/// with that value, whether the combination shares the baseline's history or has one of its own.
@Suite(.serialized) struct SweepCommandTests {
    /// A swept setting and how to write one of its values into thresholds.yaml by text substitution.
    struct Case: CustomTestStringConvertible, Sendable {
        var spec: String
        var values: [String]
        /// The text in thresholds.yaml that holds the baseline value, with `#` where the value goes.
        var template: String
        var baselineValue: String
        var testDescription: String { spec }
    }

    static let cases = [
        // Shares the baseline's history: a rule-only change.
        Case(
            spec: "repeat-household:household.incidents", values: ["2", "3", "4", "5"], template: "{fact: household.incidents, gte: #}",
            baselineValue: "3"),
        Case(
            spec: "cumulative-risk:household.score", values: ["10", "15", "25", "30"], template: "{fact: household.score, gte: #}",
            baselineValue: "20"),
        // A child rule: evaluated once per child, still on the shared history.
        Case(spec: "repeat-child:child.incidents", values: ["2", "4"], template: "{fact: child.incidents, gte: #}", baselineValue: "3"),
        // A history each: a MARAC rule while marac-repeat reads pair.marac_referrals, and a history setting.
        Case(
            spec: "marac-escalation:pair.incidents", values: ["2", "4"], template: "{fact: pair.incidents, gte: #}", baselineValue: "3"),
        Case(spec: "history:half_life_days", values: ["90", "365"], template: "half_life_days: #", baselineValue: "180"),
    ]

    func object(_ data: Data) throws -> [String: Any] { try #require(JSONSerialization.jsonObject(with: data) as? [String: Any]) }

    @Test(arguments: cases)
    func eachValueCountsWhatCompareCountsForThatPolicyFile(_ c: Case) throws {
        let dir = Triage.tempDir()
        let input = Triage.path("samples/incidents.csv")
        let sweep = try Triage.run([
            "sweep", "--thresholds", "thresholds.yaml", "--vary", "\(c.spec)=\(c.values.joined(separator: ","))", input, "--json",
        ])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let s = try object(sweep.stdout)
        let combinations = try #require(s["combinations"] as? [[String: Any]])
        #expect(combinations.count == c.values.count)
        let yaml = try String(contentsOfFile: Triage.path("thresholds.yaml"), encoding: .utf8)
        let original = c.template.replacingOccurrences(of: "#", with: c.baselineValue)
        #expect(yaml.components(separatedBy: original).count == 2, "the template must be found exactly once")
        for (value, combination) in zip(c.values, combinations) {
            let policy = dir.appendingPathComponent("p-\(value).yaml")
            try yaml.replacingOccurrences(of: original, with: c.template.replacingOccurrences(of: "#", with: value))
                .write(to: policy, atomically: true, encoding: .utf8)
            let report = dir.appendingPathComponent("compare-\(value).json")
            let compare = try Triage.run([
                "compare", "--baseline", "thresholds.yaml", "--candidate", policy.path, input, "--json", report.path,
            ])
            #expect(compare.status == 0)
            let j = try object(Data(contentsOf: report))
            let own = (combination["history"] as? String) == "own"
            #expect(own == (c.spec.hasPrefix("marac") || c.spec.hasPrefix("history")), "\(c.spec)=\(value)")
            let destinations = try #require(combination["destinations"] as? [[String: Any]])
            func dest(_ id: String) -> [String: Any]? { destinations.first { $0["destination"] as? String == id } }
            for row in try #require(j["routes"] as? [[String: Any]]) {
                let id = row["destination"] as! String
                let priority = row["priority"] as! String
                let mine = try #require(dest(id))
                #expect(mine[priority == "all" ? "routes" : priority] as? Int == row["b"] as? Int, "\(c.spec)=\(value) \(id) \(priority)")
            }
            for load in try #require(j["load"] as? [[String: Any]]) {
                let id = load["destination"] as! String
                let b = load["b"] as! [String: Any]
                let mine = try #require(dest(id))
                #expect(mine["busiest_week"] as? String == b["busiest"] as? String, "\(c.spec)=\(value) \(id) busiest")
                #expect(mine["busiest_week_routes"] as? Int == b["busiest_count"] as? Int, "\(c.spec)=\(value) \(id) busiest count")
                #expect(mine["per_working_day"] as? Double == b["per_working_day"] as? Double, "\(c.spec)=\(value) \(id) per day")
                #expect(mine["children"] as? Int == b["children"] as? Int, "\(c.spec)=\(value) \(id) children")
            }
            let children = try #require(j["children"] as? [String: Int])
            let mine = try #require(combination["children"] as? [String: Int])
            #expect(mine["reached"] == children["reached_b"], "\(c.spec)=\(value) reached")
            #expect(mine["lost"] == children["lost_under_b"], "\(c.spec)=\(value) lost")
            #expect(mine["gained"] == children["gained_under_b"], "\(c.spec)=\(value) gained")
            #expect(s["working_days"] as? Int == j["working_days"] as? Int)
        }
    }

    /// A `--vary` as written, and what it parses to or the message it is refused with.
    struct SpecCase: CustomTestStringConvertible, Sendable {
        var text: String
        var values: [Double]? = nil
        var error: String? = nil
        var testDescription: String { text }
    }

    static let specCases = [
        SpecCase(text: "repeat-household:household.incidents=2,3,4,5", values: [2, 3, 4, 5]),
        SpecCase(text: "cumulative-risk:household.score=10..30/5", values: [10, 15, 20, 25, 30]),
        SpecCase(text: "cumulative-risk:household.score=19.5..20.1/0.2", values: [19.5, 19.7, 19.9, 20.1]),
        SpecCase(text: "marac-high-risk:dash_risk=medium,high", values: [1, 2]),
        SpecCase(text: "history:window_days=365,730", values: [365, 730]),
        SpecCase(text: "history:weights.flags.weapon=0,3,6", values: [0, 3, 6]),
        SpecCase(text: "history:weights.dash_risk.high=5..15/5", values: [5, 10, 15]),
        SpecCase(text: "household.incidents=2", error: "expected RULE-ID:FACT=VALUES or history:FIELD=VALUES"),
        SpecCase(
            text: "repeat-houshold:household.incidents=2",
            error: "no rule 'repeat-houshold' in policy 'default-england' (did you mean 'repeat-household'?)"),
        SpecCase(
            text: "repeat-household:household.score=10",
            error: "rule 'repeat-household' compares no 'household.score' with a number; it compares children, household.incidents"),
        SpecCase(text: "repeat-household:household.incidents=", error: "no values after '='"),
        SpecCase(
            text: "under-5:child.age=3",
            error: "rule 'under-5' tests 'child.age' with 'between': a sweep changes a comparison with one number"),
        SpecCase(text: "repeat-household:household.incidents=2,,3", error: "an empty value in '2,,3'"),
        SpecCase(text: "repeat-household:household.incidents=two", error: "'two' is not a number"),
        SpecCase(text: "repeat-household:household.incidents=2,3,2", error: "the value 2 is given twice"),
        SpecCase(text: "cumulative-risk:household.score=30..10/5", error: "a range must go up"),
        SpecCase(text: "cumulative-risk:household.score=10..30/0", error: "the step of a range must be more than 0"),
        SpecCase(text: "cumulative-risk:household.score=10..30", error: "a range is written FROM..TO/STEP"),
        SpecCase(text: "cumulative-risk:household.score=0..100000/1", error: "the range gives more than 1000 values"),
        SpecCase(text: "marac-high-risk:dash_risk=severe", error: "'severe' is not a DASH grading"),
        SpecCase(text: "pregnancy:victim.pregnant=0", error: "'victim.pregnant' in rule 'pregnancy' is not a number or a DASH grading"),
        SpecCase(text: "encompass:child.school_urn=1", error: "rule 'encompass' tests 'child.school_urn' with 'present'"),
        SpecCase(text: "history:window=30", error: "unknown history setting 'window'"),
        // A weight's group without its weight (once a crash: the setting has no third part).
        SpecCase(text: "history:dash_risk=1,2", error: "unknown history setting 'dash_risk'"),
        SpecCase(text: "history:flags=1,2", error: "unknown history setting 'flags'"),
        SpecCase(text: "history:weights.flags=1,2", error: "unknown history setting 'weights.flags'"),
        SpecCase(text: "history:window_days=30.5", error: "expected a whole number of days"),
        SpecCase(text: "history:window_days=90", error: "half_life_days (180) must be more than 0 and at most window_days (90)"),
        SpecCase(text: "history:weights.flags.sorcery=1", error: "expected weights.flags. followed by one of"),
        SpecCase(text: "history:weights.dash_risk.high=-1", error: "-1 is out of range: expected a weight in 0...1000"),
    ]

    static let policy = try! Policy(contentsOfFile: Triage.path("thresholds.yaml"))

    @Test(arguments: specCases)
    func specsParseOrAreRefusedByName(_ c: SpecCase) {
        do {
            let spec = try SweepSpec(c.text, policy: Self.policy)
            #expect(c.error == nil, "parsed, but expected: \(c.error ?? "")")
            #expect(spec.values == c.values)
        } catch {
            #expect(error.description.hasPrefix("--vary '\(c.text)': "))
            #expect(error.description.contains(c.error ?? "(parsed)"), "\(error.description)")
        }
    }

    @Test func aGridOfMoreThan256IsRefusedUnlessMaxAllowsIt() throws {
        let specs = try [
            SweepSpec("cumulative-risk:household.score=1..30/1", policy: Self.policy),
            SweepSpec("repeat-household:household.incidents=1..9/1", policy: Self.policy),
        ]
        #expect(throws: JobError.self) { try SweepJob(baseline: Self.policy, specs: specs, options: ScreenOptions()) }
        do { _ = try SweepJob(baseline: Self.policy, specs: specs, options: ScreenOptions()) } catch {
            #expect(error.description.contains("30 x 9 = 270 combinations, more than 256"))
        }
        let job = try SweepJob(baseline: Self.policy, specs: specs, options: ScreenOptions(), max: 270)
        #expect(job.combinations.count == 270)
        // The first spec's values change slowest.
        #expect(job.combinations[1].values == [1, 2])
        #expect(job.combinations[9].values == [2, 1])
        let r = try Triage.run([
            "sweep", "--vary", "cumulative-risk:household.score=1..30/1", "--vary", "repeat-household:household.incidents=1..9/1",
            "samples/scenarios.csv",
        ])
        #expect(r.status == 2)
        #expect(r.stderr.contains("or --max N to allow more"))
    }

    /// Which combinations can share the baseline's history: a rule change unless the rule routes to MARAC
    /// while `pair.marac_referrals` is read; never a history setting.
    @Test(arguments: [
        ("repeat-household:household.incidents=2", true), ("marac-escalation:pair.incidents=2", false),
        ("marac-high-risk:dash_score=10", false), ("history:half_life_days=90", false),
        ("repeat-child:child.incidents=2", true),
    ])
    func historyIsSharedOnlyWhenItRecordsTheSame(_ spec: String, _ shared: Bool) throws {
        let s = try SweepSpec(spec, policy: Self.policy)
        let job = try SweepJob(baseline: Self.policy, specs: [s], options: ScreenOptions())
        #expect((job.combinations[0].ownHistory == nil) == shared)
    }

    /// A shared combination is counted by difference from the baseline; the same combination given a
    /// history of its own (by a history setting at its baseline value) is counted in full, children as
    /// sets. Every figure must agree, per destination gained and lost included.
    @Test(arguments: [
        "repeat-household:household.incidents=2,5", "cumulative-risk:household.score=5,40", "repeat-child:child.incidents=1,9",
    ])
    func countingByDifferenceEqualsCountingInFull(_ spec: String) throws {
        var options = ScreenOptions()
        options.inputs = [Triage.path("samples/incidents.csv")]
        let vary = try SweepSpec(spec, policy: Self.policy)
        let same = try SweepSpec("history:half_life_days=180", policy: Self.policy)
        let shared = try SweepJob(baseline: Self.policy, specs: [vary], options: options)
        let own = try SweepJob(baseline: Self.policy, specs: [vary, same], options: options)
        #expect(shared.combinations.allSatisfy { $0.ownHistory == nil })
        #expect(own.combinations.allSatisfy { $0.ownHistory != nil })
        let a = try shared.run()
        let b = try own.run()
        #expect(a.seen == b.seen)
        for (x, y) in zip(a.combinations, b.combinations) {
            #expect(x.routes == y.routes)
            #expect(x.weeks == y.weeks)
            #expect(x.children == y.children)
            #expect(x.childrenGained == y.childrenGained)
            #expect(x.childrenLost == y.childrenLost)
            #expect(x.reached == y.reached)
            #expect(x.gained == y.gained)
            #expect(x.lost == y.lost)
        }
        // The values are far enough from the baseline's that some children are gained or lost somewhere.
        #expect(a.combinations.contains { $0.childrenGained.contains { $0 > 0 } || $0.childrenLost.contains { $0 > 0 } })
    }

    @Test func everyOutputSaysTheSameAndTheOwnHistoriesAreNamed() throws {
        let dir = Triage.tempDir()
        let csv = dir.appendingPathComponent("s.csv")
        let html = dir.appendingPathComponent("s.html")
        let r = try Triage.run([
            "sweep", "--vary", "repeat-household:household.incidents=2,4", "--vary", "history:half_life_days=90,180",
            "samples/scenarios.csv",
            "--csv", csv.path, "--html", html.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.out.contains("every combination is screened with a history of its own (history settings changed)"))
        let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\r\n")
        // A header, then (baseline + 4 combinations) x (6 destinations + any agency).
        #expect(rows.count == 1 + 5 * 7)
        #expect(rows[0].hasPrefix("combination,repeat-household:household.incidents,history:half_life_days,history,destination,routes"))
        // A chart for each destination some combination changes (read here from the CSV), a table row for the rest.
        let header = rows[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let col = { (name: String) in header.firstIndex(of: name)! }
        var figures: [String: Set<String>] = [:]
        for row in rows.dropFirst() {
            let f = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let destination = f[col("destination")]
            guard destination != "any agency" else { continue }
            let key = ["routes", "red", "amber", "green", "none", "children", "children_gained", "children_lost"].map { f[col($0)] }
            figures[destination, default: []].insert(key.joined(separator: "|"))
        }
        let changed = figures.filter { $0.value.count > 1 }.keys.sorted()
        let flat = figures.filter { $0.value.count == 1 }.keys.sorted()
        #expect(figures.count == 6 && !changed.isEmpty && !flat.isEmpty)
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.components(separatedBy: "<svg role=\"img\"").count == 1 + changed.count)
        #expect(page.components(separatedBy: "<figcaption>").count == 1 + changed.count)
        for d in changed { #expect(page.contains("<figure id=\"chart-\(d)\">")) }
        for d in flat { #expect(page.contains("<tr><th scope=\"row\">\(d)</th>")) }
        #expect(page.contains("<th scope=\"col\">"))
        #expect(page.contains("@media print"))
        #expect(!page.contains("<script"))
    }

    @Test(arguments: [
        (["sweep", "samples/scenarios.csv"], "sweep needs at least one --vary SPEC"),
        (["sweep", "--vary", "repeat-household:household.incidents=2", "--as-of", "2025-01-01T00:00:00Z"], "unknown option '--as-of'"),
        (["sweep", "--vary", "repeat-household:household.incidents=2", "--max", "0"], "--max '0': expected a whole number"),
        (
            ["sweep", "--vary", "repeat-household:household.incidents=2", "--vary", "repeat-household:household.incidents=3"],
            "repeat-household:household.incidents is already varied"
        ),
        (["sweep", "--vary", "nope:x=1", "--vary", "history:nope=1"], "unknown history setting 'nope'"),
    ])
    func badOptionsAreRefused(_ args: [String], _ message: String) throws {
        let r = try Triage.run(args)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    /// At 1024 px the page is no wider than the window (headless Chromium; skipped when it is not installed).
    @Test(.enabled(if: Browser.path != nil, "Chromium is not installed (apt-get install chromium)"))
    func nothingIsCutOffAt1024Pixels() throws {
        let dir = Triage.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("s.html")
        let r = try Triage.run([
            "sweep", "--vary", "repeat-household:household.incidents=2,3,4,5", "--vary", "cumulative-risk:household.score=10..30/5",
            "samples/incidents.csv", "--html", html.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let width = try #require(try Browser.layoutWidth(of: try String(contentsOf: html, encoding: .utf8), at: 1024))
        #expect(width <= 1024, "the page is \(width) px wide at 1024")
    }
}
