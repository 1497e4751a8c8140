import Foundation
import Testing
import TrailDelivery
import TrailJSON
import TrailReader
import TrailTestKit

@testable import TrailDaemon
@testable import TrailRules

/// The two configuration stages: the mirror refuses unknown keys by key path, the validated
/// struct fills defaults and refuses bad values with the key at fault. Only the daemon's own sink
/// kind (stdout) is known here; the executable's tests cover sinks of every kind
/// (`SinkConfigurationTests`).
struct ConfigurationTests {
    func load(_ yaml: String) throws(ConfigurationError) -> DaemonConfiguration {
        try DaemonConfiguration(
            DaemonConfiguration.parse(yaml, name: "test.yaml", sinkKinds: .builtIn),
            environment: ["STATE_DIRECTORY": "/var/lib/th"])
    }

    @Test func defaultsForASpoolAlone() throws {
        let configuration = try load("spool:\n  directory: /spool\n")
        #expect(configuration.spool.directory == "/spool")
        #expect(configuration.spool.settle == .seconds(10))
        #expect(configuration.spool.rescanInterval == .seconds(300))
        #expect(configuration.state.path == "/var/lib/th/trailhound.sqlite")
        #expect(configuration.state.synchronous == .normal)
        #expect(configuration.sinks == [.init(name: "stdout", section: StdoutSection(format: .auto))])
        #expect(configuration.routes == [.init(sinks: ["stdout"])])
        #expect(configuration.processed == .keep)
        #expect(configuration.quarantine == .mark)
        #expect(configuration.metricsListen == nil)
        #expect(configuration.spool.deliveryGap == nil)
        #expect(configuration.alarms.lateness == .seconds(3 * 86_400))
        #expect(configuration.alarms.clockSkew == .seconds(15 * 60))
    }

    @Test func alarmsTakeALatenessAndAClockSkew() throws {
        let configuration = try load("spool: {directory: /s}\nalarms:\n  lateness: 36h\n  clock_skew: 0\n")
        #expect(configuration.alarms.lateness == .seconds(36 * 3600))
        #expect(configuration.alarms.clockSkew == .zero)
        #expect(try load("spool: {directory: /s}\nalarms: {clock_skew: 5m}\n").alarms.lateness == .seconds(3 * 86_400))
    }

