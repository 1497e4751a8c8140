import TrailRules

/// One record's explanation, with what a reader needs to find it.
struct ExplainedRecord {
    var place: AlarmReport.Place
    var facts: RecordFacts
    var explanation: RuleExplanation
    /// For an alarm rule that alerts on the record: its group and windows.
    var alarm: AlarmReport.RecordAlarm?
}
