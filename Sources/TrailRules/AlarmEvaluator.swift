/// CloudWatch alarm semantics over matches (filter-patterns.md section 7), as a pure function of
/// the matches' event times: no clock is read, so tests drive it with explicit times.
///
/// Matches are counted per minute of `eventTime` and per group (the values of `group_by`),
/// after dropping repeated `eventID`s. At the end of every minute the alarm looks at the last
/// `evaluationPeriods` periods of `period` seconds, sliding: a period breaches when its count is
/// at least `threshold`; a period with no match is missing and counts per `treatMissingData`.
/// With at least `datapointsToAlarm` breaching periods the state is ALARM. An alert is raised on
/// each transition into ALARM, and the alarm re-arms when the window clears. Because evaluation is
/// on event time over all matches, late and out-of-order records count where they belong.
package struct AlarmEvaluator {
    /// One match fed to the alarm.
    package struct Match: Sendable, Hashable {
        /// `eventTime`, in seconds since 1970.
        package var time: Int
        package var group: String
        package var eventID: String?
        /// Caller's handle on the match (to find the record that triggered a firing).
        package var tag: Int

        package init(time: Int, group: String, eventID: String?, tag: Int) {
            self.time = time
            self.group = group
            self.eventID = eventID
            self.tag = tag
        }
    }

    /// A transition into ALARM, and how long the episode of ALARM it opened lasted.
    package struct Firing: Sendable, Hashable {
        package var group: String
        /// The evaluation time (end of a minute), in seconds since 1970.
        package var at: Int
        /// The first evaluation time out of ALARM after `at`; when the matches end with the group
        /// still in ALARM (`treat_missing_data: ignore`), one minute past the last evaluation.
        /// `at..<end` is the episode: more matches can lengthen it, never split it, unless missing
        /// data breaches or is ignored.
        package var end: Int
        /// The first second of the evaluated window (`at - period × evaluationPeriods`).
        package var windowStart: Int
        /// Matches in the window.
        package var count: Int
        /// The tag of the latest match inside the window: the one that tipped it.
        package var trigger: Int
    }

    package enum State: Sendable, Hashable {
        case ok
        case alarm
        case insufficientData
    }

    package let spec: AlarmSpec

    package init(_ spec: AlarmSpec) {
        self.spec = spec
    }

    /// The firings the matches cause, in time order (then group order).
    package func evaluate(_ matches: [Match]) -> [Firing] {
        let (byGroup, _) = Self.deduplicated(matches)
        var firings: [Firing] = []
        for (group, events) in byGroup {
            firings += walk(group: group, events, recording: false).firings
        }
        return firings.sorted { ($0.at, $0.group) < ($1.at, $1.group) }
    }

    /// The matches by group in (time, tag) order, without repeated `eventID`s (CloudTrail can
    /// deliver an event twice), and the repeats that were dropped. A repeat is the same `eventID`
    /// in the same group and minute, as a record delivered twice is: that much is all a tally per
    /// minute (`replay`, the daemon's ledger) remembers of the events it counted.
    static func deduplicated(_ matches: [Match]) -> (byGroup: [String: [Match]], repeated: [Match]) {
        struct Seen: Hashable {
            var group: String
            var minute: Int
            var id: String
        }
        var seen: Set<Seen> = []
        var byGroup: [String: [Match]] = [:]
        var repeated: [Match] = []
        for match in matches.sorted(by: { ($0.time, $0.tag) < ($1.time, $1.tag) }) {
            if let id = match.eventID,
                !seen.insert(Seen(group: match.group, minute: floorDiv(match.time, 60), id: id)).inserted
            {
                repeated.append(match)
                continue
            }
            byGroup[match.group, default: []].append(match)
        }
        return (byGroup, repeated)
    }

    /// Evaluates one group's windows at every minute that can change its state; the firings, and
    /// with `recording` every evaluation made (for `trace`).
    func walk(group: String, _ events: [Match], recording: Bool) -> (
        firings: [Firing], evaluations: [Evaluation]
    ) {
        var perMinute: [Int: Int] = [:]
        var latestTag: [Int: Int] = [:]
        for event in events {
            let minute = AlarmEvaluator.floorDiv(event.time, 60)
            perMinute[minute, default: 0] += 1
            latestTag[minute] = event.tag
        }
        return walk(
            group: group, perMinute: perMinute, latestTag: latestTag, firstTag: events.first?.tag ?? 0,
            recording: recording)
    }

    /// The firings of one group from its counts per minute (minutes since 1970), each minute with
    /// the tag of its latest match: all the alarm needs, so callers may keep just that (the
    /// daemon's ledger and `replay` do) instead of every match.
    package func evaluate(group: String, minutes: [Int: (count: Int, tag: Int)]) -> [Firing] {
        walk(
            group: group, perMinute: minutes.mapValues(\.count), latestTag: minutes.mapValues(\.tag),
            firstTag: minutes.min { $0.key < $1.key }?.value.tag ?? 0, recording: false
        ).firings
    }

    /// `firstTag` names the trigger of a window that fires with no match in it (missing data
    /// that breaches): the group's first match.
    private func walk(
        group: String, perMinute: [Int: Int], latestTag: [Int: Int], firstTag: Int, recording: Bool
    ) -> (
        firings: [Firing], evaluations: [Evaluation]
    ) {
        let span = spec.period / 60 * spec.evaluationPeriods
        let minutes = perMinute.keys.sorted()
        var state = State.insufficientData
        var firings: [Firing] = []
        var evaluations: [Evaluation] = []
        // A match at minute e is inside the window evaluated at the end of minutes e+1 … e+span;
        // the window changes nowhere else, so those minutes (and the one after, when the match
        // leaves) are the only evaluations that can change the state.
        var evaluated = Int.min
        for minute in minutes {
            let first = max(evaluated + 1, minute + 1)
            let last = minute + span + 1
            guard first <= last else { continue }
            for evaluation in first...last {
                evaluated = evaluation
                let result = self.evaluation(at: evaluation, perMinute, current: state, recording: recording)
                if recording { evaluations.append(result) }
                let (newState, count) = (result.state, result.count)
                if newState != .alarm && state == .alarm { firings[firings.count - 1].end = evaluation * 60 }
                if newState == .alarm && state != .alarm {
                    let windowStart = evaluation - span
                    let trigger =
                        (windowStart..<evaluation).reversed().lazy.compactMap { latestTag[$0] }.first
                        ?? firstTag
                    firings.append(
                        Firing(
                            group: group, at: evaluation * 60, end: (evaluation + 1) * 60,
                            windowStart: windowStart * 60,
                            count: count, trigger: trigger))
                }
                state = newState
            }
        }
        if state == .alarm { firings[firings.count - 1].end = (evaluated + 1) * 60 }
        return (firings, evaluations)
    }

    /// The alarm's evaluation at the end of minute `evaluation`: the matches in its window (per
    /// period too, when `recording`), and the state they put it in.
    private func evaluation(at evaluation: Int, _ perMinute: [Int: Int], current: State, recording: Bool)
        -> Evaluation
    {
        let periodMinutes = spec.period / 60
        var breaching = 0
        var present = 0
        var total = 0
        var counts: [Int] = []
        for period in 0..<spec.evaluationPeriods {
            let end = evaluation - period * periodMinutes
            var sum = 0
            for minute in (end - periodMinutes)..<end { sum += perMinute[minute] ?? 0 }
            total += sum
            if recording { counts.append(sum) }
            if sum > 0 {
                present += 1
                if sum >= spec.threshold { breaching += 1 }
                continue
            }
            // No match in the period: no datapoint. treat_missing_data decides what it is.
            switch spec.treatMissingData {
            case .breaching:
                present += 1
                breaching += 1
            case .notBreaching:
                present += 1
            case .missing, .ignore:
                break
            }
        }
        let state: State
        if breaching >= spec.datapointsToAlarm {
            state = .alarm
        } else if present == 0 {
            state = spec.treatMissingData == .ignore ? current : .insufficientData
        } else {
            state = .ok
        }
        let span = periodMinutes * spec.evaluationPeriods
        return Evaluation(
            at: evaluation * 60, windowStart: (evaluation - span) * 60, periodCounts: counts.reversed(),
            count: total, breaching: breaching, state: state)
    }

    package static func floorDiv(_ value: Int, _ divisor: Int) -> Int {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    /// Seconds since 1970 of a CloudTrail `eventTime` (`YYYY-MM-DDTHH:MM:SSZ`, optionally with a
    /// fraction of 1 to 9 digits before the `Z`), or nil when it is not exactly that.
    ///
    /// Strict on purpose: a lenient reading turns hour 99 into four days later and February 30
    /// into March 2, so a forged or corrupt time would count in a window it does not belong to.
    /// Every field must be in range (hours 00-23, minutes and seconds 00-59, the day within its
    /// month, leap years included); a leap second (`:60`) is refused, as CloudTrail never writes one.
    package static func seconds(fromEventTime text: String) -> Int? {
        var text = text
        return text.withUTF8 { seconds(fromEventTime: UnsafeRawBufferPointer($0)) }
    }

    /// As `seconds(fromEventTime:)`, over the time's UTF-8 bytes where a record holds them (the
    /// per-match path of alarm rules reads them there, without making a string).
    package static func seconds(fromEventTime bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes.last == UInt8(ascii: "Z")
        else { return nil }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if bytes.count > 20 {
            // `.` then 1-9 digits, then the `Z` already checked.
            let fraction = bytes[20..<(bytes.count - 1)]
            guard bytes[19] == UInt8(ascii: "."), !fraction.isEmpty, fraction.count <= 9, fraction.allSatisfy(isDigit)
            else { return nil }
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard isDigit(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month),
            (1...CivilDate.daysIn(month: month, year: year)).contains(day), (0...23).contains(hour),
            (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        return CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
    }
}
