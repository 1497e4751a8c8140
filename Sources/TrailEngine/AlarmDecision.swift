package import TrailRules

/// What the daemon does with one alarm rule's state when a file brings matches: a pure function
/// of the file's tally, the state the ledger holds for the groups it touches, and the clock. The
/// file processor calls it between reading the ledger and the file's one transaction, which then
/// records exactly what it says (the ledger persists; it does not decide).
///
/// Per group touched: history older than the horizon (`AlarmAdmission.horizon`) is forgotten,
/// the file's minutes are merged into the stored ones (an event counted already counts once),
/// every window is evaluated again over what remains (late and out-of-order files count where
/// their event times put them, as in `replay`), and the firings are reconciled with the episodes
/// already alerted (`AlarmEpisode`): only a new episode raises its one alert.
package struct AlarmDecision: Sendable {
    /// Minutes to write (the file's minutes, merged with what was stored).
    package var minutes: [AlarmTally.Key: AlarmMinute] = [:]
    /// Per group, the minute (since 1970) before which its stored minutes are forgotten.
    package var forgetBefore: [String: Int] = [:]
    /// Per group whose episodes changed, all its episodes from now on, in start order.
    package var episodes: [String: [AlarmEpisode]] = [:]
    /// The firings that open a new episode: each raises an alert built from its trigger.
    package var raise: [AlarmTally.Firing] = []

    package init() {}

    /// Decides for `ruleID` (whose alarm is `spec`) after a file whose matches are `file`.
    /// `stored` holds the ledger's minutes of the groups `file` touches (others may be absent),
    /// `episodes` their stored episodes; `now` is in seconds since 1970.
    package static func decide(
        ruleID: String, spec: AlarmSpec, file: AlarmTally, stored: AlarmTally, episodes: [String: [AlarmEpisode]],
        admission: AlarmAdmission, now: Int
    ) -> AlarmDecision {
        var decision = AlarmDecision()
        var state = stored
        state.merge(file)
        let byGroup = state.byGroup
        let storedGroups = stored.byGroup
        let fileGroups = file.byGroup
        let evaluator = AlarmEvaluator(spec)
        let span = spec.period * spec.evaluationPeriods
        for group in fileGroups.keys.sorted() {
            var minutes = byGroup[group] ?? [:]
            let newest = minutes.values.map(\.trigger.time).max()
            let horizon = admission.horizon(now: now, newest: newest, span: span)
            if horizon != .min {
                let cut = AlarmEvaluator.floorDiv(horizon, 60)
                // Only a group with stored minutes before the cut has anything to forget: most
                // groups a file touches have none, and each forget is a statement in its commit.
                if storedGroups[group]?.keys.contains(where: { $0 < cut }) == true { decision.forgetBefore[group] = cut }
                minutes = minutes.filter { $0.key >= cut }
            }
            let kept = (episodes[group] ?? []).filter { $0.end >= horizon }
            let firings = AlarmTally.firings(evaluator, group: group, minutes: minutes)
            let plan = AlarmEpisode.reconcile(
                stored: kept, firings: firings.map(\.firing), notBefore: horizon,
                alertID: { Alert.firingID(ruleID: ruleID, group: group, windowStart: $0.windowStart) })
            if plan.episodes != episodes[group] ?? [] { decision.episodes[group] = plan.episodes }
            let raised = Set(plan.fire)
            decision.raise += firings.filter { raised.contains($0.firing) }
            for minute in fileGroups[group]!.keys {
                if let state = minutes[minute] { decision.minutes[.init(group: group, minute: minute)] = state }
            }
        }
        return decision
    }
}
