import Foundation
import Testing

/// The daemon as a real process on a temporary spool: each alert exactly once, across copy-then-
/// rename and slow writes, restarts in a backlog, late older-named files, reloads and sd_notify.
@Suite(.serialized)
struct DaemonProcessTests {
    @Test func copyThenRenameAndSlowWritesAlertExactlyOnce() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        var expected: [String] = []
        for file in 0..<5 {
            let ids = (0..<3).map { "rename-\(file)-\($0)" }
            expected += ids
            try daemon.drop(DaemonHarness.name(minute: file, tag: "r\(file)"), DaemonHarness.file(eventIDs: ids))
        }
        let slowIDs = (0..<40).map { "slow-\($0)" }
        expected += slowIDs
        try daemon.dropSlowly(DaemonHarness.name(minute: 10, tag: "slow"), DaemonHarness.file(eventIDs: slowIDs))
        #expect(await daemon.waitAsync { Set(daemon.alertedEventIDs) == Set(expected) })
        try await Task.sleep(for: .seconds(4))  // a rescan passes: nothing is repeated
        await daemon.stopAsync()
        #expect(daemon.alertedEventIDs.sorted() == expected.sorted())
        #expect(!daemon.stderr.contains("quarantined"), "\(daemon.stderr)")
    }

    @Test func restartInTheMiddleOfABacklogLosesAndRepeatsNothing() async throws {
        let daemon = try DaemonHarness()
        var expected: [String] = []
        for file in 0..<40 {
            let ids = (0..<5).map { "backlog-\(file)-\($0)" }
            expected += ids
            try daemon.drop(DaemonHarness.name(minute: file, tag: "b\(file)"), DaemonHarness.file(eventIDs: ids))
        }
        try daemon.start()
        #expect(await daemon.waitAsync { !daemon.alertedEventIDs.isEmpty })
        await daemon.stopAsync(signal: SIGTERM)
        let first = daemon.alertedEventIDs
        try daemon.start()
        #expect(await daemon.waitAsync { Set(daemon.alertedEventIDs) == Set(expected) })
        try await Task.sleep(for: .seconds(1))
        await daemon.stopAsync()
        // A graceful stop records every delivery it made: nothing is printed twice.
        #expect(daemon.alertedEventIDs.count == expected.count, "first run printed \(first.count)")
        #expect(Set(daemon.alertedEventIDs) == Set(expected))
    }

    @Test func lateOlderNamedFileIsProcessed() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        try daemon.drop(DaemonHarness.name(minute: 50, tag: "new"), DaemonHarness.file(eventIDs: ["new"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["new"] })
        try daemon.drop(DaemonHarness.name(minute: 5, tag: "old"), DaemonHarness.file(eventIDs: ["late-old"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["new", "late-old"] })
        await daemon.stopAsync()
    }

    @Test func corruptFileIsQuarantinedAndTheDaemonGoesOn() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        var truncated = DaemonHarness.file(eventIDs: ["lost"])
        truncated.removeLast(12)
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "bad"), truncated)
        try daemon.drop(DaemonHarness.name(minute: 2, tag: "good"), DaemonHarness.file(eventIDs: ["after-bad"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["after-bad"] })
        #expect(await daemon.waitAsync { daemon.stderr.contains("File quarantined.") })
        #expect(daemon.stderr.contains("truncated gzip"))
        await daemon.stopAsync()
    }

    @Test func sighupWithABrokenRuleKeepsTheOldRules() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "a"), DaemonHarness.file(eventIDs: ["before"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["before"] })
        try daemon.writeRule(pattern: "{ $.eventName = ")
        kill(daemon.process!.processIdentifier, SIGHUP)
        #expect(await daemon.waitAsync { daemon.stderr.contains("Reload failed") })
        try daemon.drop(DaemonHarness.name(minute: 2, tag: "b"), DaemonHarness.file(eventIDs: ["after"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["before", "after"] })
        #expect(daemon.process!.isRunning)
        await daemon.stopAsync()
    }

    @Test func deliveryGapAlertsOnceAndNoticesTheRecovery() async throws {
        let daemon = try DaemonHarness(spoolSettings: "  delivery_gap: {after: 1m}")
        try daemon.start()
        // Delivered at 10:05 on 2026-11-22, long before now: a gap from the first check on.
        try daemon.drop(DaemonHarness.name(minute: 5, tag: "old"), DaemonHarness.file(eventIDs: ["gap-1"]))
        func rules() -> [String] {
            daemon.lines.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["rule"] as? String
            }
        }
        #expect(await daemon.waitAsync { rules().contains("trailhound-delivery-gap") })
        #expect(rules().filter { $0 == "trailhound-delivery-gap" }.count == 1)
        let recent = DaemonHarness.deliveryMinute(Date())
        try daemon.drop(
            "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/111122223333_CloudTrail_us-east-1_\(recent)_new.json.gz",
            DaemonHarness.file(eventIDs: ["gap-2"]))
        #expect(await daemon.waitAsync { rules().contains("trailhound-delivery-resumed") })
        await daemon.stopAsync()
    }

    @Test func sdNotifyMessagesArriveOnTheSocket() async throws {
        let daemon = try DaemonHarness()
        let path = daemon.root + "/notify.sock"
        let socket = try NotifySocket(path: path)
        try daemon.start(environment: ["NOTIFY_SOCKET": path])
        #expect(await socket.wait { $0.contains("READY=1") })
        #expect(await socket.wait { $0.contains { $0.hasPrefix("STATUS=") } })
        kill(daemon.process!.processIdentifier, SIGHUP)
        #expect(await socket.wait { $0.contains("RELOADING=1") })
        await daemon.stopAsync(signal: SIGTERM)
        #expect(await socket.wait { $0.contains("STOPPING=1") })
        #expect(daemon.process!.terminationStatus == 0)
    }
}

/// A datagram socket standing in for systemd's notify socket: collects every datagram, as its
/// `KEY=VALUE` lines.
final class NotifySocket: @unchecked Sendable {  // `received` is guarded by `lock`
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [[String]] = []

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        do { try bindUnixSocket(descriptor, to: path) } catch {
            close(descriptor)
            throw error
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// The datagrams read so far.
    var datagrams: [[String]] { lock.withLock { received } }

    /// Reads datagrams until `condition` holds for the lines so far, or 20 s pass, sleeping
    /// between reads rather than blocking a thread of the cooperative pool.
    func wait(_ condition: ([String]) -> Bool) async -> Bool {
        await waitForDatagrams { condition($0.flatMap { $0 }) }
    }

    /// Reads datagrams until `condition` holds for the datagrams so far (each a list of lines, in
    /// the order they came), or `seconds` pass. One heartbeat is one datagram, so a test can tell
    /// which `STATUS=` a `WATCHDOG=1` came with.
    func waitForDatagrams(seconds: Double = 20, _ condition: ([[String]]) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            if condition(lock.withLock { received }) { return true }
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count > 0 {
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                lock.withLock { received.append(text.split(separator: "\n").map(String.init)) }
            } else {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        return condition(lock.withLock { received })
    }
}

extension DaemonHarness {
    /// `YYYYMMDDTHHmmZ` for a CloudTrail file name delivered at `date`.
    static func deliveryMinute(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmm'Z'"
        return formatter.string(from: date)
    }
}
