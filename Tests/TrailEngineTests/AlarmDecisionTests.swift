import Testing
import TrailEngine
import TrailPatterns
import TrailTestKit

@testable import TrailRules

/// The alarm decisions the daemon makes against the clock, with explicit times: which matches
/// count, how much history a group keeps, and when a firing is an episode already alerted
/// (issue 17, findings 3 and 4).
struct AlarmDecisionTests {
    static let now = 1_795_341_600  // 2026-11-22T10:00:00Z
    let admission = AlarmAdmission(lateness: .seconds(3 * 86_400), clockSkew: .seconds(900))

    @Test("a match counts from now minus the lateness to now plus the clock skew, and has a valid time")
    func whatCounts() {
        let now = Self.now
        #expect(admission.skip(now, now: now) == nil)
        #expect(admission.skip(now + 900, now: now) == nil)
        #expect(admission.skip(now + 901, now: now) == .future)
        #expect(admission.skip(253_402_300_799, now: now) == .future)  // 9999-12-31T23:59:59Z
        #expect(admission.skip(now - 3 * 86_400, now: now) == nil)
        #expect(admission.skip(now - 3 * 86_400 - 1, now: now) == .late)
        #expect(admission.skip(nil, now: now) == .invalidTime)
        // Replay has no lateness: history of any age counts, the future still does not.
        let replay = AlarmAdmission(lateness: nil, clockSkew: .seconds(900))
        #expect(replay.skip(0, now: now) == nil)
        #expect(replay.skip(now + 3600, now: now) == .future)
    }

