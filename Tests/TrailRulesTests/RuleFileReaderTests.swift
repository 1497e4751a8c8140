import Foundation
import Testing
import TrailJSON
import TrailPatterns
import TrailTestKit

@testable import TrailRules

/// Rule files: what a valid file yields, and every error pointing at its line and column.
struct RuleFileReaderTests {
    static let valid = """
        id: demo-rule
        title: Demo
        severity: high
        description: A demo.
        pattern: '{ $.eventName = StopLogging }'
        references:
          cis: ['1.2.0 3.5']
          mitre: T1562
          stratus: [aws.defense-evasion.cloudtrail-stop, aws.defense-evasion.cloudtrail-delete]
        runbook: Restart logging.
        suppress:
          - '{ $.userIdentity.arn = "arn:aws:iam::1:role/Automation" }'
        alarm:
          threshold: 3
          period: 300
          evaluation_periods: 2
          datapoints_to_alarm: 1
          treat_missing_data: notBreaching
          group_by: [$.userIdentity.arn, "$.['key.with.dots']"]
        tests:
          - name: yaml record
            alert: true
            record:
              eventName: StopLogging
              readOnly: false
              count: 3
              quoted: "3"
              nothing: null
          - name: json record
            alert: false
            record: '{"eventName":"StartLogging"}'
        """

    @Test("a valid file yields every field")
    func valid() throws {
        let (rule, diagnostics) = RuleFileReader.read(Self.valid, file: "demo.yaml")
        #expect(diagnostics.isEmpty)
        let parsed = try #require(rule)
        #expect(parsed.id == "demo-rule" && parsed.severity == .high && parsed.line == 1)
        #expect(parsed.references.cis == ["1.2.0 3.5"] && parsed.references.mitre == ["T1562"])
        #expect(parsed.references.stratus == ["aws.defense-evasion.cloudtrail-stop", "aws.defense-evasion.cloudtrail-delete"])
        #expect(parsed.suppress.count == 1)
        #expect(
            parsed.alarm
                == AlarmSpec(
                    threshold: 3, period: 300, evaluationPeriods: 2, datapointsToAlarm: 1,
                    treatMissingData: .notBreaching,
                    groupBy: [JSONPath([.key("userIdentity"), .key("arn")]), JSONPath([.key("key.with.dots")])]))
        #expect(parsed.tests.count == 2)
        // YAML records become JSON: plain scalars by their look, quoted ones as strings.
        #expect(
            String(decoding: parsed.tests[0].record, as: UTF8.self)
                == #"{"eventName":"StopLogging","readOnly":false,"count":3,"quoted":"3","nothing":null}"#)
        #expect(String(decoding: parsed.tests[1].record, as: UTF8.self) == #"{"eventName":"StartLogging"}"#)
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var yaml: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { message }
    }

    static let bad: [Bad] = [
        Bad(
            yaml: "id: x\ntitle: t\nseverity: hihg\npattern: '{ $.a = 1 }'", line: 3, column: 11,
            message: "`severity` must be one of"),
        Bad(
            yaml: "id: x\ntitle: t\nseverity: low\npattern: '{ ($.a = 1 }'", line: 4, column: 13,
            message: "`pattern`: `(` is never closed"),
        Bad(
            yaml: "id: x\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\ncolour: red", line: 5, column: 1,
            message: "unknown key `colour`"),
        Bad(
            yaml: "id: x\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\nalarm:\n  treshold: 2", line: 6, column: 3,
            message:
                "unknown key `alarm.treshold` (allowed: threshold, period, evaluation_periods, datapoints_to_alarm, treat_missing_data, group_by); did you mean `threshold`?"
        ),
        Bad(
            yaml: "id: x\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\nalarm:\n  period: 90", line: 6, column: 11,
            message: "`alarm.period` must be a whole number of minutes"),
        Bad(
            yaml:
                "id: x\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\nalarm:\n  evaluation_periods: 2\n  datapoints_to_alarm: 3",
            line: 7, column: 24, message: "`alarm.datapoints_to_alarm` must be between 1 and `evaluation_periods` (2)"),
        Bad(
            yaml: "id: x\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\nalarm:\n  group_by: [a, b, c, d]", line: 6,
            column: 13, message: "`alarm.group_by` takes at most 3 selectors"),
        Bad(
            yaml:
                "id: x\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\ntests:\n  - name: t\n    alert: true\n    record: '{bad'",
            line: 8, column: 13, message: "`tests[0].record` is not valid JSON"),
        Bad(
            yaml: "id: x\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\ntests:\n  - name: t\n    record: {}",
            line: 6, column: 5, message: "`tests[0].alert` is required"),
        Bad(yaml: "title: t\nseverity: low\npattern: '{ $.a = 1 }'", line: 1, column: 1, message: "`id` is required"),
        Bad(
            yaml: "id: 'has space'\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'", line: 1, column: 5,
            message: "`id` must be letters"),
        Bad(yaml: "id: x\ntitle: [t\n", line: 3, column: 1, message: "invalid YAML"),
        Bad(
            yaml: "id: x\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\nreferences:\n  mitre: [T1098, T1098.1]",
            line: 6, column: 18,
            message: "`references.mitre` has \"T1098.1\", which is not an ATT&CK technique id such as T1098 or T1098.001"),
        Bad(
            yaml: "id: x\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\nreferences:\n  stratus: aws.cloudtrail-stop",
            line: 6, column: 12,
            message: "`references.stratus` has \"aws.cloudtrail-stop\", which is not a Stratus Red Team id"),
    ]

    @Test("errors point at their line and column", arguments: bad)
    func errors(_ row: Bad) throws {
        let (rule, diagnostics) = RuleFileReader.read(row.yaml, file: "r.yaml")
        #expect(rule == nil)
        let first = try #require(diagnostics.first)
        #expect(first.message.contains(row.message), "\(first)")
        #expect(first.line == row.line && first.column == row.column, "\(first)")
        #expect(first.description.hasPrefix("r.yaml:\(row.line):\(row.column): error: "))
    }

    @Test("duplicate ids across files are reported with both places")
    func duplicates() throws {
        let temporary = TemporaryDirectory("trailhound-rules")
        defer { temporary.remove() }
        let directory = temporary.path
        let text = "id: same\ntitle: t\nseverity: low\npattern: '{ $.a = 1 }'\n"
        try temporary.write("a.yaml", text)
        try temporary.write("sub/b.yml", text)
        let (rules, diagnostics) = RuleLoader.load([directory])
        #expect(rules.count == 1)
        #expect(
            diagnostics.map(\.description) == [
                "\(directory)/sub/b.yml:1:5: error: duplicate rule id `same`, first defined at \(directory)/a.yaml:1:5"
            ])
    }
}
