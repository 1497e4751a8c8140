package import TrailReader
package import TrailRules

/// What evaluating one file produced: the alerts of plain rules in record order, the matches of
/// alarm rules (which only count once windows are evaluated), and what the file held.
package struct FileEvaluation: Sendable {
    package var alerts: [Alert] = []
    package var alarmMatches: [AlarmMatch] = []
    package var records = 0
    /// JSON Lines lines and records the engine refused; the rest of the file was still read.
    package var invalidRecords: [ReaderError] = []
    /// A CloudTrail digest file: recognised, holds no events.
    package var isDigest = false
    /// The newest `eventTime` among the file's records, in seconds since 1970.
    package var newestEventTime: Int?

    package init() {}
}

/// A match of an alarm rule, waiting for its window to be evaluated.
package struct AlarmMatch: Sendable, Hashable {
    /// The rule's index in the `RuleSet`.
    package var rule: Int
    /// The values of the rule's `group_by` selectors, joined.
    package var group: String
    /// The alert the match would raise on its own: the alarm's firing is built from it.
    package var alert: Alert
    /// The record's `eventTime` in seconds since 1970, read strictly; nil when it is absent or
    /// not a valid time, and then the match cannot count toward any window.
    package var time: Int?

    package init(rule: Int, group: String, alert: Alert) {
        self.rule = rule
        self.group = group
        self.alert = alert
        time = alert.eventTime.flatMap(AlarmEvaluator.seconds(fromEventTime:))
    }
}
