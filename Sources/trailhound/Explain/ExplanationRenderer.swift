import TrailRules

/// Turns explanations into lines of output: text for people, JSON lines for tools.
protocol ExplanationRenderer {
    /// What is explained, before the first record (nil: nothing).
    func subject(_ subject: ExplainSubject) -> String?
    func record(_ record: ExplainedRecord, subject: ExplainSubject) -> String
    func alarm(_ outcome: AlarmReport.Outcome, rule: Rule, spec: AlarmSpec) -> String
    func tally(_ tally: ExplainRun.Tally, options: ExplainRun.Options) -> String
}
