package import TrailRules

/// Turns the matches of one alarm rule into the alerts its firings raise, all at once: `replay`'s
/// step. The daemon's ledger runs the same `AlarmEvaluator` over each group's stored matches, and
/// remembers episodes so that files read one at a time raise what this raises over all of them.
package enum AlarmFirings {
    /// The firings of `spec` over `matches`, as alerts built from each firing's triggering match
    /// (ids from the rule, group and window, so re-evaluating the same matches raises nothing new).
    /// Matches without a valid time are not counted (`AlarmAdmission` says which those are).
    package static func alerts(_ spec: AlarmSpec, matches: [AlarmMatch]) -> [Alert] {
        var evaluated: [AlarmEvaluator.Match] = []
        var triggers: [Alert] = []
        for match in matches {
            guard let time = match.time else { continue }
            evaluated.append(
                AlarmEvaluator.Match(time: time, group: match.group, eventID: match.alert.eventID, tag: triggers.count))
            triggers.append(match.alert)
        }
        return AlarmEvaluator(spec).evaluate(evaluated).map { firing in
            triggers[firing.trigger].firing(
                group: firing.group, windowStart: firing.windowStart, windowEnd: firing.at, count: firing.count)
        }
    }
}
