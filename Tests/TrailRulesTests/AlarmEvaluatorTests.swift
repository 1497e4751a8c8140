import Testing

@testable import TrailRules

/// CloudWatch alarm semantics, driven by explicit event times (a manual clock).
struct AlarmEvaluatorTests {
    static let base = 1_795_341_600  // 2026-11-22T10:00:00Z

    func spec(
        threshold: Int = 3, period: Int = 300, evaluationPeriods: Int = 1, datapoints: Int? = nil,
        missing: AlarmSpec.MissingData = .notBreaching
    ) -> AlarmSpec {
        AlarmSpec(
            threshold: threshold, period: period, evaluationPeriods: evaluationPeriods,
            datapointsToAlarm: datapoints ?? evaluationPeriods, treatMissingData: missing, groupBy: [])
    }

    /// Matches at `offsets` seconds after `base`, tagged by position.
    func matches(_ offsets: [Int], group: String = "bob", ids: [String?]? = nil) -> [AlarmEvaluator.Match] {
        offsets.enumerated().map { index, offset in
            AlarmEvaluator.Match(
                time: Self.base + offset, group: group, eventID: ids?[index] ?? "e\(group)\(index)", tag: index)
        }
    }

    @Test("three matches in five minutes fire once; two do not")
    func threshold() {
        let alarm = AlarmEvaluator(spec())
        let firings = alarm.evaluate(matches([0, 60, 125]))
        #expect(firings.count == 1)
        #expect(firings.first?.count == 3)
        #expect(firings.first?.trigger == 2)
        #expect(firings.first?.at == Self.base + 180)  // the end of the minute of the third match
        #expect(alarm.evaluate(matches([0, 60])).isEmpty)
    }

    @Test("the window slides: no five-minute window holds three matches spread over nine minutes")
    func sliding() {
        #expect(AlarmEvaluator(spec()).evaluate(matches([0, 290, 580])).isEmpty)
        #expect(AlarmEvaluator(spec()).evaluate(matches([0, 290, 299])).count == 1)
    }

    @Test("M of N: two breaching one-minute periods out of three")
    func mOfN() {
        let alarm = AlarmEvaluator(spec(threshold: 1, period: 60, evaluationPeriods: 3, datapoints: 2))
        #expect(alarm.evaluate(matches([0, 130])).count == 1)
        #expect(alarm.evaluate(matches([0])).isEmpty)
        #expect(alarm.evaluate(matches([0, 250])).isEmpty)  // minutes 0 and 4 never share a three-minute window
    }

    @Test("late and out-of-order matches count where their event time puts them")
    func outOfOrder() {
        let ordered = AlarmEvaluator(spec()).evaluate(matches([0, 60, 125]))
        let shuffled = AlarmEvaluator(spec()).evaluate(
            [125, 0, 60].enumerated().map {
                AlarmEvaluator.Match(time: Self.base + $1, group: "bob", eventID: "x\($1)", tag: $0)
            })
        #expect(ordered.map(\.at) == shuffled.map(\.at))
        #expect(shuffled.first?.trigger == 0)  // the match at +125 s, fed first
    }

    @Test("a repeated eventID counts once")
    func duplicates() {
        let alarm = AlarmEvaluator(spec())
        #expect(alarm.evaluate(matches([0, 10, 20], ids: ["a", "a", "b"])).isEmpty)
        #expect(alarm.evaluate(matches([0, 10, 20], ids: ["a", "b", "c"])).count == 1)
    }

    @Test("groups count separately")
    func groups() {
        let alarm = AlarmEvaluator(spec())
        let mixed = matches([0, 10], group: "alice") + matches([0, 10, 20], group: "bob")
        #expect(alarm.evaluate(mixed).map(\.group) == ["bob"])
        #expect(alarm.evaluate(matches([0, 10], group: "alice") + matches([5, 15], group: "bob")).isEmpty)
    }

