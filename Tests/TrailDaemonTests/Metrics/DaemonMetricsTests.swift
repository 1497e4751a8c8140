import NIOConcurrencyHelpers
import Prometheus
import Testing
import TrailDaemon
import TrailEngine

@Suite("DaemonMetrics: the daemon's Prometheus metrics from plain values")
struct DaemonMetricsTests {
    /// Rendered metrics as lines, without HELP and TYPE comments.
    static func samples(_ metrics: DaemonMetrics) -> Set<String> {
        Set(
            String(decoding: metrics.render(), as: UTF8.self).split(separator: "\n").map(String.init).filter {
                !$0.hasPrefix("#")
            })
    }

    @Test("A fresh registry shows every fixed series at zero")
    func fixedSeriesStartAtZero() {
        let samples = Self.samples(DaemonMetrics(registry: PrometheusCollectorRegistry(), wallClock: { 1000 }))
        for expected in [
            "trailhound_files_processed_total 0",
            "trailhound_records_total 0",
            #"trailhound_files_quarantined_total{reason="corrupt_gzip"} 0"#,
            #"trailhound_files_quarantined_total{reason="other"} 0"#,
            #"trailhound_outbox_rows{state="pending"} 0.0"#,
            #"trailhound_outbox_rows{state="dead"} 0.0"#,
            #"trailhound_reloads_total{result="ok"} 0"#,
            #"trailhound_reloads_total{result="failed"} 0"#,
            #"trailhound_ledger_errors_total{operation="file"} 0"#,
            #"trailhound_ledger_errors_total{operation="outbox"} 0"#,
            "trailhound_backlog_files 0.0",
            "trailhound_lag_seconds 0.0",
            "trailhound_last_progress_timestamp_seconds 0.0",
            "trailhound_file_processing_seconds_count 0",
            "trailhound_records_skipped_total 0",
            #"trailhound_alarm_matches_skipped_total{reason="future"} 0"#,
            #"trailhound_alarm_matches_skipped_total{reason="late"} 0"#,
            #"trailhound_alarm_matches_skipped_total{reason="invalid_time"} 0"#,
        ] {
            #expect(samples.contains(expected), "missing \(expected)")
        }
    }

