import Testing
import TrailJSON
import TrailPatterns

@testable import TrailRules

/// A rule's explanation: its pattern, each suppression, and whether it alerts, as `RuleSet` decides.
struct RuleExplainerTests {
    func rule(_ pattern: String, suppress: [String]) throws -> Rule {
        Rule(
            id: "r", title: "r", severity: .high, description: "", pattern: try FilterPattern.parse(pattern),
            patternText: pattern, references: .init(), runbook: "", enabled: true,
            suppress: try suppress.map { try FilterPattern.parse($0) }, alarm: nil, tests: [], file: "r.yaml")
    }

    static let records = [
        #"{"eventName":"StopLogging","userIdentity":{"arn":"arn:aws:iam::1:user/bob"}}"#,
        #"{"eventName":"StopLogging","userIdentity":{"arn":"arn:aws:iam::1:role/Automation"}}"#,
        #"{"eventName":"StopLogging","userAgent":"terraform/1.9"}"#,
        #"{"eventName":"StartLogging","userAgent":"terraform/1.9"}"#,
        #"{"eventName":"StopLogging"}"#,
        #"["StopLogging"]"#,
    ]

    @Test("alerts exactly when RuleSet alerts, and names the suppression that caught a match")
    func agreesWithRuleSet() throws {
        let rule = try rule(
            "{ $.eventName = StopLogging }",
            suppress: [#"{ $.userIdentity.arn = "arn:aws:iam::1:role/Automation" }"#, "terraform"])
        let explainer = RuleExplainer(rule)
        let set = RuleSet([rule])
        var context = set.makeContext()
        var alerting: [Int] = []
        var suppressedBy: [Int?] = []
        for record in Self.records {
            try Array(record.utf8).withUnsafeBytes { bytes in
                let explanation = try explainer.explain(bytes)
                try set.evaluate(bytes, in: &context, alerting: &alerting)
                #expect(explanation.alerts == !alerting.isEmpty, "\(record)")
                #expect(explanation.suppressions.count == 2)
                suppressedBy.append(explanation.suppressedBy)
            }
        }
        #expect(suppressedBy == [nil, 0, 1, nil, nil, nil])
    }

    @Test("a suppression that matches a record the pattern does not match suppresses nothing")
    func suppressionWithoutMatch() throws {
        let explainer = RuleExplainer(try rule("{ $.eventName = StopLogging }", suppress: ["terraform"]))
        let explanation = try Array(Self.records[3].utf8).withUnsafeBytes { try explainer.explain($0) }
        #expect(explanation.suppressions.map(\.matched) == [true])
        #expect(!explanation.matched && explanation.suppressedBy == nil && !explanation.alerts)
    }
}
