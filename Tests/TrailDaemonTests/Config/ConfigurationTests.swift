import Foundation
import Testing
import TrailJSON
import TrailReader

@testable import TrailDaemon
@testable import TrailRules

/// The two configuration stages: the mirror refuses unknown keys by key path, the validated
/// struct fills defaults and refuses bad values with the key at fault.
struct ConfigurationTests {
    func load(_ yaml: String) throws(ConfigurationError) -> DaemonConfiguration {
        try DaemonConfiguration(
            DaemonConfiguration.parse(yaml, name: "test.yaml"), environment: ["STATE_DIRECTORY": "/var/lib/th"])
    }

    @Test func defaultsForASpoolAlone() throws {
        let configuration = try load("spool:\n  directory: /spool\n")
        #expect(configuration.spool.directory == "/spool")
        #expect(configuration.spool.settle == .seconds(10))
        #expect(configuration.spool.rescanInterval == .seconds(300))
        #expect(configuration.state.path == "/var/lib/th/trailhound.sqlite")
        #expect(configuration.state.synchronous == .normal)
        #expect(configuration.sinks == [.init(name: "stdout", kind: .stdout(.auto))])
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
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', routing_key: k}]\n",
            "`sinks[0].routing_key`: does not apply to a slack sink"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', url_env: U}]\n",
            "`sinks[0].url`: give only one of url, url_file and url_env"
        ),
        ("spool: {directory: /s}\nsinks: [{name: c, type: slack}]\n", "`sinks[0].url`: required"),
        ("spool: {directory: /s}\nsinks: [{name: p, type: pagerduty}]\n", "`sinks[0].routing_key`: required"),
        ("spool: {directory: /s}\nsinks: [{name: s, type: stdout, url: 'https://h'}]\n", "does not apply to a stdout"),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', rate: fast}]\n",
            "`sinks[0].rate`: `fast` is not a rate"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: discord, url: 'https://h/x', digest_events: 500}]\n",
            "`sinks[0].digest_events`: must be between 1 and 50"
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
        let path = NSTemporaryDirectory() + "trailhound-config-\(UUID().uuidString).yaml"
        try "spool: {directory: /s}\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        chmod(path, 0o666)
        #expect(throws: ConfigurationError.self) { try DaemonConfiguration.load(path: path) }
        chmod(path, 0o644)
        #expect(try DaemonConfiguration.load(path: path).spool.directory == "/s")
    }

    @Test func webhookSinksTakeTheirProvidersRatesAndDigestDefaults() throws {
        let configuration = try load(
            """
            spool: {directory: /s}
            sinks:
              - {name: chat, type: slack, url_file: slack-url}
              - {name: pager, type: pagerduty, routing_key_env: PD_KEY, group_window: 5m}
              - {name: soar, type: webhook, url: 'https://soar.example/h', secret: whsec_x, rate: 30/min, burst: 2}
              - {name: quiet, type: discord, url: 'https://discord.com/api/webhooks/1/t', group_window: 0}
            mute:
              - {rules: ['cis-4.*'], sinks: [chat], until: 2026-12-01, reason: migration}
            delivery: {max_age: 2h}
            """)
        let sinks = Dictionary(uniqueKeysWithValues: configuration.sinks.map { ($0.name, $0) })
        #expect(sinks["chat"]?.rate == .init(perSecond: 1, burst: 3))
        #expect(sinks["chat"]?.groupWindow == .seconds(60))
        #expect(sinks["pager"]?.rate == .init(perSecond: 2, burst: 10))
        #expect(sinks["pager"]?.groupWindow == .seconds(300))
        #expect(sinks["soar"]?.rate == .init(perSecond: 0.5, burst: 2))
        #expect(sinks["soar"]?.groupWindow == nil)
        #expect(sinks["quiet"]?.groupWindow == nil)
        guard case .webhook(let pager) = sinks["pager"]?.kind else {
            Issue.record("pager is not a webhook sink")
            return
        }
        #expect(pager.url == .value("https://events.pagerduty.com/v2/enqueue"))
        #expect(pager.routingKey == .environment("PD_KEY"))
        #expect(
            configuration.mutes == [
                .init(rules: ["cis-4.*"], sinks: ["chat"], until: 1_796_083_200_000, reason: "migration")
            ])
        #expect(configuration.delivery.maxAge == .seconds(7200))
        #expect(configuration.delivery.maxAttempts == nil)
    }

    @Test func secretsComeFromValuesVariablesAndPrivateFiles() throws {
        let directory = NSTemporaryDirectory() + "trailhound-secrets-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "https://hooks.slack.com/services/T/B/S\n".write(
            toFile: directory + "/slack-url", atomically: true, encoding: .utf8)
        chmod(directory + "/slack-url", 0o600)
        let credentials = SecretResolver(
            environment: ["CREDENTIALS_DIRECTORY": directory, "K": " key "], configurationDirectory: "/etc")
        #expect(try credentials.resolve(.file("slack-url"), path: "u") == "https://hooks.slack.com/services/T/B/S")
        #expect(try credentials.resolve(.environment("K"), path: "k") == "key")
        let beside = SecretResolver(environment: [:], configurationDirectory: directory)
        #expect(try beside.resolve(.file("slack-url"), path: "u").hasSuffix("/S"))
        #expect(throws: ConfigurationError.self) { try beside.resolve(.environment("MISSING"), path: "k") }
        chmod(directory + "/slack-url", 0o644)
        #expect {
            try beside.resolve(.file("slack-url"), path: "sinks[0].url_file")
        } throws: { error in
            "\(error)".contains("readable or writable by others") && !"\(error)".contains("hooks.slack.com")
        }
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
