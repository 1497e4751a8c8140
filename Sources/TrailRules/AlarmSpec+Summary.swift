import TrailJSON

/// An alarm in a few words, the way people say it: `≥3 in 5m by $.userIdentity.userName`.
extension AlarmSpec {
    /// `≥THRESHOLD in PERIOD`, then `, M of N periods` when more than one period is evaluated,
    /// then `by SELECTOR, …` when the count is split by group.
    package var summary: String {
        var text = "≥\(threshold) in \(AlarmSpec.duration(period))"
        if evaluationPeriods > 1 { text += ", \(datapointsToAlarm) of \(evaluationPeriods) periods" }
        if !groupBy.isEmpty { text += " by " + groupBy.map(\.description).joined(separator: ", ") }
        return text
    }

    /// Seconds as the largest whole unit: `300` → `5m`, `3600` → `1h`, `5400` → `90m`, `86400` → `1d`.
    package static func duration(_ seconds: Int) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
