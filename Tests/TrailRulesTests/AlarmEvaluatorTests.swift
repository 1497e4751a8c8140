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
            ("2026-11-22T10:00:00.123Z", 1_795_341_600),
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
}
