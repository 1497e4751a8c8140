import Foundation
import TrailTestKit

/// A real `trailhound run` process on a temporary spool, for tests of the whole daemon: files go
/// in by copy-then-rename or slow writes, alerts come out on its stdout.
final class DaemonHarness: @unchecked Sendable {  // mutable state is guarded by `lock`
    private let directory = TemporaryDirectory("trailhound-daemon")
    var root: String { directory.path }
    var spool: String { root + "/spool" }
    var rules: String { root + "/rules" }
    var config: String { root + "/trailhound.yaml" }
    private let lock = NSLock()
    private var outputLines: [String] = []
    private var errorText = ""
    private var partial: [UInt8] = []
    private var parsedAlerts: [(rule: String?, eventID: String?)] = []
    private(set) var process: Process?

    /// `sinks` replaces the default stdout sink (YAML list items, indented by two); `extra` adds
    /// top-level sections; `logFormat` is `text` or `json` (one object per line, for tests that
    /// read metadata).
    init(spoolSettings: String = "", sinks: String? = nil, extra: String = "", logFormat: String = "text") throws {
        try directory.create("spool")
        try directory.create("rules")
        try writeRule(pattern: "{ $.eventName = StopLogging }")
        try """
        spool:
          directory: \(root)/spool
          settle_time: 1s
          rescan_interval: 3s
        \(spoolSettings)
        rules:
          directories: [\(root)/rules]
        state:
          path: \(root)/state/trailhound.sqlite
        sinks:
        \(sinks ?? "  - name: stdout\n    type: stdout\n    format: json")
        log:
          level: info
          format: \(logFormat)
        \(extra)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o644)
    }

    deinit {
        stop(signal: SIGKILL)
        directory.remove()
    }

    func writeRule(pattern: String) throws {
        try """
        id: test-stop-logging
        title: StopLogging
        severity: critical
        pattern: '\(pattern)'
        """.write(toFile: rules + "/stop.yaml", atomically: true, encoding: .utf8)
    }

    /// The built `trailhound` beside the test bundle.
    static var binary: String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("trailhound").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/trailhound").path
    }

    /// Starts `trailhound run`; `wrapper` (e.g. `setpriv …` or `prlimit …`, ending in `--`) runs
    /// it under other credentials or limits.
    func start(environment extra: [String: String] = [:], arguments: [String] = [], wrapper: [String] = []) throws {
        let process = Process()
        let command = [Self.binary, "run", "--config", config] + arguments
        process.executableURL = URL(fileURLWithPath: wrapper.first ?? Self.binary)
        process.arguments = wrapper.isEmpty ? Array(command.dropFirst()) : Array(wrapper.dropFirst()) + command
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        environment.removeValue(forKey: "JOURNAL_STREAM")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            // Split bytes, looking only at what just arrived: a line of many megabytes (an alert
            // carrying a huge record) arrives in pipe-sized pieces.
            self.lock.withLock {
                var start = data.startIndex
                while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    self.partial.append(contentsOf: data[start..<newline])
                    self.outputLines.append(String(decoding: self.partial, as: UTF8.self))
                    self.partial.removeAll(keepingCapacity: true)
                    start = newline + 1
                }
                self.partial.append(contentsOf: data[start...])
            }
        }
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.errorText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        self.process = process
    }

    /// Sends `signal` and waits for the process to exit, blocking the thread: for `defer`, which
    /// cannot await. Tests call ``stopAsync(signal:)``: a blocked thread of the cooperative pool
    /// (two on this machine) stalls every other test's tasks, receivers and timers meanwhile.
    func stop(signal: Int32 = SIGTERM) {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.1)  // let the pipes drain
    }

    /// Sends `signal` and waits for the process to exit, sleeping rather than blocking a thread of
    /// the cooperative pool.
    func stopAsync(signal: Int32 = SIGTERM) async {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        try? await Task.sleep(for: .milliseconds(100))  // let the pipes drain
    }

    var lines: [String] { lock.withLock { outputLines } }
    var stderr: String { lock.withLock { errorText } }

    /// The eventIDs of the alerts printed so far (one per line), in order.
    var alertedEventIDs: [String] { alerts.compactMap(\.eventID) }

    /// The rule and eventID of each line printed so far. Each line is parsed once, so polling
    /// stays cheap when an alert carries a multi-megabyte record.
    var alerts: [(rule: String?, eventID: String?)] {
        lock.withLock {
            while parsedAlerts.count < outputLines.count {
                let line = outputLines[parsedAlerts.count]
                if let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] {
                    parsedAlerts.append((object["rule"] as? String, object["eventID"] as? String))
                } else {
                    // Foundation refuses some valid JSON (a number like 1e999 in the embedded
                    // record); the alert's own fields come before the record, so take the first.
                    parsedAlerts.append((Self.firstString("rule", in: line), Self.firstString("eventID", in: line)))
                }
            }
            return parsedAlerts
        }
    }

    /// The value of the first `"key":"value"` in `line`.
    private static func firstString(_ key: String, in line: String) -> String? {
        guard let start = line.range(of: "\"\(key)\":\"") else { return nil }
        return line[start.upperBound...].firstIndex(of: "\"").map { String(line[start.upperBound..<$0]) }
    }

    /// Waits until `condition` holds (true) or `seconds` pass (false), without holding a thread of
    /// the cooperative pool (async tests share its two threads with the loopback receivers).
    func waitAsync(seconds: Double = 20, until condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    /// The gzipped bytes of a CloudTrail file with one StopLogging record per id (and noise).
    static func file(eventIDs: [String]) -> [UInt8] {
        var records: [String] = []
        for id in eventIDs {
            records.append(
                #"{"eventVersion":"1.09","eventTime":"2026-11-22T10:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"us-east-1","eventID":"\#(id)","recipientAccountId":"111122223333"}"#
            )
            records.append(
                #"{"eventVersion":"1.09","eventTime":"2026-11-22T10:00:01Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","eventID":"\#(id)-noise","recipientAccountId":"111122223333"}"#
            )
        }
        return Gzip.compress(#"{"Records":[\#(records.joined(separator: ","))]}"#)
    }

    /// A CloudTrail-named relative path delivered at `minute` past 10:00 on 2026-11-22. `tag` is the
    /// name's unique part: letters and digits only, or the name is not a CloudTrail one and the
    /// daemon does not take the file.
    static func name(minute: Int, tag: String) -> String {
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/111122223333_CloudTrail_us-east-1_20261122T10\(String(format: "%02d", minute))Z_\(tag).json.gz"
    }

    /// Drops a file in the spool the way `aws s3 sync` does: a temporary name, then a rename.
    func drop(_ path: String, _ bytes: [UInt8]) throws {
        let target = spool + "/" + path
        let directory = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = target + ".a1B2c3D4"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, target) == 0 else { throw POSIXError(.EIO) }
    }

    /// Writes a file in slow pieces, as an uploader streaming it would.
    /// The pauses block the thread on purpose: they must stay well under the test's
    /// `settle_time` (1 s), and an awaited sleep in a busy cooperative pool can take longer.
    func dropSlowly(_ path: String, _ bytes: [UInt8], pieces: Int = 4, pause: Double = 0.4) throws {
        let target = spool + "/" + path
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: target, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
        let step = max(1, bytes.count / pieces + 1)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + step)
            try handle.write(contentsOf: Data(bytes[offset..<end]))
            offset = end
            Thread.sleep(forTimeInterval: pause)
        }
        try handle.close()
    }
}
