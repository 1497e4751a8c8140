package import TrailRules

/// Turns an alarm rule's tallied matches into the alerts its firings raise: `replay`'s step, and
/// the daemon's for the groups a file touches.
package enum AlarmFirings {
    /// The alert a firing raises: the alert its triggering record would raise on its own, with
    /// the alarm's group, window and count, and an id from the rule, group and window (so the
    /// same firing found again raises nothing new).
    package static func alert(_ firing: AlarmEvaluator.Firing, trigger: Alert) -> Alert {
        trigger.firing(group: firing.group, windowStart: firing.windowStart, windowEnd: firing.at, count: firing.count)
    }

    /// The alert a firing raises when its triggering record cannot be read again (its file was
    /// removed or changed since): built from what the tally knows, a record holding only the
    /// `eventTime`, so the alert still names the rule, group, window and count.
    package static func alert(
        _ firing: AlarmEvaluator.Firing, rule: Rule, trigger: AlarmTrigger, file: String
    ) -> Alert {
        let record = #"{"eventTime":"\#(Alert.isoTime(trigger.time))"}"#
        let alert = Array(record.utf8).withUnsafeBytes {
            Alert(rule: rule, record: $0, file: file, recordIndex: trigger.record)
        }
        return Self.alert(firing, trigger: alert)
    }
}
