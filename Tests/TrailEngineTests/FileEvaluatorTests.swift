import Foundation
import Testing
import TrailEngine
import TrailJSON
import TrailRules
import TrailTestKit

/// What an alarm rule's match is tallied under is read from the fields the rule set projected
/// for the record (no second pass over it): the group must be spelt exactly as `explain` spells
/// it from the record alone, and the time and event id read as `Alert` reads them, whatever the
/// JSON looks like (escapes, numbers, objects, absent fields).
struct FileEvaluatorTests {
    static let base = 1_795_341_600  // 2026-11-22T10:00:00Z

    static func rules(groupBy: [String]) throws -> RuleSet {
        let yaml = """
            id: grouped
            title: grouped
            severity: high
            pattern: '{ $.a = 1 }'
            alarm:
              threshold: 1
              period: 60
              evaluation_periods: 1
              treat_missing_data: notBreaching
              group_by: [\(groupBy.map { "\"\($0)\"" }.joined(separator: ", "))]
            """
        return RuleSet([try #require(RuleFileReader.read(yaml, file: "grouped.yaml").rule)])
    }

    static let records = [
        #"{"eventID":"e1","eventTime":"2026-11-22T10:00:01Z","a":1,"user":"plain","acct":"111"}"#,
        #"{"eventID":"e\u0032","eventTime":"2026-11-22T10:00:02Z","a":1,"user":"caf\u00e9 \"x\"","acct":222}"#,
        #"{"eventID":"e3","eventTime":"2026-11-22T10:00:03Z","a":1,"acct":"333"}"#,
        #"{"eventID":"e4","eventTime":"2026-11-22T10:00:04Z","a":1,"user":{"arn":"x","n":[1,2]},"acct":null}"#,
        #"{"eventID":5,"eventTime":"2026-11-22T10:00:\u00305Z","a":1,"user":"number-id","acct":"555"}"#,
        #"{"eventTime":"2026-11-22T10:00:06Z","a":1,"user":"no-id","acct":"666"}"#,
        #"{"eventID":"e7","eventTime":"2026-11-22T10:00:07Z","a":1,"user":"nested","acct":"777","x":{"user":"decoy"}}"#,
    ]

    @Test(
        "an alarm match is grouped as explain groups it, with its time and id as Alert reads them",
        arguments: [["$.user"], ["$.user", "$.acct"], [], ["$.missing"]])
    func groupsAsExplainDoes(groupBy: [String]) throws {
        let rules = try Self.rules(groupBy: groupBy)
        let directory = TemporaryDirectory("engine")
        let file = try directory.write("records.json", Self.records.joined(separator: "\n"))
        let evaluation = try FileEvaluator(rules: rules).evaluate(path: file, now: Self.base + 600)
        let tally = try #require(evaluation.alarms[0])
        #expect(evaluation.alarmSkips.total == 0)
        let projection = JSONProjection(paths: try #require(rules.rules[0].alarm).groupBy)
        var expected: [AlarmTally.Key: (time: Int, eventID: EventFingerprint?)] = [:]
        for (index, line) in Self.records.enumerated() {
            let bytes = Array(line.utf8)
            let alert = bytes.withUnsafeBytes { Alert(rule: rules.rules[0], record: $0, file: "f", recordIndex: index) }
            let group = bytes.withUnsafeBytes { FileEvaluator.group($0, projection) }
            let time = try #require(alert.eventTime.flatMap(AlarmEvaluator.seconds(fromEventTime:)))
            let id = bytes.withUnsafeBytes { AlarmTrigger.eventID(of: $0) }
            expected[AlarmTally.Key(group: group, minute: time / 60)] = (time, id)
        }
        #expect(Set(tally.minutes.keys) == Set(expected.keys))
        for (key, minute) in tally.minutes {
            let want = try #require(expected[key])
            #expect(minute.trigger.time == want.time, "\(key)")
            #expect(minute.trigger.eventID == want.eventID, "\(key)")
        }
        if groupBy == ["$.user"] {
            #expect(tally.groups.contains(#"café "x""#))
            #expect(tally.groups.contains("-"))
            #expect(tally.groups.contains(#"{"arn":"x","n":[1,2]}"#))
        }
        if groupBy.isEmpty { #expect(tally.groups == ["all"]) }
    }
}