    @Test("re-arms when the window clears: two bursts far apart fire twice, close together once")
    func rearm() {
        let alarm = AlarmEvaluator(spec())
        #expect(alarm.evaluate(matches([0, 10, 20, 1800, 1810, 1820])).count == 2)
        #expect(alarm.evaluate(matches([0, 10, 20, 120, 130, 140])).count == 1)
    }

    @Test("treat_missing_data: ignore keeps ALARM through silence, so the second burst does not fire")
    func ignore() {
        #expect(AlarmEvaluator(spec(missing: .ignore)).evaluate(matches([0, 10, 20, 1800, 1810, 1820])).count == 1)
        #expect(AlarmEvaluator(spec(missing: .missing)).evaluate(matches([0, 10, 20, 1800, 1810, 1820])).count == 2)
    }

    @Test(
        "eventTime parsing",
        arguments: [
            ("1970-01-01T00:00:00Z", 0), ("2026-11-22T10:00:00Z", 1_795_341_600),
            ("2024-02-29T23:59:59Z", 1_709_251_199),
            ("2026-11-22T10:00:00.123Z", 1_795_341_600), ("2026-11-22T23:59:59.123456789Z", 1_795_391_999),
            ("2000-02-29T00:00:00Z", 951_782_400), ("9999-12-31T23:59:59Z", 253_402_300_799),
        ])
    func eventTime(_ text: String, _ expected: Int) {
        #expect(AlarmEvaluator.seconds(fromEventTime: text) == expected)
    }

    @Test(
        "malformed eventTimes are rejected",
        arguments: ["", "2026-11-22", "2026-13-01T00:00:00Z", "2026-11-22 10:00:00Z"])
    func badEventTime(_ text: String) {
        #expect(AlarmEvaluator.seconds(fromEventTime: text) == nil)
    }

    /// A lenient reading made hour 99 four days later and February 30 March 2, so forged times
    /// counted in windows they do not belong to (issue 17, finding 3).
    @Test(
        "impossible eventTimes are rejected, not carried into the next day or month",
        arguments: [
            "2026-11-22T99:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T10:60:00Z", "2026-11-22T10:00:60Z",
            "2026-11-22T10:99:99Z", "2026-02-30T10:00:00Z", "2026-02-29T10:00:00Z", "1900-02-29T10:00:00Z",
            "2026-04-31T10:00:00Z", "2026-00-10T10:00:00Z", "2026-11-00T10:00:00Z", "2026-11-22T1a:00:00Z",
            "2026-11-22T10:00:00.Z", "2026-11-22T10:00:00.1234567890Z", "2026-11-22T10:00:00.12aZ",
            "2026-11-22T10:00:00+00:00", "2026-11-22T10:00:00z", "2026-11-22T10:00:00ZZ", "-026-11-22T10:00:00Z",
            "+2026-11-22T10:00:00Z",
        ])
    func impossibleEventTime(_ text: String) {
        #expect(AlarmEvaluator.seconds(fromEventTime: text) == nil)
    }

    @Test("a firing knows its episode: from the evaluation into ALARM to the first one out of it")
    func episodeEnd() {
        let firing = AlarmEvaluator(spec()).evaluate(matches([0, 60, 125])).first
        #expect(firing?.at == Self.base + 180)
        // The window at the end of minute 6 holds minutes 1-5: two matches, so ALARM ends there.
        #expect(firing?.end == Self.base + 360)
        // An earlier fourth match starts the same episode a minute sooner and ends it no sooner.
        let earlier = AlarmEvaluator(spec()).evaluate(matches([-30, 0, 60, 125])).first
        #expect(earlier?.at == Self.base + 120)
        #expect(earlier?.end == Self.base + 360)
        // With `ignore`, silence keeps ALARM: the episode is still open a minute past the last
        // evaluation, where `notBreaching` has ended it.
        let minute = spec(threshold: 1, period: 60)
        #expect(AlarmEvaluator(minute).evaluate(matches([0])).first?.end == Self.base + 120)
        var ignore = minute
        ignore.treatMissingData = .ignore
        #expect(AlarmEvaluator(ignore).evaluate(matches([0])).first?.end == Self.base + 180)
    }
}