    @Test func theExampleConfigurationIsValid() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/trailhound.yaml")
        let text = try String(contentsOf: example, encoding: .utf8)
        let configuration = try load(text)
        #expect(configuration.spool.directory == "/var/spool/cloudtrail")
        #expect(configuration.limits.maxExpansionRatio == 100)
        #expect(configuration.limits.maxFileBytes == ReaderLimits.default.maxFileBytes)
        #expect(configuration.delivery.shutdownBudget == .seconds(10))
        #expect(configuration.alarms == DaemonConfiguration.Alarms())
    }

    @Test(arguments: [
        ("spool:\n  directory: /s\n  settle_tme: 5s\n", "unknown key `spool.settle_tme` (did you mean `settle_time`?)"),
        ("spool:\n  directory: /s\nsink: []\n", "unknown key `sink` (did you mean `sinks`?)"),
        ("spool:\n  directory: /s\n  settle_time: soon\n", "`spool.settle_time`: `soon` is not a duration"),
        ("spool: {}\n", "`spool.directory`: required"),
        (
            "spool: {directory: /s}\nstate: {synchronous: sometimes}\n",
            "`state.synchronous`: `sometimes` is not normal or full"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: a, type: carrier-pigeon}]\n",
            "`sinks[0].type`: `carrier-pigeon` is not a sink type"
        ),
        ("spool: {directory: /s}\nroutes: [{sinks: [nowhere]}]\n", "`routes[0].sinks`: no sink is named `nowhere`"),
        ("spool: {directory: /s}\nprocessed: {action: move}\n", "`processed.directory`: required when action is move"),
        (
            "spool: {directory: /s}\nprocessed: {action: move, directory: /s/done}\n",
            "`processed.directory`: `/s/done` is inside the spool `/s`"
        ),
        (
            "spool: {directory: /s/}\nquarantine: {directory: /s/./x/../bad}\n",
            "`quarantine.directory`: `/s/./x/../bad` is inside the spool"
        ),
        ("spool: {directory: /s}\nquarantine: {directory: /s}\n", "`quarantine.directory`: `/s` is inside the spool"),
        ("spool: {directory: /s, retry_max: 0s}\n", "`spool.retry_max`: must be at least 1s"),
        ("spool: {directory: /s, delivery_gap: {after: 10s}}\n", "`spool.delivery_gap.after`: required, at least 1m"),
        ("spool: {directory: /s}\nlimits: {max_record_bytes: 12}\n", "`limits.max_record_bytes`: must be between"),
        ("spool: {directory: /s}\nlimits: {max_file_bytes: 1KiB}\n", "`limits.max_file_bytes`: must be at least 1MiB"),
        ("spool: {directory: /s}\nlog: {level: loud}\n", "`log.level`: `loud` is not one of"),
        ("spool: {directory: /s}\nrules: {directories: 3}\n", "`rules.directories`: expected"),
        ("spool: {directory: /s, include: ['AWSLogs/[ab']}\n", "`spool.include[0]`:"),
        ("spool: {directory: /s}\nroutes: [{sinks: [stdout], rules: ['cis-[']}]\n", "`routes[0].rules[0]`:"),
        (
            "spool: {directory: /s}\nsinks: [{name: s, type: stdout, format: yaml}]\n",
            "`sinks[0].format`: `yaml` is not auto, json or text"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: s, type: stdout, rate: fast}]\n",
            "`sinks[0].rate`: `fast` is not a rate"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: s, type: stdout, digest_events: 500}]\n",
            "`sinks[0].digest_events`: must be between 1 and 50"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: s, type: stdout, burst: 3}]\n",
            "`sinks[0].burst`: needs a `rate` (this sink type has none)"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: s, type: stdout, formt: json}]\n",
            "unknown key `sinks[0].formt` (did you mean `format`?)"
        ),
        ("spool: {directory: /s}\nmute: [{rules: [x], sinks: [chat]}]\n", "`mute[0].sinks`: no sink is named `chat`"),
        (
            "spool: {directory: /s}\nmute: [{rules: [x], until: tomorrow}]\n",
            "`mute[0].until`: `tomorrow` is not a time"
        ),
        ("spool: {directory: /s}\nmute: [{sinks: [stdout]}]\n", "`mute[0].rules`: required"),
        ("spool: {directory: /s}\nmute: [{rules: [x], snooze: 1h}]\n", "unknown key `mute[0].snooze`"),
        (
            "spool: {directory: /s}\nalarms: {latenes: 2d}\n",
            "unknown key `alarms.latenes` (did you mean `lateness`?); known keys here: lateness, clock_skew"
        ),
        (
            "spool: {directory: /s}\nalarms: {lateness: 10m}\n",
            "`alarms.lateness`: `10m` is out of range: it must be between 1h"
        ),
        ("spool: {directory: /s}\nalarms: {lateness: 31d}\n", "`alarms.lateness`: `31d` is out of range"),
        ("spool: {directory: /s}\nalarms: {lateness: soon}\n", "`alarms.lateness`: `soon` is not a duration"),
        (
            "spool: {directory: /s}\nalarms: {clock_skew: 2d}\n",
            "`alarms.clock_skew`: `2d` is out of range: it must be at most 1d"
        ),
        ("spool: {directory: /s}\nalarms: {clock_skew: -5}\n", "`alarms.clock_skew`: must not be negative"),
    ])
    func refusedWithTheKeyAtFault(yaml: String, message: String) {
        #expect {
            try load(yaml)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func sizesAndDurations() throws {
        let configuration = try load(
            """
            spool: {directory: /s, settle_time: 500ms, rescan_interval: 2m, delivery_gap: {after: 2h, severity: critical}}
            limits: {max_file_bytes: 64MiB, max_inflated_bytes: 1GiB, max_record_bytes: 1MiB}
            delivery: {retry_initial: 2s, retry_max: 1h, max_attempts: 3}
            quarantine: {directory: /q}
            """)
        #expect(configuration.spool.settle == .milliseconds(500))
        #expect(configuration.spool.rescanInterval == .seconds(120))
        #expect(configuration.spool.deliveryGap?.after == .seconds(7200))
        #expect(configuration.spool.deliveryGap?.severity == .critical)
        #expect(configuration.limits.maxFileBytes == 64 << 20)
        #expect(configuration.limits.maxInflatedBytes == 1 << 30)
        #expect(configuration.limits.json.maxRecordBytes == 1 << 20)
        #expect(configuration.delivery.retryMax == .seconds(3600))
        #expect(configuration.quarantine == .move(to: "/q"))
    }

    @Test func aWritableConfigurationIsRefused() throws {
        let directory = TemporaryDirectory("trailhound-config")
        defer { directory.remove() }
        let path = try directory.write("trailhound.yaml", "spool: {directory: /s}\n")
        chmod(path, 0o666)
        #expect(throws: ConfigurationError.self) { try DaemonConfiguration.load(path: path, sinkKinds: .builtIn) }
        chmod(path, 0o644)
        #expect(try DaemonConfiguration.load(path: path, sinkKinds: .builtIn).spool.directory == "/s")
    }

    @Test func stdoutSinksTakeTheirFormatAndTheCommonKeys() throws {
        let configuration = try load(
            """
            spool: {directory: /s}
            sinks:
              - {name: console, type: stdout, format: text, in_doubt: drop, rate: 30/min, burst: 2, group_window: 5m}
            """)
        var expected = DaemonConfiguration.Sink(name: "console", section: StdoutSection(format: .text), inDoubt: .drop)
        expected.rate = Rate(perSecond: 0.5, burst: 2)
        expected.groupWindow = .seconds(300)
        #expect(configuration.sinks == [expected])
        #expect(configuration.routes == [.init(sinks: ["console"])])
        #expect(configuration.sinks[0].section as? StdoutSection == StdoutSection(format: .text))
    }

    @Test func theHealthLimitOnDeliveryDefaultsTo15MinutesAndIsAtLeastASecond() throws {
        #expect(try load("spool: {directory: /s}\n").delivery.unhealthyAfter == .seconds(900))
        #expect(
            try load("spool: {directory: /s}\ndelivery: {unhealthy_after: 3s}\n").delivery.unhealthyAfter == .seconds(3)
        )
        #expect {
            try load("spool: {directory: /s}\ndelivery: {unhealthy_after: 500ms}\n")
        } throws: { error in
            "\(error)".contains("`delivery.unhealthy_after`: must be at least 1s")
        }
    }
}
