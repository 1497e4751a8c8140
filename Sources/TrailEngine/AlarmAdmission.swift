/// Which alarm matches may count toward a window, decided against the wall clock: a decision as
/// a value, so tests give the time and `replay` and `run` share it (`FileEvaluator` asks it of
/// every match).
///
/// A match counts when its `eventTime` is a valid time (`AlarmEvaluator.seconds(fromEventTime:)`),
/// no later than now plus the tolerated clock skew (CloudTrail stamps events with AWS's clock, not
/// ours; a time beyond that is forged or corrupt, and would otherwise hold an alarm's history
/// hostage), and, for the daemon, no older than now minus the lateness: the history a late
/// match needs is kept that long, and no longer.
package struct AlarmAdmission: Sendable, Hashable {
    /// Why a match does not count.
    package enum Skip: String, Sendable, Hashable, CaseIterable {
        /// No `eventTime`, or not a valid one (hour 99, February 30, …).
        case invalidTime = "invalid_time"
        /// Later than now plus the clock skew.
        case future
        /// Older than now minus the lateness: its neighbours may already be forgotten.
        case late
    }

    /// How many matches of a file were skipped, per reason.
    package struct Skips: Sendable, Hashable {
        package var counts: [Skip: Int] = [:]

        package init() {}

        package var total: Int { counts.values.reduce(0, +) }
        package subscript(_ reason: Skip) -> Int { counts[reason] ?? 0 }
    }

    /// Seconds a match may be older than now; nil: any age (replay reads history of any age).
    package var lateness: Int?
    /// Seconds a match may be later than now.
    package var clockSkew: Int

    package init(lateness: Duration?, clockSkew: Duration) {
        self.lateness = lateness.map { Int($0.components.seconds) }
        self.clockSkew = Int(clockSkew.components.seconds)
    }

    /// How late a match may be in the daemon unless configured otherwise: three days. CloudTrail
    /// usually delivers within 15 minutes but promises no bound, and a daemon stopped over a
    /// weekend reads its backlog this late.
    package static let defaultLateness = Duration.seconds(3 * 86_400)
    /// How far ahead of our clock a match may be unless configured otherwise: CloudTrail stamps
    /// events with AWS's clock, and a host clock a few minutes behind is common.
    package static let defaultClockSkew = Duration.seconds(15 * 60)

    /// `replay`'s and `explain`'s admission: history of any age, the default clock skew.
    package static let replay = AlarmAdmission(lateness: nil, clockSkew: defaultClockSkew)

    /// Nil when a match at `time` (nil: no valid time) counts at `now`, else why it does not.
    package func skip(_ time: Int?, now: Int) -> Skip? {
        guard let time else { return .invalidTime }
        if time > now + clockSkew { return .future }
        if let lateness, time < now - lateness { return .late }
        return nil
    }

    /// The event time before which a group's stored minutes and episodes are forgotten, for a
    /// rule whose window spans `span` seconds and a group whose newest stored match is at `newest`.
    ///
    /// A match admitted now is at most `lateness` old, and its windows reach `span` further back,
    /// so that much history is kept behind the earlier of now and the group's newest match: by
    /// wall clock and by event time, per group, so no group's far-off record (and none is further
    /// than the clock skew ahead) moves the cut-off for another. `Int.min` without a lateness.
    package func horizon(now: Int, newest: Int?, span: Int) -> Int {
        guard let lateness else { return .min }
        return min(now, newest ?? now) - lateness - span
    }

    /// The event time before which every rule's minutes and episodes may be forgotten: the longest
    /// window a rule may have is one day (as in CloudWatch), so nothing a group still needs is older.
    package func sweepHorizon(now: Int) -> Int {
        guard let lateness else { return .min }
        return now - lateness - 86_400
    }
}
