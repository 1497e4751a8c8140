package import TrailEngine

/// Forwards the daemon's events to its Prometheus metrics.
package struct MetricsObserver: DaemonObserver {
    let metrics: DaemonMetrics

    package init(metrics: DaemonMetrics) {
        self.metrics = metrics
    }

    package func backlog(_ files: Int) { metrics.backlog(files: files) }

    package func fileProcessed(
        records: Int, skipped: Int, alerts: [String: Int], newestEventTime: Int?, duration: Duration
    ) {
        metrics.fileProcessed(records: records, skipped: skipped, duration: duration)
        for (rule, count) in alerts { metrics.alertsRaised(rule: rule, count: count) }
        if let newestEventTime { metrics.eventTimeSeen(Double(newestEventTime)) }
        metrics.progressed()
    }

    package func fileQuarantined(reason: String) {
        metrics.fileQuarantined(reason: DaemonMetrics.QuarantineReason(kind: reason))
    }

    package func alarmMatchesSkipped(_ skips: AlarmAdmission.Skips) { metrics.alarmMatchesSkipped(skips) }

    package func delivery(sink: String, result: String, count: Int) {
        metrics.delivery(sink: sink, result: DaemonMetrics.DeliveryResult(rawValue: result) ?? .retry, count: count)
    }

    package func outbox(_ counts: [String: Int]) { metrics.outbox(depth: counts) }

    package func reloaded(ok: Bool) { metrics.reloaded(succeeded: ok) }

    package func ledgerFailed(operation: DaemonEvents.LedgerOperation) { metrics.ledgerFailed(operation) }

    package func readFailed(unreadableNow total: Int) { metrics.readFailed(unreadableNow: total) }

    package func unreadable(_ total: Int) { metrics.unreadable(total) }
}
