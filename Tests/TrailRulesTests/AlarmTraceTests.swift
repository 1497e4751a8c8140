import Testing
import TrailJSON

@testable import TrailRules

/// `AlarmEvaluator.trace`, what `trailhound explain` shows of an alarm: the same walk as `evaluate`,
/// with every evaluation kept.
struct AlarmTraceTests {
    static let base = AlarmEvaluatorTests.base  // 2026-11-22T10:00:00Z

    func spec(threshold: Int = 3, period: Int = 300, periods: Int = 1, datapoints: Int? = nil) -> AlarmSpec {
        AlarmSpec(
            threshold: threshold, period: period, evaluationPeriods: periods, datapointsToAlarm: datapoints ?? periods,
            treatMissingData: .notBreaching, groupBy: [])
    }

    func matches(_ offsets: [Int], group: String = "bob", ids: [String]? = nil) -> [AlarmEvaluator.Match] {
        offsets.enumerated().map { index, offset in
            AlarmEvaluator.Match(
                time: Self.base + offset, group: group, eventID: ids?[index] ?? "\(group)\(index)", tag: index)
        }
    }

    /// Scenarios from `AlarmEvaluatorTests`, with several groups, repeats and out-of-order times.
    static let scenarios: [[Int]] = [
        [0, 60, 125], [0, 60], [0, 290, 580], [0, 290, 299], [0, 10, 20, 1800, 1810, 1820],
        [0, 10, 20, 120, 130, 140], [125, 0, 60, -30], [0, 59, 60, 61, 119, 120, 3600],
    ]

    @Test("the trace's firings are exactly evaluate's, scenario by scenario", arguments: scenarios)
    func firingsAgree(_ offsets: [Int]) {
        for alarm in [
            AlarmEvaluator(spec()), AlarmEvaluator(spec(threshold: 1, period: 60, periods: 3, datapoints: 2)),
        ] {
            let all =
                matches(offsets)
                + matches(offsets.map { $0 + 30 }, group: "alice").map {
                    var match = $0
                    match.tag += 100
                    return match
                }
            let (groups, repeated) = alarm.trace(all)
            #expect(repeated.isEmpty)
            #expect(groups.map(\.group) == ["alice", "bob"])
            let traced = groups.flatMap(\.firings).sorted { ($0.at, $0.group) < ($1.at, $1.group) }
            #expect(traced == alarm.evaluate(all))
            // Every firing is an evaluation in ALARM after one that was not.
            for group in groups {
                for firing in group.firings {
                    let index = group.evaluations.firstIndex { $0.at == firing.at }
                    #expect(index.map { group.evaluations[$0].state } == .alarm)
                    if let index, index > 0 { #expect(group.evaluations[index - 1].state != .alarm) }
                }
            }
        }
    }

    @Test("an evaluation shows its window, per-period counts (oldest first) and breaching periods")
    func evaluations() throws {
        let (groups, _) = AlarmEvaluator(spec()).trace(matches([0, 60, 125]))
        let bob = try #require(groups.first)
        #expect(bob.matches.count == 3)
        let alarm = try #require(bob.evaluations.first { $0.state == .alarm })
        #expect(alarm.at == Self.base + 180)
        #expect(alarm.windowStart == Self.base - 120)
        #expect(alarm.periodCounts == [3] && alarm.count == 3 && alarm.breaching == 1)
        // Two one-minute periods out of three: counts per period, oldest first.
        let (split, _) = AlarmEvaluator(spec(threshold: 1, period: 60, periods: 3, datapoints: 2)).trace(
            matches([0, 130]))
        let fired = try #require(split.first?.evaluations.first { $0.state == .alarm })
        #expect(fired.periodCounts == [1, 0, 1])
        #expect(fired.breaching == 2)
    }

    @Test("repeated eventIDs are listed, not counted: the earliest by event time counts")
    func repeats() throws {
        let (groups, repeated) = AlarmEvaluator(spec()).trace(matches([20, 0, 10], ids: ["a", "a", "b"]))
        #expect(repeated.map(\.tag) == [0])  // the one at +20 s repeats the one at +0 s
        #expect(groups.first?.matches.map(\.tag) == [1, 2])
        #expect(groups.first?.firings.isEmpty == true)
    }

    @Test("a match counts in the windows ending one minute after it through the window's span")
    func windowEnds() {
        let ends = AlarmEvaluator(spec()).windowEnds(containing: Self.base + 30)
        #expect(ends == (Self.base + 60)...(Self.base + 300))
        let periods = AlarmEvaluator(spec(period: 60, periods: 3)).windowEnds(containing: Self.base - 1)
        #expect(periods == Self.base...(Self.base + 120))
    }

    @Test(
        "an alarm in a few words",
        arguments: [
            (300, 1, 1, ["$.userIdentity.userName"], "≥3 in 5m by $.userIdentity.userName"),
            (3600, 3, 2, [], "≥3 in 1h, 2 of 3 periods"),
            (5400, 1, 1, ["$.a", "$.b"], "≥3 in 90m by $.a, $.b"),
            (86400, 1, 1, [], "≥3 in 1d"),
        ])
    func summary(_ period: Int, _ periods: Int, _ datapoints: Int, _ groupBy: [String], _ expected: String) throws {
        var alarm = spec(period: period, periods: periods, datapoints: datapoints)
        alarm.groupBy = groupBy.map { selector in
            .init(selector.dropFirst(2).split(separator: ".").map { .key(String($0)) })
        }
        #expect(alarm.summary == expected)
    }
}
