package import TrailRules

/// One episode of ALARM of an alarm rule for one group: from the evaluation that went into ALARM
/// to the first one out of it. One alert is raised per episode, whatever order its matches came in.
///
/// CloudTrail splits one five-minute interval across files, and files arrive late and out of
/// order. A match that arrives later can start an episode earlier (a window now reaches the
/// threshold a minute before), which changes the window its firing names, and so the firing's id.
/// Remembering the episodes, not just the ids, is what keeps that from alerting twice.
package struct AlarmEpisode: Sendable, Hashable {
    /// The first evaluation in ALARM, seconds since 1970.
    package var start: Int
    /// The first evaluation out of ALARM (or just past the last one seen in it), seconds since 1970.
    package var end: Int
    /// The one alert raised for the episode.
    package var alertID: String

    package init(start: Int, end: Int, alertID: String) {
        self.start = start
        self.end = end
        self.alertID = alertID
    }

    func overlaps(_ firing: AlarmEvaluator.Firing) -> Bool { start < firing.end && firing.at < end }

    /// What to do with a group's episodes after evaluating its windows again.
    package struct Reconciliation: Sendable, Hashable {
        /// Firings that open an episode not seen before: each raises its alert.
        package var fire: [AlarmEvaluator.Firing] = []
        /// The group's episodes from now on, in start order.
        package var episodes: [AlarmEpisode] = []
    }

    /// Compares the firings of one group's evaluation with the episodes already alerted.
    ///
    /// A firing that overlaps a known episode is that episode, seen with more matches: nothing is
    /// raised, and the episode widens to cover both (merging any it now joins). A firing that
    /// overlaps none opens a new episode and is raised, unless its window starts before
    /// `notBefore`: history before that was forgotten, so it may be the tail of an older episode.
    /// `alertID` names the alert a new firing raises.
    package static func reconcile(
        stored: [AlarmEpisode], firings: [AlarmEvaluator.Firing], notBefore: Int,
        alertID: (AlarmEvaluator.Firing) -> String
    ) -> Reconciliation {
        var result = Reconciliation()
        var episodes = stored
        for firing in firings.sorted(by: { $0.at < $1.at }) {
            let overlapping = episodes.filter { $0.overlaps(firing) }
            if overlapping.isEmpty {
                guard firing.windowStart >= notBefore else { continue }
                result.fire.append(firing)
                episodes.append(AlarmEpisode(start: firing.at, end: firing.end, alertID: alertID(firing)))
                continue
            }
            let first = overlapping.min { $0.start < $1.start }!
            let merged = AlarmEpisode(
                start: min(first.start, firing.at), end: max(firing.end, overlapping.map(\.end).max()!),
                alertID: first.alertID)
            episodes.removeAll { $0.overlaps(firing) }
            episodes.append(merged)
        }
        result.episodes = episodes.sorted { $0.start < $1.start }
        return result
    }
}
