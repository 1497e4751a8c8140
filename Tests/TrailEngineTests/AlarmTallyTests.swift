import Foundation
import Testing
import TrailEngine
import TrailJSON
import TrailTestKit

@testable import TrailRules

/// The tally keeps a count per group and minute, the events counted and where each minute's
/// latest match is, instead of every match (issue 19): it must decide exactly what evaluating
/// every match decides, however the matches are split across files and merged.
struct AlarmTallyTests {
    static let base = 1_795_341_600  // 2026-11-22T10:00:00Z

    /// A rule set with one alarm rule on `$.a = 1`, grouped by `$.user`.
    static func rules(
        threshold: Int, period: Int = 300, evaluationPeriods: Int = 1, datapoints: Int? = nil,
        missing: AlarmSpec.MissingData = .notBreaching
    ) throws -> RuleSet {
        let yaml = """
            id: burst
            title: burst
            severity: high
            pattern: '{ $.a = 1 }'
            alarm:
              threshold: \(threshold)
              period: \(period)
              evaluation_periods: \(evaluationPeriods)
              datapoints_to_alarm: \(datapoints ?? evaluationPeriods)
              treat_missing_data: \(missing.rawValue)
              group_by: ["$.user"]
            """
        return RuleSet([try #require(RuleFileReader.read(yaml, file: "burst.yaml").rule)])
    }

    @Test("fingerprints: a UUID in either case is one event, short ids are exact, kinds never meet")
    func fingerprints() {
        let uuid = "3038ebd2-c98a-4c65-9b6e-e22506292313"
        #expect(EventFingerprint(uuid.utf8) == EventFingerprint(uuid.uppercased().utf8))
        #expect(EventFingerprint(uuid.utf8) != EventFingerprint("3038ebd2-c98a-4c65-9b6e-e22506292314".utf8))
        #expect(EventFingerprint("e1".utf8) != EventFingerprint("e10".utf8))
        #expect(EventFingerprint("e1".utf8) == EventFingerprint(Array("e1".utf8)))
        let long = String(repeating: "x", count: 40)
        #expect(EventFingerprint(long.utf8) != EventFingerprint((long + "y").utf8))
        #expect(EventFingerprint("".utf8) != EventFingerprint("\u{0}".utf8))
    }

    @Test("a minute counts an event once, and its trigger is the latest match by time, then arrival")
    func minute() {
        func match(_ time: Int, _ order: UInt64, _ id: String?) -> AlarmTrigger {
            AlarmTrigger(
                time: Self.base + time, order: order, unit: 0, record: Int(order),
                eventID: id.map { EventFingerprint($0.utf8) })
        }
        var minute = AlarmMinute(match(10, 1, "a"))
        #expect(minute.add(match(20, 2, "b")) == (true, true))
        #expect(minute.add(match(20, 3, "b")) == (false, false))  // delivered twice
        #expect(minute.add(match(5, 4, "c")) == (true, false))  // earlier: counted, not the trigger
        #expect(minute.add(match(20, 5, nil)) == (true, true))  // no id: counted; same time, later arrival
        #expect(minute.count == 4 && minute.trigger.order == 5)
        var other = AlarmMinute(match(30, 6, "a"))  // another file saw "a" again
        #expect(other.add(match(15, 7, "d")) == (true, false))
        minute.merge(other)
        #expect(minute.count == 5 && minute.trigger.order == 6)
    }

    /// Random matches over three groups and twenty minutes, some delivered twice, split across
    /// files merged in any order: the tally's firings are the evaluator's over every match.
    @Test("tallies split across files and merged decide what evaluating every match decides", arguments: 0..<300)
    func agreesWithTheEvaluator(seed: UInt64) {
        var random = SplitMix64(seed: seed &+ 0x5eed)
        func pick(_ range: Range<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
        let periods = [60, 120, 300][pick(0..<3)]
        let evaluationPeriods = pick(1..<4)
        let missing: [AlarmSpec.MissingData] = [.missing, .notBreaching, .breaching, .ignore]
        let spec = AlarmSpec(
            threshold: pick(1..<5), period: periods, evaluationPeriods: evaluationPeriods,
            datapointsToAlarm: pick(1..<(evaluationPeriods + 1)), treatMissingData: missing[pick(0..<4)],
            groupBy: [])
        var matches: [AlarmEvaluator.Match] = []
        for index in 0..<pick(1..<40) {
            if index > 0 && pick(0..<10) == 0 {
                var repeated = matches[pick(0..<matches.count)]  // the same event, delivered again
                repeated.tag = index
                matches.append(repeated)
            } else {
                let id = pick(0..<8) == 0 ? nil : "e\(index)"
                matches.append(
                    .init(
                        time: Self.base + pick(0..<1_200), group: ["a", "b", "c"][pick(0..<3)], eventID: id, tag: index)
                )
            }
        }
        let expected = AlarmEvaluator(spec).evaluate(matches)

        let fileCount = pick(1..<5)
        var files = [AlarmTally](repeating: AlarmTally(), count: fileCount)
        for match in matches {
            files[pick(0..<fileCount)].add(
                group: match.group,
                AlarmTrigger(
                    time: match.time, order: UInt64(match.tag), unit: 0, record: match.tag,
                    eventID: match.eventID.map { EventFingerprint($0.utf8) }))
        }
        // Merged as replay merges them.
        var merged = AlarmGroups()
        for file in files.shuffled(using: &random) { merged.merge(file) }
        let firings = merged.firings(spec)

        #expect(firings.map(\.firing.group) == expected.map(\.group), "seed \(seed)")
        #expect(firings.map(\.firing.at) == expected.map(\.at), "seed \(seed)")
        #expect(firings.map(\.firing.end) == expected.map(\.end), "seed \(seed)")
        #expect(firings.map(\.firing.count) == expected.map(\.count), "seed \(seed)")
        for (tallied, firing) in zip(firings, expected) {
            let trigger = matches[firing.trigger]
            // A window that fires with no match in it (missing data that breaches) names a match
            // outside it, which the tally may choose differently; any other names the latest in it.
            guard (firing.windowStart..<firing.at).contains(trigger.time) else { continue }
            #expect(tallied.trigger.time == trigger.time, "seed \(seed)")
            // Which of two same-second matches is the latest is arrival order, which a repeat
            // delivered in another file blurs (it is the same event either way): compare ids
            // where no event of the trigger's second was delivered twice.
            let second = matches.filter { $0.group == trigger.group && $0.time == trigger.time }
            guard Set(second.compactMap(\.eventID)).count == second.compactMap(\.eventID).count else { continue }
            #expect(tallied.trigger.eventID == trigger.eventID.map { EventFingerprint($0.utf8) }, "seed \(seed)")
        }
    }

    @Test("a file's alarm state follows its groups and minutes, not its matches")
    func fileStateIsBounded() throws {
        let directory = TemporaryDirectory("engine")
        var lines: [String] = []
        for index in 0..<2_000 {
            let time = "2026-11-22T10:0\(index % 2):\(String(format: "%02d", index % 60))Z"
            lines.append(#"{"eventID":"e\#(index)","eventTime":"\#(time)","a":1,"user":"u\#(index % 3)"}"#)
        }
        let file = try directory.write("many.json", lines.joined(separator: "\n"))
        let evaluator = FileEvaluator(rules: try Self.rules(threshold: 1_000), keepsTriggerRecords: true)
        let evaluation = try evaluator.evaluate(path: file, now: Self.base + 3_600)
        let tally = try #require(evaluation.alarms[0])
        #expect(tally.minutes.count == 6)  // three users, two minutes
        #expect(tally.minutes.values.map(\.count).reduce(0, +) == 2_000)
        #expect(evaluation.triggerRecords.count <= 6)
        for minute in tally.minutes.values {
            let record = try #require(evaluation.triggerRecords[minute.trigger.record])
            #expect(record.withUnsafeBytes { AlarmTrigger.eventID(of: $0) } == minute.trigger.eventID)
        }
        // Replay keeps no record: it reads the file again for the few that fire.
        let replay = try FileEvaluator(rules: try Self.rules(threshold: 1_000)).evaluate(path: file, now: Self.base)
        #expect(replay.triggerRecords.isEmpty && replay.alarms[0] == tally)
    }
}
