package import TrailRules

/// Turns the matches of one alarm rule into the alerts its firings raise: the step `replay` and
/// the daemon's ledger share.
package enum AlarmFirings {
    /// The firings of `spec` over `matches`, as alerts built from each firing's triggering match
    /// (ids from the rule, group and window, so re-evaluating the same matches raises nothing new).
    /// Firings whose window starts before `notBefore` are dropped: their history was pruned.
    package static func alerts(_ spec: AlarmSpec, matches: [AlarmMatch], notBefore: Int = .min) -> [Alert] {
        var evaluated: [AlarmEvaluator.Match] = []
        var triggers: [Alert] = []
        for match in matches {
            guard let time = match.alert.eventTime.flatMap(AlarmEvaluator.seconds(fromEventTime:)) else { continue }
            evaluated.append(
                AlarmEvaluator.Match(time: time, group: match.group, eventID: match.alert.eventID, tag: triggers.count))
            triggers.append(match.alert)
        }
        return AlarmEvaluator(spec).evaluate(evaluated).filter { $0.windowStart >= notBefore }.map { firing in
            triggers[firing.trigger].firing(
                group: firing.group, windowStart: firing.windowStart, windowEnd: firing.at, count: firing.count)
        }
    }
}
