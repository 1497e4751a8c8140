import Foundation
import TrailTestKit

/// Alarm rules for the daemon harness: a burst rule, failed sign-in records at chosen times, the
/// alarm alerts the daemon printed, and what `trailhound replay` says about the same spool.
extension DaemonHarness {
    /// One alarm alert: its group and the window that went into ALARM.
    struct AlarmAlert: Hashable, CustomStringConvertible {
        var group: String
        var windowStart: String
        var windowEnd: String
        var eventID: String?

        var description: String { "\(group) \(windowStart)…\(windowEnd) (\(eventID ?? "-"))" }
    }

    /// Writes the alarm rule `test-burst`: three failed console sign-ins for one user name within
    /// five minutes (the bundled pack's `console-login-failures-burst`).
    func writeAlarmRule() throws {
        try """
        id: test-burst
        title: Failed sign-ins
        severity: medium
        pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
        alarm:
          threshold: 3
          period: 300
          evaluation_periods: 1
          treat_missing_data: notBreaching
          group_by: [$.userIdentity.userName]
        """.write(toFile: rules + "/burst.yaml", atomically: true, encoding: .utf8)
    }

    /// A failed console sign-in by `user` at `time` (an `eventTime` as written, valid or not).
    static func failedSignIn(id: String, user: String, time: String) -> String {
        #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","userName":"\#(user)"},"eventTime":"\#(time)","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","eventID":"\#(id)","recipientAccountId":"111122223333","errorMessage":"Failed authentication"}"#
    }

    /// The gzipped CloudTrail file holding `records`.
    static func file(records: [String]) -> [UInt8] {
        Gzip.compress(#"{"Records":[\#(records.joined(separator: ","))]}"#)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970.
    static func iso(_ seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Now, in seconds since 1970, rounded down to a multiple of `step` seconds.
    static func now(roundedTo step: Int = 300) -> Int {
        Int(Date().timeIntervalSince1970) / step * step
    }

    /// The alarm alerts printed so far, in order.
    var alarmAlerts: [AlarmAlert] { Self.alarmAlerts(in: lines) }

    static func alarmAlerts(in lines: [String]) -> [AlarmAlert] {
        lines.compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                let alarm = object["alarm"] as? [String: Any], let group = alarm["group"] as? String,
                let start = alarm["windowStart"] as? String, let end = alarm["windowEnd"] as? String
            else { return nil }
            return AlarmAlert(group: group, windowStart: start, windowEnd: end, eventID: object["eventID"] as? String)
        }
    }

    /// Drops a file with one StopLogging record and waits for its alert: every file dropped before
    /// it with an older name has then been processed.
    func sentinel(minute: Int, tag: String) async throws -> Bool {
        try drop(Self.name(minute: minute, tag: tag), Self.file(eventIDs: [tag]))
        return await waitAsync { alertedEventIDs.contains(tag) }
    }

    /// Runs `trailhound replay` with the same rules over the same spool: its alarm alerts and its
    /// summary (standard error).
    func replay() throws -> (alarms: [AlarmAlert], summary: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["replay", "--rules", rules, "--format", "jsonl", spool]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        let summary = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n").map(String.init)
        return (Self.alarmAlerts(in: lines), String(decoding: summary, as: UTF8.self))
    }
}
