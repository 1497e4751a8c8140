/// How the pipeline is doing, judged from when each loop last reported progress: the decision
/// behind every `WATCHDOG=1` ping and `/healthz`'s verdict on the loops, as a value (no clock is
/// read here).
///
/// "Not started yet" and "stuck" are different answers. The heartbeat asks from the moment the
/// services start, but the spool loop reports for the first time only after its first scan and
/// READY=1, so every start spends a while with no report; reading that as "stuck" logged a false
/// "not making progress" in about half the starts (issue 17, finding 12). Before READY=1 systemd
/// has not armed the watchdog (a start that hangs is `TimeoutStartSec=`'s to catch), so the wait
/// for the first report counts from READY=1, and only past one interval is it reported.
///
/// A spool loop that goes round is not enough: while the spool directory is gone, the loop
/// rescans nothing and the daemon is blind to new files, so that is no progress either
/// (`spoolGone`). The watch heals by itself when the directory comes back; if it never does, the
/// withheld ping lets systemd restart a daemon that cannot recover.
package enum PipelineProgress: Sendable, Hashable {
    /// Every loop reported within the interval: ping the watchdog.
    case progressing
    /// The spool loop has not reported yet: it is still scanning (no READY=1 yet), or READY=1 came
    /// at most one interval ago. Neither a ping nor a warning.
    case starting
    /// READY=1 came `sinceReady` ago, more than one interval, and the spool loop has not reported
    /// once: reported like `stuck`.
    case notStarted(sinceReady: Duration)
    /// These loops (`spool loop`, `sink NAME`) have not reported within the interval.
    case stuck([String])
    /// The spool directory is gone and not watched, for this reason (`DaemonEvents.SpoolGone`):
    /// no ping; logged once by the spool loop, not at every heartbeat.
    case spoolGone(String)

    /// Judges the progress reports at `now`.
    ///
    /// - Parameters:
    ///   - readyAt: When the spool loop finished its first scan and the daemon said READY=1; nil
    ///     before that.
    ///   - lastSpoolProgress: When the spool loop last went round; nil before its first round.
    ///   - lastDispatcherProgress: When each sink's dispatcher last progressed (or is busy until).
    ///   - disabledSinks: Sinks whose destination is gone: they wait for an operator, not for the
    ///     watchdog (a restart would not fix them), so they never count as stuck.
    ///   - spoolGone: Why the spool directory is not watched, when it is gone; it outweighs
    ///     everything else.
    ///   - now: The moment judged.
    ///   - interval: How long a loop may go without reporting before it counts as stuck, and how
    ///     long after READY=1 the spool loop may take to report for the first time.
    package static func assess(
        readyAt: ContinuousClock.Instant?, lastSpoolProgress: ContinuousClock.Instant?,
        lastDispatcherProgress: [String: ContinuousClock.Instant], disabledSinks: Set<String>,
        spoolGone: String? = nil, now: ContinuousClock.Instant, interval: Duration
    ) -> PipelineProgress {
        if let spoolGone { return .spoolGone(spoolGone) }
        guard let spool = lastSpoolProgress else {
            guard let readyAt, now - readyAt > interval else { return .starting }
            return .notStarted(sinceReady: now - readyAt)
        }
        var stuck: [String] = []
        if now - spool > interval { stuck.append("spool loop") }
        // Sorted, so the same state gives the same words in the log and on /healthz.
        for (sink, last) in lastDispatcherProgress.sorted(by: { $0.key < $1.key })
        where now - last > interval && !disabledSinks.contains(sink) {
            stuck.append("sink \(sink)")
        }
        return stuck.isEmpty ? .progressing : .stuck(stuck)
    }

    /// Judges a `DaemonEvents` snapshot at `now`.
    package static func assess(_ snapshot: DaemonEvents.Snapshot, now: ContinuousClock.Instant, interval: Duration)
        -> PipelineProgress
    {
        assess(
            readyAt: snapshot.spoolReadyAt, lastSpoolProgress: snapshot.lastSpoolProgress,
            lastDispatcherProgress: snapshot.lastDispatcherProgress, disabledSinks: snapshot.disabledSinks,
            spoolGone: snapshot.spoolGone?.line(now: now), now: now, interval: interval)
    }
}