    @Test("skipped matches are counted per reason, and the rest are tallied")
    func skipsAreCounted() throws {
        let records = [
            ("ok1", "2026-11-22T09:59:00Z"), ("hour", "2026-11-22T99:00:00Z"), ("future", "9999-12-31T23:59:59Z"),
            ("late", "2026-11-01T10:00:00Z"), ("feb", "2026-02-30T10:00:00Z"), ("ok2", "2026-11-22T09:00:00Z"),
        ].map { #"{"eventID":"\#($0)","eventTime":"\#($1)","a":1}"# }
        let file = try TemporaryDirectory("engine").write("skips.json", records.joined(separator: "\n"))
        let evaluator = FileEvaluator(rules: try AlarmTallyTests.rules(threshold: 3), admission: admission)
        let evaluation = try evaluator.evaluate(path: file, now: Self.now)
        let skips = evaluation.alarmSkips
        #expect(skips[.invalidTime] == 2 && skips[.future] == 1 && skips[.late] == 1 && skips.total == 4)
        let minutes = try #require(evaluation.alarms[0]).minutes
        #expect(minutes.keys.map(\.minute).sorted() == [1_795_341_540 / 60, 1_795_341_540 / 60 - 59].sorted())
        #expect(evaluation.alerts.isEmpty)
    }

    @Test("a group keeps the lateness plus its window behind the earlier of now and its newest match")
    func horizonIsPerGroupAndBoundedByTheWallClock() {
        let now = Self.now
        let lateness = 3 * 86_400
        #expect(admission.horizon(now: now, newest: now - 600, span: 300) == now - 600 - lateness - 300)
        // A group's newest match ahead of the clock (within the skew) does not move it past now:
        // the bug was one far-future record setting everyone's cut-off to the year 9999.
        #expect(admission.horizon(now: now, newest: now + 900, span: 300) == now - lateness - 300)
        #expect(admission.horizon(now: now, newest: 253_402_300_799, span: 300) == now - lateness - 300)
        #expect(admission.horizon(now: now, newest: nil, span: 300) == now - lateness - 300)
        // The sweep over quiet groups keeps a day of window more than any rule can have.
        #expect(admission.sweepHorizon(now: now) == now - lateness - 86_400)
        #expect(AlarmAdmission(lateness: nil, clockSkew: .zero).horizon(now: now, newest: now, span: 300) == .min)
    }

    func firing(at: Int, end: Int, span: Int = 300) -> AlarmEvaluator.Firing {
        AlarmEvaluator.Firing(group: "bob", at: at, end: end, windowStart: at - span, count: 3, trigger: 0)
    }

    @Test("a new episode fires once and is remembered")
    func newEpisode() {
        let plan = AlarmEpisode.reconcile(
            stored: [], firings: [firing(at: 1_000, end: 1_200)], notBefore: 0, alertID: { "a\($0.at)" })
        #expect(plan.fire.map(\.at) == [1_000])
        #expect(plan.episodes == [AlarmEpisode(start: 1_000, end: 1_200, alertID: "a1000")])
    }

    @Test("the same episode begun earlier by a late match does not fire again, and widens")
    func backFilledEpisode() {
        let stored = [AlarmEpisode(start: 1_080, end: 1_260, alertID: "first")]
        let plan = AlarmEpisode.reconcile(
            stored: stored, firings: [firing(at: 1_020, end: 1_260)], notBefore: 0, alertID: { _ in "second" })
        #expect(plan.fire.isEmpty)
        #expect(plan.episodes == [AlarmEpisode(start: 1_020, end: 1_260, alertID: "first")])
    }

    @Test("a match that joins two episodes makes them one, keeping the first one's alert")
    func joinedEpisodes() {
        let stored = [
            AlarmEpisode(start: 1_000, end: 1_200, alertID: "one"),
            AlarmEpisode(start: 1_500, end: 1_700, alertID: "two"),
        ]
        let plan = AlarmEpisode.reconcile(
            stored: stored, firings: [firing(at: 1_000, end: 1_700)], notBefore: 0, alertID: { _ in "three" })
        #expect(plan.fire.isEmpty)
        #expect(plan.episodes == [AlarmEpisode(start: 1_000, end: 1_700, alertID: "one")])
    }

    @Test("a later, separate episode fires; one whose window reaches into forgotten history does not")
    func separateAndForgotten() {
        let stored = [AlarmEpisode(start: 1_000, end: 1_200, alertID: "one")]
        let later = AlarmEpisode.reconcile(
            stored: stored, firings: [firing(at: 1_000, end: 1_200), firing(at: 1_800, end: 1_900)], notBefore: 0,
            alertID: { "a\($0.at)" })
        #expect(later.fire.map(\.at) == [1_800])
        #expect(later.episodes.map(\.alertID) == ["one", "a1800"])
        // Its window starts before the horizon: it may be the tail of an episode already forgotten.
        let forgotten = AlarmEpisode.reconcile(
            stored: [], firings: [firing(at: 1_000, end: 1_200)], notBefore: 800, alertID: { _ in "x" })
        #expect(forgotten.fire.isEmpty && forgotten.episodes.isEmpty)
    }
}

/// The daemon reads of a group's stored minutes only those `AlarmDecision.reach` names (issue 19):
/// a busy group keeps days of minutes, and reading them all for each file that touches it made a
/// commit's cost grow with the group's history. Deciding on that part must raise exactly what
/// deciding on all of it raises, and keep the same episodes, whatever order the files come in.
struct AlarmReachTests {
    /// A store of one rule's alarm state, as the ledger keeps it.
    struct Store {
        var minutes: [AlarmTally.Key: AlarmMinute] = [:]
        var episodes: [String: [AlarmEpisode]] = [:]

