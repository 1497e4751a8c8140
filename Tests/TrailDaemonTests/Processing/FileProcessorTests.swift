import Foundation
import GRDB
import Logging
import Prometheus
import Testing
import TrailReader
import TrailTestKit

@testable import TrailDaemon
@testable import TrailRules

#if canImport(Glibc)
    import Glibc
#endif

/// What the processor does with files that are not what their names say, at the unit level where
/// each outcome can be reached deterministically.
struct FileProcessorTests {
    static let day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22"
    static func name(_ tag: String) -> String {
        day + "/111122223333_CloudTrail_us-east-1_20261122T1005Z_\(tag).json.gz"
    }

    let spool: SpoolTestDirectory
    let outside: SpoolTestDirectory
    let ledger: Ledger

    init() throws {
        spool = try SpoolTestDirectory()
        outside = try SpoolTestDirectory()
        ledger = try Ledger(path: outside.absolute("state/trailhound.sqlite"))
    }

    func processor(
        processed: DaemonConfiguration.ProcessedAction = .delete,
        quarantine: DaemonConfiguration.QuarantineAction = .mark,
        limits: ReaderLimits = .default,
        events: DaemonEvents = DaemonEvents()
    ) throws -> FileProcessor {
        let rule = try #require(
            RuleFileReader.read(
                "id: stop\ntitle: StopLogging\nseverity: critical\npattern: '{ $.eventName = StopLogging }'\n",
                file: "stop.yaml"
            ).rule)
        let pipeline = try Pipeline(
            rules: RuleSet([rule]), router: Router(routes: [DaemonConfiguration.Route(sinks: ["stdout"])]),
            sinks: [StdoutSink()])
        let units = UnitProcessor(
            limits: limits, alarms: .init(), ledger: ledger, pipelines: PipelineHolder(pipeline),
            doorbells: Doorbells(),
            events: events, archive: SpoolArchive(spool: spool.path, processed: processed))
        return FileProcessor(
            options: .init(
                spool: spool.path, limits: limits, settle: .seconds(1), processed: processed, quarantine: quarantine),
            ledger: ledger, intake: units, events: events,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static let stopLogging = Gzip.compress(#"{"Records":[{"eventName":"StopLogging","eventID":"e1"}]}"#)

    func put(_ path: String, _ bytes: [UInt8], in directory: SpoolTestDirectory) throws {
        try directory.makeDirectory((path as NSString).deletingLastPathComponent)
        try Data(bytes).write(to: URL(fileURLWithPath: directory.absolute(path)))
    }

    @Test("a path through a directory replaced by a link is refused: nothing read, recorded, deleted or moved")
    func linkedDirectoryIsRefused() throws {
        let path = Self.name("behind-link")
        try put(path, Self.stopLogging, in: outside)
        try spool.makeDirectory("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11")
        #expect(symlink(outside.absolute(Self.day), spool.absolute(Self.day)) == 0)
        for processed: DaemonConfiguration.ProcessedAction in [.delete, .move(to: outside.absolute("done"))] {
            let outcome = try processor(processed: processed, quarantine: .move(to: outside.absolute("q")))
                .process(path)
            guard case .refused(let reason) = outcome else {
                Issue.record("expected a refusal, got \(outcome)")
                continue
            }
            #expect(reason.contains("refused a path that leads outside the spool"))
            #expect(reason.contains("`\(Self.day)` is a symbolic link"))
        }
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: outside.absolute(path)))) == Self.stopLogging)
        #expect(try ledger.file(at: path) == nil)
        #expect(!FileManager.default.fileExists(atPath: outside.absolute("done")))
        #expect(!FileManager.default.fileExists(atPath: outside.absolute("q")))
    }

    @Test("a good file is read, committed and deleted; a missing one has vanished")
    func goodAndVanished() throws {
        let path = Self.name("good")
        try put(path, Self.stopLogging, in: spool)
        let processor = try processor()
        #expect(processor.process(path) == .done(alerts: 1))
        #expect(!FileManager.default.fileExists(atPath: spool.absolute(path)))
        #expect(processor.process(Self.name("never-there")) == .vanished)
        #expect(processor.process("AWSLogs/no/such/directory/x.json.gz") == .vanished)
    }

    @Test("a record the engine refuses is skipped and counted in records_skipped_total; its neighbour alerts")
    func skippedRecordsAreCounted() throws {
        let path = Self.name("bad-utf8")
        let text =
            Array(#"{"Records":[{"eventName":"StopLogging","eventID":"bad","userAgent":"a"#.utf8) + [0xC0, 0xAF]
            + Array(#""},{"eventName":"StopLogging","eventID":"good"}]}"#.utf8)
        try put(path, Gzip.compress(text), in: spool)
        let metrics = DaemonMetrics(registry: PrometheusCollectorRegistry())
        let processor = try processor(events: DaemonEvents(observer: MetricsObserver(metrics: metrics)))
        #expect(processor.process(path) == .done(alerts: 1))
        let samples = String(decoding: metrics.render(), as: UTF8.self).split(separator: "\n")
        #expect(samples.contains("trailhound_records_skipped_total 1"))
        #expect(samples.contains("trailhound_files_processed_total 1"))
        #expect(samples.contains(#"trailhound_alerts_total{rule="stop"} 1"#))
    }

    @Test("a row from before ledger v4 (no ctime) matches on size and mtime and records the ctime; no re-read")
    func legacyRowsMatchWithoutCtime() throws {
        let kept = Self.name("kept")
        try put(kept, Self.stopLogging, in: spool)
        let refused = Self.name("huge")
        let descriptor = open(spool.absolute(refused), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        #expect(ftruncate(descriptor, 200 << 30) == 0)
        close(descriptor)
        let processor = try processor(processed: .keep)
        #expect(processor.process(kept) == .done(alerts: 1))
        guard case .quarantined = processor.process(refused) else {
            Issue.record("not quarantined")
            return
        }
        // What migration v4 leaves in rows an older version wrote.
        let database = try DatabaseQueue(path: outside.absolute("state/trailhound.sqlite"))
        try database.write { try $0.execute(sql: "UPDATE files SET changed = 0") }
        #expect(processor.process(kept) == .alreadyDone)
        #expect(processor.process(refused) == .alreadyDone)
        #expect(try ledger.file(at: kept)?.identity.changed ?? 0 > 0, "the ctime is recorded at the first match")
        #expect(try ledger.outboxCounts()["pending", default: 0] == 1, "the file was not enqueued again")
    }

    @Test("a file over the size cap is quarantined at once, without being hashed; the refusal is not repeated")
    func oversizedFileIsRefusedBeforeHashing() throws {
        let path = Self.name("sparse")
        try spool.makeDirectory(Self.day)
        let descriptor = open(spool.absolute(path), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        #expect(ftruncate(descriptor, 200 << 30) == 0)
        close(descriptor)
        let processor = try processor()
        let started = ContinuousClock.now
        guard case .quarantined(let reason) = processor.process(path) else {
            Issue.record("not quarantined")
            return
        }
        // Hashing 200 GiB of zeros would take minutes.
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(reason.contains("refused, file larger than the size limit: it is \(200 << 30) bytes"))
        let known = try #require(try ledger.file(at: path))
        #expect(known.status == .quarantined && known.identity.size == 200 << 30 && known.identity.sha256 == "")
        // Seen again (a restart, a rescan): the ledger already holds this refusal.
        #expect(processor.process(path) == .alreadyDone)
    }

    @Test("a FIFO is quarantined and moved aside as itself")
    func fifoIsMovedToQuarantine() throws {
        let path = Self.name("fifo")
        try spool.makeDirectory(Self.day)
        #expect(mkfifo(spool.absolute(path), 0o600) == 0)
        let processor = try processor(quarantine: .move(to: outside.absolute("q")))
        guard case .quarantined(let reason) = processor.process(path) else {
            Issue.record("not quarantined")
            return
        }
        #expect(reason.hasSuffix("refused, not a regular file: it is a FIFO"))
        var status = stat()
        #expect(lstat(outside.absolute("q/" + path), &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    }
}
