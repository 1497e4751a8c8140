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
    /// `stored` holds the ledger's minutes of the groups `file` touches (others may be absent), at
    /// least those `reach` names for each; `episodes` are their stored episodes; `now` is in
    /// seconds since 1970.
    package static func decide(
        ruleID: String, spec: AlarmSpec, file: AlarmTally, stored: AlarmTally, episodes: [String: [AlarmEpisode]],
        admission: AlarmAdmission, now: Int
    ) -> AlarmDecision {
        var decision = AlarmDecision()
        // The stored minutes by group, with the file's merged in (an event counted already
        // counts once), and the file's own minutes by group: one pass over each.
        let storedGroups = stored.byGroup
        var byGroup = storedGroups
        var fileGroups: [String: [Int]] = [:]
        for (key, minute) in file.minutes {
            fileGroups[key.group, default: []].append(key.minute)
            if var existing = byGroup[key.group]?[key.minute] {
                existing.merge(minute)
                byGroup[key.group]![key.minute] = existing
            } else {
                byGroup[key.group, default: [:]][key.minute] = minute
            }
        }
        let evaluator = AlarmEvaluator(spec)
        let span = spec.period * spec.evaluationPeriods
        decision.minutes.reserveCapacity(file.minutes.count)
        for (group, fileMinutes) in fileGroups.sorted(by: { $0.key < $1.key }) {
            var minutes = byGroup[group]!
            let newest = minutes.values.map(\.trigger.time).max()
            let horizon = admission.horizon(now: now, newest: newest, span: span)
            if horizon != .min {
                let cut = AlarmEvaluator.floorDiv(horizon, 60)
                // Only a group with stored minutes before the cut has anything to forget: most
                // groups a file touches have none, and each forget is a statement in its commit.
                if storedGroups[group]?.keys.contains(where: { $0 < cut }) == true { decision.forgetBefore[group] = cut }
                if minutes.keys.contains(where: { $0 < cut }) { minutes = minutes.filter { $0.key >= cut } }
            }
            let kept = (episodes[group] ?? []).filter { $0.end >= horizon }
            let firings = AlarmTally.firings(evaluator, group: group, minutes: minutes)
            let plan = AlarmEpisode.reconcile(
                stored: kept, firings: firings.map(\.firing), notBefore: horizon,
                alertID: { Alert.firingID(ruleID: ruleID, group: group, windowStart: $0.windowStart) })
            if plan.episodes != episodes[group] ?? [] { decision.episodes[group] = plan.episodes }
            let raised = Set(plan.fire)
            decision.raise += firings.filter { raised.contains($0.firing) }
            for minute in fileMinutes {
                if let state = minutes[minute] { decision.minutes[.init(group: group, minute: minute)] = state }
            }
        }
        return decision
    }
}

extension AlarmDecision {
    /// Which of a group's stored minutes `decide` needs to decide as it would with all of them.
    package enum Reach: Sendable, Hashable {
        /// The minutes the file has too: the group's matches, stored and new, are too few to
        /// fire, so only those minutes are merged and written (older ones are left to the sweep).
        case shared
        /// The minutes in this range (minutes since 1970). With missing data that does not
        /// breach (`notBreaching`, `missing`) an evaluation's state is a function of its window
        /// alone, so the file can change only the windows that hold its minutes: a span either
        /// side of them. Evaluated a span further out, every run of ALARM the file lengthens or
        /// starts is seen where it meets the runs stored before (whose episodes are stored), and
        /// reconciling merges them as the whole history would. A busy group's days of minutes
        /// are not read for each file that touches it.
        case minutes(ClosedRange<Int>)
        /// All of them: with missing data that breaches or is ignored, the state carries across
        /// any gap, so a run of ALARM can reach back to the group's first minute.
        case all
    }

    /// The reach of a group of `spec` whose matches (stored and the file's, repeats included)
    /// number `total`, and which the file has at `fileMinutes` (not empty).
    package static func reach(spec: AlarmSpec, total: Int, fileMinutes: [Int]) -> Reach {
        guard AlarmTally.canFire(spec, total: total), let first = fileMinutes.min(), let last = fileMinutes.max()
        else { return .shared }
        switch spec.treatMissingData {
        case .breaching, .ignore:
            return .all
        case .notBreaching, .missing:
            let span = spec.period / 60 * spec.evaluationPeriods
            return .minutes((first - 2 * span - 1)...(last + 2 * span + 1))
        }
    }
}
