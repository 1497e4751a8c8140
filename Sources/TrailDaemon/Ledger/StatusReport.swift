import Foundation
import GRDB
import TrailJSON

/// What `trailhound status` prints: read from the ledger alone (and, when the spool is known,
/// a scan of it for the backlog), so it works while the daemon runs and after it stopped.
package struct StatusReport: Sendable {
    package struct Stream: Sendable {
        package var account: String
        package var region: String
        package var lastDelivery: Int
        package var lastFile: String
        package var gapSince: Int?
    }

    package struct Quarantined: Sendable {
        package var path: String
        package var reason: String
        package var at: Int64
    }

    package struct DeadLetter: Sendable {
        package var alertID: String
        package var sink: String
        package var rule: String
        package var attempts: Int
        package var error: String
    }

    package var ledger: String
    package var filesDone = 0
    package var filesQuarantined = 0
    /// Files in the spool the ledger has not recorded; nil when the spool is not known.
    package var backlog: Int?
    package var streams: [Stream] = []
    package var quarantined: [Quarantined] = []
    package var outbox: [String: Int] = [:]
    package var deadLetters: [DeadLetter] = []
    /// Files and directories that cannot be read now (descriptors, permissions, I/O): retried,
    /// their alerts held back until they can be read.
    package var unreadable: [FileProblem] = []
    /// Outbox rows per sink and state, and the sinks the configuration names (nil: not known).
    package var sinkCounts: [String: [String: Int]] = [:]
    package var configuredSinks: [String]?
    /// Each sink's last delivery and the failure it is waiting out, as the outbox records them.
    package var sinkActivity: [String: SinkActivity] = [:]

    /// Reads the ledger at `ledgerPath`; counts the backlog of `spool` with `filter` if given.
    package static func make(ledgerPath: String, spool: String?, filter: SpoolFilter = SpoolFilter()) throws
        -> StatusReport
    {
        let ledger = try Ledger(readingAt: ledgerPath)
        var report = StatusReport(ledger: ledgerPath)
        var known: [String: (Int, Int64, Int64)] = [:]
        try ledger.read("read the status") { db in
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM files GROUP BY status") {
                let status: String = row["status"]
                if status == "done" { report.filesDone = row["n"] } else { report.filesQuarantined = row["n"] }
            }
            report.streams = try Row.fetchAll(
                db, sql: "SELECT * FROM streams ORDER BY account, region"
            ).map {
                Stream(
                    account: $0["account"], region: $0["region"], lastDelivery: $0["last_delivery"],
                    lastFile: $0["last_file"], gapSince: $0["gap_since"])
            }
            report.quarantined = try Row.fetchAll(
                db,
                sql:
                    "SELECT path, reason, processed_at FROM files WHERE status = 'quarantined' ORDER BY processed_at DESC LIMIT 50"
            ).map { Quarantined(path: $0["path"], reason: $0["reason"] ?? "", at: $0["processed_at"]) }
            report.deadLetters = try Row.fetchAll(
                db,
                sql: """
                    SELECT outbox.alert_id, outbox.sink, alerts.rule_id, outbox.attempts, outbox.last_error
                    FROM outbox JOIN alerts ON alerts.id = outbox.alert_id
                    WHERE outbox.state = 'dead' ORDER BY outbox.updated_at DESC LIMIT 20
                    """
            ).map {
                DeadLetter(
                    alertID: $0["alert_id"], sink: $0["sink"], rule: $0["rule_id"], attempts: $0["attempts"],
                    error: $0["last_error"] ?? "")
            }
            if spool != nil {
                let changed = try db.columns(in: "files").contains { $0.name == "changed" }
                for row in try Row.fetchAll(
                    db, sql: "SELECT path, size, modified, \(changed ? "changed" : "0") AS changed FROM files")
                {
                    known[row["path"]] = (row["size"], row["modified"], row["changed"])
                }
            }
        }
        report.outbox = try ledger.outboxCounts()
        report.unreadable = try ledger.problems()
        report.sinkCounts = try ledger.outboxCountsBySink()
        report.sinkActivity = try ledger.sinkActivity()
        if let spool {
            let scan = try SpoolScanner.scan(root: spool, filter: filter)
            report.backlog =
                scan.files.filter { file in
                    guard let entry = known[file.path] else { return true }
                    return !FileIdentity(
                        path: file.path, size: entry.0, modified: entry.1, changed: entry.2, sha256: ""
                    ).isQuickMatch(size: file.size, modified: file.modified, changed: file.changed)
                }.count
        }
        return report
    }

    /// The report for a configuration's ledger and spool.
    package static func make(configuration: DaemonConfiguration) throws -> StatusReport {
        var report = try make(
            ledgerPath: configuration.state.path, spool: configuration.spool.directory,
            filter: SpoolFilter(include: configuration.spool.include, exclude: configuration.spool.exclude))
        report.configuredSinks = configuration.sinks.map(\.name)
        return report
    }

    /// The report for people. Every path and reason is escaped as the logs escape them: a file
    /// name with a newline in it cannot forge a line.
    package var text: String {
        func safe(_ text: String) -> String { DaemonLogHandler.escapedText(text) }
        var lines = ["ledger \(safe(ledger))"]
        let unreadableFiles = unreadable.filter { $0.kind == .file }.count
        lines.append(
            "files: \(filesDone) done, \(filesQuarantined) quarantined"
                + (unreadableFiles > 0 ? ", \(unreadableFiles) cannot be read (retrying)" : "")
                + (backlog.map { ", \($0) waiting in the spool" } ?? ""))
        lines.append(
            "outbox: \(outbox["pending", default: 0]) pending, \(outbox["grouped", default: 0]) held for digests, "
                + "\(outbox["inflight", default: 0]) in flight, "
                + "\(outbox["delivered", default: 0]) delivered, \(outbox["dead", default: 0]) dead")
        lines += sinkLines
        if !streams.isEmpty {
            lines.append("last file per account and region:")
            for stream in streams {
                let gap = stream.gapSince.map { "  (no files since \(Self.iso(Int64($0) * 1000)))" } ?? ""
                lines.append(
                    "  \(safe(stream.account)) \(safe(stream.region))  \(Self.iso(Int64(stream.lastDelivery) * 1000))  \(safe(stream.lastFile))\(gap)"
                )
            }
        }
        if !unreadable.isEmpty {
            lines.append("cannot be read now (retrying; their alerts wait):")
            for problem in unreadable {
                lines.append(
                    "  since \(Self.iso(problem.firstAt))  \(problem.kind.rawValue) \(safe(problem.path.isEmpty ? "." : problem.path)): \(safe(problem.reason)) (\(problem.attempts) \(problem.attempts == 1 ? "attempt" : "attempts"))"
                )
            }
        }
        if !quarantined.isEmpty {
            lines.append("quarantined files:")
            for file in quarantined {
                lines.append("  \(Self.iso(file.at))  \(safe(file.path)): \(safe(file.reason))")
            }
        }
        if !deadLetters.isEmpty {
            lines.append("dead letters:")
            for letter in deadLetters {
                lines.append(
                    "  \(letter.alertID.prefix(12))  \(safe(letter.sink))  \(safe(letter.rule))  after \(letter.attempts) attempts: \(safe(letter.error))"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

    package var json: String {
        func string(_ text: String) -> JSONValue { .string(text) }
        func number(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }
        var members: [JSONValue.Member] = [
            .init("ledger", string(ledger)), .init("filesDone", number(filesDone)),
            .init("filesQuarantined", number(filesQuarantined)),
        ]
        if let backlog { members.append(.init("backlog", number(backlog))) }
        members.append(
            .init("outbox", .object(outbox.sorted { $0.key < $1.key }.map { .init($0.key, number($0.value)) })))
        members.append(.init("sinks", sinksJSON))
        members.append(
            .init(
                "streams",
                .array(
                    streams.map { stream in
                        var fields: [JSONValue.Member] = [
                            .init("account", string(stream.account)), .init("region", string(stream.region)),
                            .init("lastDelivery", string(Self.iso(Int64(stream.lastDelivery) * 1000))),
                            .init("lastFile", string(stream.lastFile)),
                        ]
                        if let gap = stream.gapSince {
                            fields.append(.init("gapSince", string(Self.iso(Int64(gap) * 1000))))
                        }
                        return .object(fields)
                    })))
        members.append(
            .init(
                "quarantined",
                .array(
                    quarantined.map {
                        .object([
                            .init("path", string($0.path)), .init("reason", string($0.reason)),
                            .init("at", string(Self.iso($0.at))),
                        ])
                    })))
        members.append(
            .init(
                "unreadable",
                .array(
                    unreadable.map {
                        .object([
                            .init("path", string($0.path)), .init("kind", string($0.kind.rawValue)),
                            .init("reason", string($0.reason)), .init("since", string(Self.iso($0.firstAt))),
                            .init("last", string(Self.iso($0.lastAt))), .init("attempts", number($0.attempts)),
                        ])
                    })))
        members.append(
            .init(
                "deadLetters",
                .array(
                    deadLetters.map {
                        .object([
                            .init("alertId", string($0.alertID)), .init("sink", string($0.sink)),
                            .init("rule", string($0.rule)), .init("attempts", number($0.attempts)),
                            .init("error", string($0.error)),
                        ])
                    })))
        var bytes: [UInt8] = []
        JSONValue.object(members).write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func iso(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
