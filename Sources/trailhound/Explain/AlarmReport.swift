import Foundation
import TrailEngine
import TrailJSON
import TrailRules

/// The alarm side of explaining a rule with an `alarm`: which matches count and in which windows,
/// then what the alarm evaluator made of them, per group.
///
/// Counting follows `replay` step by step: a match's group comes from `FileEvaluator.group`, its
/// admission from `AlarmAdmission` with replay's settings (history of any age, the default clock
/// skew), repeated `eventID`s and the windows from `AlarmEvaluator`, whose `trace` is the walk
/// that produces replay's firings.
struct AlarmReport {
    /// Where a match came from.
    struct Place: Hashable {
        var file: String
        var record: Int
    }

    /// What the alarm makes of one record the rule matched (and no suppression caught).
    struct RecordAlarm: Equatable {
        var group: String
        /// `eventTime` in seconds since 1970, when it is a valid time.
        var time: Int?
        /// Why the match does not count, if it does not.
        var skip: AlarmAdmission.Skip?
        /// The ends of the first and last window the match counts in (when it counts).
        var windowEnds: ClosedRange<Int>?
        /// An earlier record with the same `eventID`: the two count once (the earlier in event time).
        var sameEventAs: Place?
    }

    /// One group's story, for the end of the explanation.
    struct GroupOutcome {
        var group: String
        var matches: Int
        /// The evaluations where the state changed (the first one included), in time order.
        var transitions: [AlarmEvaluator.Evaluation]
        /// Each transition into ALARM, with the match that tipped its window.
        var firings: [(firing: AlarmEvaluator.Firing, trigger: Place)]
        /// The evaluation with the most breaching periods (then the most matches): how close the
        /// group came, for a group that never went into ALARM.
        var peak: AlarmEvaluator.Evaluation?
    }

    struct Outcome {
        var groups: [GroupOutcome]
        /// Matches not counted again because their `eventID` was already counted.
        var repeated: [Place]
        /// Matches that could not count, by reason.
        var skipped: [(reason: AlarmAdmission.Skip, place: Place)]
    }

    let spec: AlarmSpec
    private let admission = AlarmAdmission.replay
    private let evaluator: AlarmEvaluator
    private let groupProjection: JSONProjection
    private var matches: [AlarmEvaluator.Match] = []
    private var places: [Place] = []
    private var skipped: [(reason: AlarmAdmission.Skip, place: Place)] = []
    /// The first record read with each `eventID` that counts, per group and minute (where a
    /// record delivered twice repeats: `AlarmEvaluator`'s rule).
    private var firstWithEventID: [String: Place] = [:]

    init(spec: AlarmSpec) {
        self.spec = spec
        evaluator = AlarmEvaluator(spec)
        groupProjection = JSONProjection(paths: spec.groupBy)
    }

    /// Counts a record the rule alerts on, at wall-clock time `now` (for the clock-skew check).
    mutating func add(
        _ record: UnsafeRawBufferPointer, rule: Rule, place: Place, now: Int
    ) -> RecordAlarm {
        let group = FileEvaluator.group(record, groupProjection)
        let alert = Alert(rule: rule, record: record, file: place.file, recordIndex: place.record)
        let matchTime = alert.eventTime.flatMap(AlarmEvaluator.seconds(fromEventTime:))
        var result = RecordAlarm(group: group, time: matchTime)
        if let reason = admission.skip(matchTime, now: now) {
            result.skip = reason
            skipped.append((reason, place))
            return result
        }
        guard let time = matchTime else { return result }  // admission refuses these first
        matches.append(AlarmEvaluator.Match(time: time, group: group, eventID: alert.eventID, tag: places.count))
        places.append(place)
        result.windowEnds = evaluator.windowEnds(containing: time)
        if let id = alert.eventID {
            let key = "\(group)\u{0}\(AlarmEvaluator.floorDiv(time, 60))\u{0}\(id)"
            if let first = firstWithEventID[key] { result.sameEventAs = first } else { firstWithEventID[key] = place }
        }
        return result
    }

    /// Evaluates every counted match, as replay does once all files are read.
    func finish() -> Outcome {
        let (groups, repeated) = evaluator.trace(matches)
        let outcomes = groups.map { trace in
            var transitions: [AlarmEvaluator.Evaluation] = []
            var state = AlarmEvaluator.State.insufficientData
            for evaluation in trace.evaluations where evaluation.state != state || transitions.isEmpty {
                transitions.append(evaluation)
                state = evaluation.state
            }
            let peak = trace.evaluations.max { ($0.breaching, $0.count) < ($1.breaching, $1.count) }
            return GroupOutcome(
                group: trace.group, matches: trace.matches.count, transitions: transitions,
                firings: trace.firings.map { ($0, places[$0.trigger]) }, peak: peak)
        }
        return Outcome(groups: outcomes, repeated: repeated.map { places[$0.tag] }, skipped: skipped)
    }
}