        /// What the ledger would hand `decide` for `file`: all of each touched group's minutes, or
        /// those its reach names.
        func stored(for file: AlarmTally, spec: AlarmSpec, reached: Bool) -> AlarmTally {
            var state = AlarmTally()
            for group in file.groups {
                let fileMinutes = file.minutes.keys.filter { $0.group == group }.map(\.minute)
                let mine = minutes.filter { $0.key.group == group }
                let total = mine.values.reduce(0) { $0 + $1.count }
                    + file.minutes.filter { $0.key.group == group }.values.reduce(0) { $0 + $1.count }
                let reach = reached ? AlarmDecision.reach(spec: spec, total: total, fileMinutes: fileMinutes) : .all
                for (key, minute) in mine {
                    switch reach {
                    case .all: state.set(key, minute)
                    case .minutes(let range) where range.contains(key.minute): state.set(key, minute)
                    case .shared where fileMinutes.contains(key.minute): state.set(key, minute)
                    default: break
                    }
                }
            }
            return state
        }

        mutating func apply(_ decision: AlarmDecision) {
            for (group, cut) in decision.forgetBefore {
                minutes = minutes.filter { $0.key.group != group || $0.key.minute >= cut }
            }
            for (key, minute) in decision.minutes { minutes[key] = minute }
            for (group, episodes) in decision.episodes { self.episodes[group] = episodes }
        }
    }

    @Test(arguments: AlarmSpec.MissingData.allCases)
    func decidingOnTheReachedMinutesRaisesWhatAllOfThemRaise(missing: AlarmSpec.MissingData) throws {
        let now = AlarmDecisionTests.now + 86_400
        var raisedAny = 0
        for seed in UInt64(0)..<40 {
            var random = SplitMix64(seed: seed)
            func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
            let evaluationPeriods = 1 + pick(3)
            let rules = try AlarmTallyTests.rules(
                threshold: 2 + pick(3), period: 60 * (1 + pick(3)), evaluationPeriods: evaluationPeriods,
                datapoints: 1 + pick(evaluationPeriods), missing: missing)
            let spec = try #require(rules.rules.first?.alarm)
            // With and without a lateness: with one, history behind the horizon is forgotten.
            let admission =
                seed % 2 == 0
                ? AlarmAdmission.replay : AlarmAdmission(lateness: .seconds(3 * 86_400), clockSkew: .seconds(900))
            var whole = Store()
            var reached = Store()
            for unit in 1...30 {
                var file = AlarmTally()
                // A few bursts a file, anywhere in eight hours: files arrive in no order.
                for burst in 0..<(1 + pick(3)) {
                    let start = AlarmDecisionTests.now + 60 * pick(480)
                    for record in 0..<(1 + pick(6)) {
                        file.add(
                            group: "g\(pick(3))",
                            AlarmTrigger(
                                time: start + 30 * pick(12), order: UInt64(unit) << 21 | UInt64(burst * 8 + record),
                                unit: unit, record: burst * 8 + record,
                                eventID: pick(8) == 0 ? nil : EventFingerprint("e\(pick(400))".utf8)))
                    }
                }
                let one = AlarmDecision.decide(
                    ruleID: "burst", spec: spec, file: file, stored: whole.stored(for: file, spec: spec, reached: false),
                    episodes: whole.episodes, admission: admission, now: now)
                let other = AlarmDecision.decide(
                    ruleID: "burst", spec: spec, file: file, stored: reached.stored(for: file, spec: spec, reached: true),
                    episodes: reached.episodes, admission: admission, now: now)
                // `firing.trigger` is the evaluator's handle on a minute, which follows the order a
                // dictionary is walked in; the match it stands for, `trigger`, is compared.
                func comparable(_ raise: [AlarmTally.Firing]) -> [AlarmTally.Firing] {
                    raise.map { var firing = $0; firing.firing.trigger = 0; return firing }
                }
                #expect(comparable(other.raise) == comparable(one.raise), "seed \(seed), file \(unit), \(spec)")
                #expect(other.minutes == one.minutes, "seed \(seed), file \(unit)")
                raisedAny += one.raise.count
                whole.apply(one)
                reached.apply(other)
                if admission.lateness == nil { #expect(reached.episodes == whole.episodes, "seed \(seed), file \(unit)") }
            }
        }
        #expect(raisedAny > 20)
    }
}
