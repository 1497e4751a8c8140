/// The alarm's reasoning, step by step: what `trailhound explain` shows for a rule with an alarm.
///
/// `trace` runs the very walk `evaluate` runs (one function makes both), recording each evaluation
/// instead of keeping only the transitions into ALARM, so an explanation cannot tell a different
/// story from the alerts `replay` and the daemon raise.
extension AlarmEvaluator {
    /// One evaluation of one group's window, at the end of a minute.
    package struct Evaluation: Sendable, Hashable {
        /// The end of the evaluated minute, in seconds since 1970: the window is `windowStart..<at`.
        package var at: Int
        package var windowStart: Int
        /// Matches per period of the window, oldest first (one entry per evaluation period); kept
        /// in a trace only, so that `evaluate` allocates nothing per evaluated minute.
        package var periodCounts: [Int]
        /// Matches in the whole window.
        package var count: Int
        /// Periods that breach: at least `threshold` matches, or missing and counted as breaching.
        package var breaching: Int
        package var state: State
    }

    /// One group's matches, evaluations and firings.
    package struct GroupTrace: Sendable, Hashable {
        package var group: String
        /// The matches that counted, in time order.
        package var matches: [Match]
        /// Every evaluation that could change the state, in time order.
        package var evaluations: [Evaluation]
        /// The transitions into ALARM: exactly what `evaluate` returns for the group.
        package var firings: [Firing]
    }

    /// Every group's trace, in group order, and the matches dropped as repeats of an `eventID`
    /// already counted (the earliest by event time counts).
    package func trace(_ matches: [Match]) -> (groups: [GroupTrace], repeated: [Match]) {
        let (byGroup, repeated) = Self.deduplicated(matches)
        let groups = byGroup.keys.sorted().map { group in
            let events = byGroup[group]!
            let (firings, evaluations) = walk(group: group, events, recording: true)
            return GroupTrace(group: group, matches: events, evaluations: evaluations, firings: firings)
        }
        return (groups, repeated)
    }

    /// The first and last end of the windows a match at `time` counts in: a window evaluated at
    /// the end of minute E holds minutes E-span ..< E, so a match's minute m is in those ending
    /// m+1 … m+span (as seconds since 1970).
    package func windowEnds(containing time: Int) -> ClosedRange<Int> {
        let minute = AlarmEvaluator.floorDiv(time, 60)
        let span = spec.period / 60 * spec.evaluationPeriods
        return (minute + 1) * 60...(minute + span) * 60
    }
}