    @Test("Files, records, skipped records and processing time are counted per file")
    func filesAndRecords() {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry(), wallClock: { 1_795_341_900 })
        metrics.fileProcessed(records: 120, skipped: 3, duration: .milliseconds(7))
        metrics.fileProcessed(records: 0, duration: .seconds(2))
        let samples = Self.samples(metrics)
        #expect(samples.contains("trailhound_files_processed_total 2"))
        #expect(samples.contains("trailhound_records_total 120"))
        #expect(samples.contains("trailhound_records_skipped_total 3"))
        #expect(samples.contains(#"trailhound_file_processing_seconds_bucket{le="0.01"} 1"#))
        #expect(samples.contains(#"trailhound_file_processing_seconds_bucket{le="2.5"} 2"#))
        #expect(samples.contains(#"trailhound_file_processing_seconds_bucket{le="30.0"} 2"#))
        #expect(samples.contains("trailhound_file_processing_seconds_count 2"))
        #expect(samples.contains("trailhound_file_processing_seconds_sum 2.007"))
        #expect(samples.contains("trailhound_last_progress_timestamp_seconds 1795341900.0"))
    }

    @Test("Alarm matches that do not count are counted by reason")
    func alarmMatchesSkipped() {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        var skips = AlarmAdmission.Skips()
        skips.counts = [.future: 1, .invalidTime: 3]
        metrics.alarmMatchesSkipped(skips)
        metrics.alarmMatchesSkipped(skips)
        let samples = Self.samples(metrics)
        #expect(samples.contains(#"trailhound_alarm_matches_skipped_total{reason="future"} 2"#))
        #expect(samples.contains(#"trailhound_alarm_matches_skipped_total{reason="invalid_time"} 6"#))
        #expect(samples.contains(#"trailhound_alarm_matches_skipped_total{reason="late"} 0"#))
    }

    @Test("Quarantines are counted by reason")
    func quarantines() {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        metrics.fileQuarantined(reason: .corruptGzip)
        metrics.fileQuarantined(reason: .corruptGzip)
        metrics.fileQuarantined(reason: .expansionRatio)
        let samples = Self.samples(metrics)
        #expect(samples.contains(#"trailhound_files_quarantined_total{reason="corrupt_gzip"} 2"#))
        #expect(samples.contains(#"trailhound_files_quarantined_total{reason="expansion_ratio"} 1"#))
        #expect(samples.contains(#"trailhound_files_quarantined_total{reason="invalid_json"} 0"#))
    }

    @Test(
        "Quarantine reasons come from reader error kind names or labels",
        arguments: [
            ("invalidJSON", DaemonMetrics.QuarantineReason.invalidJSON), ("corruptGzip", .corruptGzip),
            ("notRegularFile", .notRegularFile), ("truncated", .truncated), ("expansion_ratio", .expansionRatio),
            ("somethingNew", .other), ("", .other),
        ])
    func quarantineReasonFromKind(kind: String, reason: DaemonMetrics.QuarantineReason) {
        #expect(DaemonMetrics.QuarantineReason(kind: kind) == reason)
    }

    @Test("Alerts are counted per rule; a zero count creates no series")
    func alertsPerRule() {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        metrics.alertsRaised(rule: "cis-3.1", count: 2)
        metrics.alertsRaised(rule: "cis-3.1", count: 3)
        metrics.alertsRaised(rule: "root-login", count: 1)
        metrics.alertsRaised(rule: "quiet", count: 0)
        let samples = Self.samples(metrics)
        #expect(samples.contains(#"trailhound_alerts_total{rule="cis-3.1"} 5"#))
        #expect(samples.contains(#"trailhound_alerts_total{rule="root-login"} 1"#))
        #expect(!samples.contains { $0.contains("quiet") })
    }

    @Test("The outbox gauge is a full snapshot: missing states read 0, unknown ones are ignored")
    func outboxSnapshot() {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        metrics.outbox(depth: ["pending": 4, "inflight": 1, "dead": 2])
        metrics.outbox(depth: ["pending": 3, "inflight": 1, "bogus": 9])
        let samples = Self.samples(metrics)
        #expect(samples.contains(#"trailhound_outbox_rows{state="pending"} 3.0"#))
        #expect(samples.contains(#"trailhound_outbox_rows{state="inflight"} 1.0"#))
        #expect(samples.contains(#"trailhound_outbox_rows{state="delivered"} 0.0"#))
        #expect(samples.contains(#"trailhound_outbox_rows{state="dead"} 0.0"#))
        #expect(!samples.contains { $0.contains("bogus") })
    }

    @Test("Deliveries are counted by sink and result")
    func deliveries() {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        metrics.delivery(sink: "slack-secops", result: .delivered)
        metrics.delivery(sink: "slack-secops", result: .delivered, count: 2)
        metrics.delivery(sink: "slack-secops", result: .retry)
        metrics.delivery(sink: "pagerduty", result: .dead)
        let samples = Self.samples(metrics)
        #expect(samples.contains(#"trailhound_deliveries_total{sink="slack-secops",result="delivered"} 3"#))
        #expect(samples.contains(#"trailhound_deliveries_total{sink="slack-secops",result="retry"} 1"#))
        #expect(samples.contains(#"trailhound_deliveries_total{sink="pagerduty",result="dead"} 1"#))
    }

    @Test("Lag is now minus the newest event time, and keeps growing while nothing new arrives")
    func lagGrows() {
        let now = NIOLockedValueBox<Double>(1000)
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry(), wallClock: { now.withLockedValue { $0 } })
        metrics.eventTimeSeen(940)
        metrics.eventTimeSeen(900)  // older than the newest: ignored
        #expect(Self.samples(metrics).contains("trailhound_lag_seconds 60.0"))
        now.withLockedValue { $0 = 1030 }
        #expect(Self.samples(metrics).contains("trailhound_lag_seconds 90.0"))
        metrics.eventTimeSeen(1040)  // clock skew: an event from the future reads as no lag
        #expect(Self.samples(metrics).contains("trailhound_lag_seconds 0.0"))
    }

    @Test("Backlog, reloads, ledger errors and progress")
    func backlogReloadsProgress() {
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry(), wallClock: { 42.5 })
        metrics.backlog(files: 17)
        metrics.reloaded(succeeded: true)
        metrics.reloaded(succeeded: false)
        metrics.reloaded(succeeded: false)
        metrics.ledgerFailed(.file)
        metrics.progressed()
        let samples = Self.samples(metrics)
        #expect(samples.contains(#"trailhound_ledger_errors_total{operation="file"} 1"#))
        #expect(samples.contains("trailhound_backlog_files 17.0"))
        #expect(samples.contains(#"trailhound_reloads_total{result="ok"} 1"#))
        #expect(samples.contains(#"trailhound_reloads_total{result="failed"} 2"#))
        #expect(samples.contains("trailhound_last_progress_timestamp_seconds 42.5"))
    }

    @Test("Every metric has HELP and TYPE lines")
    func helpAndType() {
        let text = String(
            decoding: DaemonMetrics(registry: PrometheusCollectorRegistry()).render(), as: UTF8.self)
        for (name, type) in [
            ("trailhound_files_processed_total", "counter"), ("trailhound_files_quarantined_total", "counter"),
            ("trailhound_records_total", "counter"), ("trailhound_outbox_rows", "gauge"),
            ("trailhound_lag_seconds", "gauge"), ("trailhound_backlog_files", "gauge"),
            ("trailhound_file_processing_seconds", "histogram"), ("trailhound_reloads_total", "counter"),
            ("trailhound_last_progress_timestamp_seconds", "gauge"),
        ] {
            #expect(text.contains("# TYPE \(name) \(type)\n"), "no TYPE for \(name)")
            #expect(text.contains("# HELP \(name) "), "no HELP for \(name)")
        }
    }

    @Test("A second DaemonMetrics on the same registry continues the same series")
    func sameRegistryTwice() {
        let registry = PrometheusCollectorRegistry()
        DaemonMetrics(registry: registry).fileProcessed(records: 1, duration: .zero)
        let again = DaemonMetrics(registry: registry)
        again.fileProcessed(records: 1, duration: .zero)
        #expect(Self.samples(again).contains("trailhound_files_processed_total 2"))
    }
}
