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
    }

    @Test func theExampleConfigurationIsValid() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/trailhound.yaml")
        let text = try String(contentsOf: example, encoding: .utf8)
        let configuration = try load(text)
        #expect(configuration.spool.directory == "/var/spool/cloudtrail")
        #expect(configuration.limits.maxExpansionRatio == 100)
        #expect(configuration.delivery.shutdownBudget == .seconds(10))
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
        ("spool: {directory: /s, delivery_gap: {after: 10s}}\n", "`spool.delivery_gap.after`: required, at least 1m"),
        ("spool: {directory: /s}\nlimits: {max_record_bytes: 12}\n", "`limits.max_record_bytes`: must be between"),
        ("spool: {directory: /s}\nlog: {level: loud}\n", "`log.level`: `loud` is not one of"),
        ("spool: {directory: /s}\nrules: {directories: 3}\n", "`rules.directories`: expected"),
        ("spool: {directory: /s, include: ['AWSLogs/[ab']}\n", "`spool.include[0]`:"),
        ("spool: {directory: /s}\nroutes: [{sinks: [stdout], rules: ['cis-[']}]\n", "`routes[0].rules[0]`:"),
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
            limits: {max_inflated_bytes: 1GiB, max_record_bytes: 1MiB}
            delivery: {retry_initial: 2s, retry_max: 1h, max_attempts: 3}
            quarantine: {directory: /q}
            """)
        #expect(configuration.spool.settle == .milliseconds(500))
        #expect(configuration.spool.rescanInterval == .seconds(120))
        #expect(configuration.spool.deliveryGap?.after == .seconds(7200))
        #expect(configuration.spool.deliveryGap?.severity == .critical)
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
}
