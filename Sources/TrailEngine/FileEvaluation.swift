package import TrailReader
package import TrailRules

/// What evaluating one file produced: the alerts of plain rules in record order, the matches of
/// alarm rules tallied per group and minute (they raise alerts only when windows are evaluated),
/// and what the file held.
package struct FileEvaluation: Sendable {
    package var alerts: [Alert] = []
    /// Per alarm rule (by index in the `RuleSet`), the file's matches that count.
    package var alarms: [Int: AlarmTally] = [:]
    /// Alarm matches that do not count (`AlarmAdmission`), per reason.
    package var alarmSkips = AlarmAdmission.Skips()
    /// With `FileEvaluator.keepsTriggerRecords`: the record of each minute's latest match, by
    /// record index, so an alarm that fires on this file's matches is built without reading it again.
    package var triggerRecords: [Int: [UInt8]] = [:]
    package var records = 0
    /// JSON Lines lines and records the engine refused; the rest of the file was still read.
    package var invalidRecords: [ReaderError] = []
    /// A CloudTrail digest file: recognised, holds no events.
    package var isDigest = false
    /// The newest `eventTime` among the file's records, in seconds since 1970.
    package var newestEventTime: Int?

    package init() {}
}
