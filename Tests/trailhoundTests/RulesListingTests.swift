import Foundation
import Testing
import TrailJSON
import TrailPatterns

@testable import TrailRules
@testable import trailhound

/// `trailhound rules`: the table, the JSON lines, and the ATT&CK Navigator layer.
struct RulesListingTests {
    func rule(
        _ id: String, mitre: [String] = [], stratus: [String] = [], enabled: Bool = true, alarm: AlarmSpec? = nil,
        severity: RuleSeverity = .high
    ) throws -> Rule {
        var references = Rule.References()
        references.mitre = mitre
        references.stratus = stratus
        return Rule(
            id: id, title: "Title of \(id)", severity: severity, description: "",
            pattern: try FilterPattern.parse("{ $.a = 1 }"), patternText: "{ $.a = 1 }", references: references,
            runbook: "", enabled: enabled, suppress: [], alarm: alarm, tests: [], file: "\(id).yaml")
    }

    var rules: [Rule] {
        get throws {
            [
                try rule(
                    "stop", mitre: ["T1562.008"],
                    stratus: ["aws.defense-evasion.cloudtrail-stop", "aws.defense-evasion.cloudtrail-delete"],
                    severity: .critical),
                try rule(
                    "burst", mitre: ["T1110.001"],
                    alarm: AlarmSpec(
                        threshold: 3, period: 300, evaluationPeriods: 1, datapointsToAlarm: 1,
                        treatMissingData: .notBreaching, groupBy: [JSONPath([.key("userIdentity"), .key("arn")])]),
                    severity: .medium),
                try rule("policy", mitre: ["T1098", "T1098.001"]),
                try rule("keys", mitre: ["T1098.001"]),
                try rule("old", mitre: ["T1098", "T1530"], enabled: false),
                try rule("plain"),
            ]
        }
    }

    @Test("the table aligns every column under its heading, with - for what a rule lacks")
    func table() throws {
        #expect(
            RuleListing.table(try rules) == """
                ID      SEVERITY  ENABLED  ATT&CK           STRATUS                                                                    ALARM
                stop    critical  yes      T1562.008        aws.defense-evasion.cloudtrail-stop,aws.defense-evasion.cloudtrail-delete  -
                burst   medium    yes      T1110.001        -                                                                          ≥3 in 5m by $.userIdentity.arn
                policy  high      yes      T1098,T1098.001  -                                                                          -
                keys    high      yes      T1098.001        -                                                                          -
                old     high      no       T1098,T1530      -                                                                          -
                plain   high      yes      -                -                                                                          -

                """)
    }

    @Test("JSON lines: one object per rule with its references and alarm")
    func jsonLines() throws {
        let lines = RuleListing.jsonLines(try rules).split(separator: "\n").map {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.count == 6)
        let stop = try #require(lines[0])
        #expect(stop["id"] as? String == "stop" && stop["severity"] as? String == "critical")
        #expect(stop["enabled"] as? Bool == true && stop["mitre"] as? [String] == ["T1562.008"])
        #expect((stop["stratus"] as? [String])?.count == 2)
        #expect(stop["alarm"] is NSNull)
        #expect(lines[1]?["alarm"] as? String == "≥3 in 5m by $.userIdentity.arn")
        #expect(lines[4]?["enabled"] as? Bool == false)
    }

    /// The layer, decoded with the fields format 4.5 requires.
    struct Layer: Decodable {
        struct Versions: Decodable {
            var attack: String
            var navigator: String
            var layer: String
        }
        struct Technique: Decodable {
            var techniqueID: String
            var score: Int?
            var comment: String
            var enabled: Bool
            var showSubtechniques: Bool?
        }
        struct Gradient: Decodable {
            var colors: [String]
            var minValue: Int
            var maxValue: Int
        }
        struct LegendItem: Decodable {
            var label: String
            var color: String
        }
        var name: String
        var versions: Versions
        var domain: String
        var description: String
        var techniques: [Technique]
        var gradient: Gradient
        var legendItems: [LegendItem]
    }

    func layer(includeDisabled: Bool) throws -> Layer {
        let json = AttackLayer.layer(try rules, includeDisabled: includeDisabled, source: "rules/").prettyText()
        return try JSONDecoder().decode(Layer.self, from: Data(json.utf8))
    }

    @Test("the layer decodes as format 4.5: one entry per technique, scored by the enabled rules naming it")
    func attackLayer() throws {
        let layer = try layer(includeDisabled: false)
        #expect(layer.versions.layer == "4.5" && layer.domain == "enterprise-attack")
        #expect(layer.versions.navigator.split(separator: ".").first.flatMap { Int($0) } ?? 0 >= 5)
        #expect(!layer.name.isEmpty && !layer.description.isEmpty)
        #expect(
            layer.techniques.map(\.techniqueID) == ["T1098", "T1098.001", "T1110", "T1110.001", "T1562", "T1562.008"])
        let byID = Dictionary(uniqueKeysWithValues: layer.techniques.map { ($0.techniqueID, $0) })
        #expect(byID["T1098"]?.score == 1)  // "old" names it too, but is disabled
        #expect(byID["T1098"]?.comment == "detected by policy; sub-techniques detected: T1098.001")
        #expect(byID["T1098"]?.showSubtechniques == true)
        #expect(byID["T1098.001"]?.score == 2)
        #expect(byID["T1098.001"]?.comment == "detected by policy, keys")
        // A parent named by no rule: listed, opened on its sub-technique, not scored as detected.
        #expect(byID["T1562"]?.score == nil && byID["T1562"]?.showSubtechniques == true)
        #expect(byID["T1562"]?.comment == "not detected itself; sub-techniques detected: T1562.008")
        let allEnabled = layer.techniques.allSatisfy { $0.enabled }
        #expect(allEnabled)
        #expect(byID["T1530"] == nil)
        #expect(layer.gradient.colors.count >= 2 && layer.gradient.minValue < layer.gradient.maxValue)
        #expect(layer.gradient.maxValue == 2)
        #expect(layer.legendItems.map(\.label) == ["detected by 1 rule", "detected by 2 rules"])
    }

    @Test("with --all, disabled rules count and say so")
    func attackLayerAll() throws {
        let byID = Dictionary(
            uniqueKeysWithValues: try layer(includeDisabled: true).techniques.map { ($0.techniqueID, $0) })
        #expect(byID["T1098"]?.score == 2)
        #expect(byID["T1098"]?.comment.hasPrefix("detected by policy, old (disabled)") == true)
        #expect(byID["T1530"]?.score == 1)
    }
}
