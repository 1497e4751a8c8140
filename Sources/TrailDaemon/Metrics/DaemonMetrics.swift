import NIOConcurrencyHelpers
package import TrailEngine
package import Prometheus

#if canImport(Glibc)
    import Glibc
    // timespec's and timeval's fields are declared in SwiftOverlayShims: a release build with
    // MemberImportVisibility asks for it by name since TrailDaemon imports TrailEngine and
    // TrailDelivery (a debug build does not).
    import SwiftOverlayShims
#elseif canImport(Darwin)
    import Darwin
#endif

/// The daemon's Prometheus metrics, behind methods that take plain values.
///
/// Callers report what happened (`fileProcessed(records:duration:)`, `alertsRaised(rule:count:)`)
/// and never see a metrics type, so the pipeline does not depend on how metrics are exported.
/// Updates happen per file or per batch, never per record (house style, rule 8), and labels have
/// low cardinality: rule ids, sink names and fixed words, never file names.
///
/// Every metric is named `trailhound_…`. Fixed label sets (quarantine reasons, outbox states,
/// reload results) are created up front so they read 0 rather than being absent, which keeps
/// `rate()` and alert expressions simple.
package final class DaemonMetrics: Sendable {
    /// Why a file was quarantined: the `reason` label of `trailhound_files_quarantined_total`.
    ///
    /// The cases follow the reader's error kinds, plus `other`, so the label set stays fixed.
    package enum QuarantineReason: String, Sendable, Hashable, CaseIterable {
        /// The file could not be opened or read.
        case unreadable
        /// Not a regular file (symlink, FIFO, socket, device, directory).
        case notRegularFile = "not_regular_file"
        /// The gzip stream ends early.
        case truncated
        /// Damaged gzip data (header, deflate data, CRC or length).
        case corruptGzip = "corrupt_gzip"
        /// Bytes after the last gzip member.
        case trailingGarbage = "trailing_garbage"
        /// Inflates past the size cap.
        case tooLarge = "too_large"
        /// Inflates at a gzip-bomb ratio.
        case expansionRatio = "expansion_ratio"
        /// One record past the record-size cap.
        case recordTooLarge = "record_too_large"
        /// Not the JSON a CloudTrail file holds.
        case invalidJSON = "invalid_json"
        /// Anything else.
        case other

        /// The reason for a reader error kind's name (`corruptGzip`, `invalidJSON`, as
        /// `"\(ReaderError.Kind)"` prints) or for a label (`corrupt_gzip`); anything else is `other`.
        package init(kind: String) {
            if let label = Self(rawValue: kind) {
                self = label
            } else {
                self = Self.allCases.first { "\($0)" == kind } ?? .other
            }
        }
    }

    /// What happened to one delivery attempt: the `result` label of `trailhound_deliveries_total`.
    package enum DeliveryResult: String, Sendable, Hashable, CaseIterable {
        /// The sink accepted the alert.
        case delivered
        /// A retriable failure; the alert is rescheduled.
        case retry
        /// A permanent failure, or retries exhausted; the alert will not be sent.
        case dead
        /// The destination answered that it is gone (HTTP 410, Discord 404); its alerts wait.
        case disabled
        /// Alerts that went out inside a digest rather than one by one.
        case digested
    }

    /// The outbox states reported by `trailhound_outbox_rows{state=…}`.
    package static let outboxStates = ["pending", "grouped", "inflight", "delivered", "dead"]

    /// Upper bounds of `trailhound_file_processing_seconds`: a small file takes milliseconds, a
    /// large one seconds, and anything near the top bucket deserves a look.
    package static let processingBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        .seconds(10), .seconds(30),
    ]

    private let registry: PrometheusCollectorRegistry
    private let wallClock: @Sendable () -> Double

    private let filesProcessed: Counter
    private let records: Counter
    private let recordsSkipped: Counter
    private let alarmMatchesSkipped: [AlarmAdmission.Skip: Counter]
    private let processingTime: DurationHistogram
    private let quarantined: [QuarantineReason: Counter]
    private let outboxRows: [String: Gauge]
    private let lag: Gauge
    private let backlog: Gauge
    private let reloadsOK: Counter
    private let reloadsFailed: Counter
    private let ledgerErrors: [DaemonEvents.LedgerOperation: Counter]
    private let lastProgress: Gauge
    private let readFailures: Counter
    private let unreadable: Gauge

    /// Counters created on first use, by rule id and by (sink, result).
    private let dynamic = NIOLockedValueBox(DynamicCounters())
    /// The newest CloudTrail `eventTime` seen, in seconds since the epoch; `lag_seconds` is measured from it.
    private let newestEventTime = NIOLockedValueBox<Double?>(nil)

    private struct DynamicCounters {
        var alerts: [String: Counter] = [:]
        var deliveries: [DeliveryKey: Counter] = [:]
    }

    private struct DeliveryKey: Hashable {
        var sink: String
        var result: DeliveryResult
    }

    /// Registers the daemon's metrics in `registry`.
    ///
    /// Making a second `DaemonMetrics` on the same registry returns the same underlying series
    /// (the registry deduplicates by name and labels), so counts carry over.
    ///
    /// - Parameters:
    ///   - registry: Where the metrics live; ``render()`` emits all of it.
    ///   - wallClock: Seconds since the Unix epoch; tests pin it.
    package init(
        registry: PrometheusCollectorRegistry,
        wallClock: @escaping @Sendable () -> Double = DaemonMetrics.secondsSinceEpoch
    ) {
        self.registry = registry
        self.wallClock = wallClock
        filesProcessed = registry.makeCounter(
            descriptor: Self.name("files_processed", "total", "CloudTrail files read to the end and evaluated."))
        records = registry.makeCounter(
            descriptor: Self.name("records", "total", "CloudTrail records evaluated against the rules."))
        recordsSkipped = registry.makeCounter(
            descriptor: Self.name(
                "records_skipped", "total",
                "Records the engine refused (invalid UTF-8, nesting too deep, not JSON) while the rest of their file was evaluated."
            ))
        let alarmSkipsName = Self.name(
            "alarm_matches_skipped", "total",
            "Alarm rule matches that did not count toward alarms (invalid eventTime, beyond the clock skew, older than the lateness), by reason."
        )
        alarmMatchesSkipped = Dictionary(
            uniqueKeysWithValues: AlarmAdmission.Skip.allCases.map { reason in
                (reason, registry.makeCounter(descriptor: alarmSkipsName, labels: [("reason", reason.rawValue)]))
            })
        processingTime = registry.makeDurationHistogram(
            descriptor: Self.name("file_processing", "seconds", "Time to read and evaluate one file."),
            buckets: Self.processingBuckets)
        let quarantineName = Self.name("files_quarantined", "total", "Files set aside as unreadable, by reason.")
        quarantined = Dictionary(
            uniqueKeysWithValues: QuarantineReason.allCases.map { reason in
                (reason, registry.makeCounter(descriptor: quarantineName, labels: [("reason", reason.rawValue)]))
            })
        let outboxName = Self.name("outbox", "rows", "Alerts in the outbox, by delivery state.")
        outboxRows = Dictionary(
            uniqueKeysWithValues: Self.outboxStates.map { state in
                (state, registry.makeGauge(descriptor: outboxName, labels: [("state", state)]))
            })
        lag = registry.makeGauge(
            descriptor: Self.name("lag", "seconds", "Now minus the newest CloudTrail eventTime seen."))
        backlog = registry.makeGauge(
            descriptor: Self.name("backlog", "files", "Files in the spool waiting to be processed."))
        let reloadsName = Self.name("reloads", "total", "Configuration reloads, by result.")
        reloadsOK = registry.makeCounter(descriptor: reloadsName, labels: [("result", "ok")])
        reloadsFailed = registry.makeCounter(descriptor: reloadsName, labels: [("result", "failed")])
        let ledgerName = Self.name(
            "ledger_errors", "total",
            "Ledger writes that failed (disk full, I/O error) and will be retried, by operation.")
        ledgerErrors = Dictionary(
            uniqueKeysWithValues: DaemonEvents.LedgerOperation.allCases.map { operation in
                (operation, registry.makeCounter(descriptor: ledgerName, labels: [("operation", operation.rawValue)]))
            })
        lastProgress = registry.makeGauge(
            descriptor: Self.name(
                "last_progress_timestamp", "seconds", "When the pipeline last finished a file, in Unix time."))
        readFailures = registry.makeCounter(
            descriptor: Self.name(
                "file_read_failures", "total",
                "Attempts to read a spool file or list a directory that failed for a reason of the environment (descriptors, memory, permissions, I/O); each is retried."
            ))
        unreadable = registry.makeGauge(
            descriptor: Self.name(
                "unreadable", "files",
                "Spool files and directories that cannot be read now and are being retried (their alerts are held back)."
            ))
    }

    /// An attempt to read a file (or list a directory) failed for a reason of the environment;
    /// `total` files and directories cannot be read now.
    package func readFailed(unreadableNow total: Int) {
        readFailures.increment()
        unreadable.set(Int64(total))
    }

    /// The number of spool files and directories that cannot be read now.
    package func unreadable(_ total: Int) {
        unreadable.set(Int64(total))
    }

    /// A file was read to the end and evaluated: counts it, its records and its processing time.
    package func fileProcessed(records count: Int, skipped: Int = 0, duration: Duration) {
        filesProcessed.increment()
        if count > 0 { records.increment(by: Int64(count)) }
        if skipped > 0 { recordsSkipped.increment(by: Int64(skipped)) }
        processingTime.record(duration)
        progressed()
    }

    /// A file's alarm matches that did not count, by reason (once per file, not per record).
    package func alarmMatchesSkipped(_ skips: AlarmAdmission.Skips) {
        for (reason, count) in skips.counts where count > 0 {
            alarmMatchesSkipped[reason]?.increment(by: Int64(count))
        }
    }

    /// A file was quarantined; it also counts as progress, since the pipeline moved past it.
    package func fileQuarantined(reason: QuarantineReason) {
        quarantined[reason]?.increment()
        progressed()
    }

    /// Rule `rule` raised `count` alerts (in one file or batch).
    package func alertsRaised(rule: String, count: Int) {
        guard count > 0 else { return }
        let counter = dynamic.withLockedValue { counters in
            if let counter = counters.alerts[rule] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.name("alerts", "total", "Alerts raised, by rule id."), labels: [("rule", rule)])
            counters.alerts[rule] = counter
            return counter
        }
        counter.increment(by: Int64(count))
    }

    /// The outbox's row counts by state (`pending`, `grouped`, `inflight`, `delivered`, `dead`).
    ///
    /// The dictionary is a full snapshot: a known state that is missing reads 0. Unknown states are
    /// ignored so a new ledger state cannot grow the label set unnoticed.
    package func outbox(depth: [String: Int]) {
        for (state, gauge) in outboxRows {
            gauge.set(Int64(depth[state] ?? 0))
        }
    }

    /// `count` deliveries to sink `sink` ended in `result`.
    package func delivery(sink: String, result: DeliveryResult, count: Int = 1) {
        guard count > 0 else { return }
        let counter = dynamic.withLockedValue { counters in
            let key = DeliveryKey(sink: sink, result: result)
            if let counter = counters.deliveries[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.name("deliveries", "total", "Delivery attempts, by sink and result."),
                labels: [("sink", sink), ("result", result.rawValue)])
            counters.deliveries[key] = counter
            return counter
        }
        counter.increment(by: Int64(count))
    }

    /// Records the newest `eventTime` in a batch (seconds since the epoch); older times are ignored.
    ///
    /// `trailhound_lag_seconds` is computed from it when metrics are rendered, so the lag keeps
    /// growing while nothing new arrives, which is when it matters.
    package func eventTimeSeen(_ eventTime: Double) {
        let newest = newestEventTime.withLockedValue { newest in
            if newest.map({ eventTime > $0 }) ?? true { newest = eventTime }
            return newest
        }
        if let newest { lag.set(max(0, wallClock() - newest)) }
    }

    /// The number of files in the spool not yet processed.
    package func backlog(files: Int) {
        backlog.set(Int64(files))
    }

    /// A configuration reload finished, successfully or not (a failed reload keeps the old configuration).
    package func reloaded(succeeded: Bool) {
        (succeeded ? reloadsOK : reloadsFailed).increment()
    }

    /// A ledger write failed; what it carried was not acknowledged and will be retried.
    package func ledgerFailed(_ operation: DaemonEvents.LedgerOperation) {
        ledgerErrors[operation]?.increment()
    }

    /// Marks progress without a file finishing (for example an idle scan that found nothing to do).
    package func progressed() {
        lastProgress.set(wallClock())
    }

    /// All metrics in the registry in the Prometheus text format (version 0.0.4).
    package func render() -> [UInt8] {
        if let newest = newestEventTime.withLockedValue({ $0 }) {
            lag.set(max(0, wallClock() - newest))
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8192)
        registry.emit(into: &buffer)
        return buffer
    }

    /// The real-time clock in seconds since the Unix epoch.
    package static func secondsSinceEpoch() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "trailhound", metricName: metric, unitName: unit, helpText: help)
    }
}
