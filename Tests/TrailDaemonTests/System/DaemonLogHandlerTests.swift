import Logging
import Testing
import TrailDaemon

@Suite("DaemonLogHandler: one line per message as text, JSON or journal")
struct DaemonLogHandlerTests {
    /// 2026-11-22T10:05:00.123Z.
    static let fixedTime: Duration = .seconds(1_795_341_900) + .milliseconds(123)

    func logger(_ format: LogFormat, level: Logger.Level = .trace, into lines: CollectedLines) -> Logger {
        Logger(label: "trailhound") { label in
            DaemonLogHandler(
                label: label, level: level, format: format, sink: lines.sink, wallClock: { Self.fixedTime })
        }
    }

    @Test("Text: timestamp, level, label, message, then metadata sorted by key")
    func textFormat() {
        let lines = CollectedLines()
        logger(.text, into: lines).warning(
            "File quarantined.",
            metadata: ["th.reason": "corrupt gzip", "th.file": "123_CloudTrail_us-east-1.json.gz"])
        #expect(
            lines.lines == [
                "2026-11-22T10:05:00.123Z warning trailhound: File quarantined. "
                    + "th.file=123_CloudTrail_us-east-1.json.gz th.reason=\"corrupt gzip\"\n"
            ])
    }

    @Test("JSON: time, level, label, message, then metadata keys, one object per line")
    func jsonFormat() {
        let lines = CollectedLines()
        logger(.json, into: lines).warning(
            "File quarantined.",
            metadata: ["th.reason": "corrupt gzip", "th.file": "a.json.gz"])
        #expect(
            lines.lines == [
                #"{"time":"2026-11-22T10:05:00.123Z","level":"warning","label":"trailhound","#
                    + #""message":"File quarantined.","th.file":"a.json.gz","th.reason":"corrupt gzip"}"#
                    + "\n"
            ])
    }

    @Test("Journal: syslog priority prefix, message and metadata, no timestamp")
    func journalFormat() {
        let lines = CollectedLines()
        logger(.journal, into: lines).warning(
            "File quarantined.",
            metadata: ["th.reason": "corrupt gzip", "th.file": "a.json.gz"])
        #expect(lines.lines == ["<4>File quarantined. th.file=a.json.gz th.reason=\"corrupt gzip\"\n"])
    }

    @Test(
        "Levels map to syslog priorities",
        arguments: [
            (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3),
            (.critical, 2),
        ])
    func priorities(level: Logger.Level, priority: Int) {
        let lines = CollectedLines()
        logger(.journal, into: lines).log(level: level, "m")
        #expect(lines.lines == ["<\(priority)>m\n"])
    }

    @Test("JSON escapes quotes, backslashes and control characters, and keeps Unicode")
    func jsonEscaping() {
        let lines = CollectedLines()
        logger(.json, into: lines).error(
            "Sink \"slack\" said:\n\tno\\way \u{01}",
            metadata: ["th.body": "é → \u{1F}", "message": "shadowed"])
        #expect(
            lines.lines == [
                #"{"time":"2026-11-22T10:05:00.123Z","level":"error","label":"trailhound","#
                    + #""message":"Sink \"slack\" said:\n\tno\\way \u0001","#
                    + #""metadata.message":"shadowed","th.body":"é → \u001f"}"#
                    + "\n"
            ])
    }

    @Test("JSON renders nested metadata as arrays and objects")
    func jsonNestedMetadata() {
        let lines = CollectedLines()
        logger(.json, into: lines).info("m", metadata: ["th.rules": ["a", "b"], "th.counts": ["x": "1", "a": "2"]])
        #expect(
            lines.lines == [
                #"{"time":"2026-11-22T10:05:00.123Z","level":"info","label":"trailhound","message":"m","#
                    + #""th.counts":{"a":"2","x":"1"},"th.rules":["a","b"]}"#
                    + "\n"
            ])
    }

    @Test("Text keeps one message on one line and quotes values that would be ambiguous")
    func textEscaping() {
        let lines = CollectedLines()
        logger(.text, into: lines).info(
            "first\nsecond",
            metadata: ["a": "x=y", "b": "say \"hi\"", "c": "", "d": "back\\slash", "e": "line\nbreak"])
        #expect(
            lines.lines == [
                #"2026-11-22T10:05:00.123Z info trailhound: first\nsecond a="x=y" b="say \"hi\"" c="" "#
                    + #"d=back\slash e="line\nbreak""# + "\n"
            ])
    }

    @Test("Messages below the level are not written")
    func levelFiltering() {
        let lines = CollectedLines()
        let logger = logger(.journal, level: .notice, into: lines)
        logger.debug("hidden")
        logger.info("hidden")
        logger.notice("shown")
        logger.error("shown too")
        #expect(lines.lines == ["<5>shown\n", "<3>shown too\n"])
    }

    @Test("Handler metadata, provider metadata and call metadata merge; the call wins")
    func metadataMerging() {
        let lines = CollectedLines()
        let provider = Logger.MetadataProvider { ["th.task": "scan", "th.sink": "provided"] }
        var logger = Logger(label: "trailhound.spool") { label in
            DaemonLogHandler(
                label: label, level: .info, format: .text, sink: lines.sink, metadataProvider: provider,
                wallClock: { Self.fixedTime })
        }
        logger[metadataKey: "th.sink"] = "handler"
        logger[metadataKey: "th.spool"] = "/var/spool/cloudtrail"
        logger.info("Scan done.", metadata: ["th.sink": "call"])
        #expect(
            lines.lines == [
                "2026-11-22T10:05:00.123Z info trailhound.spool: Scan done. "
                    + "th.sink=call th.spool=/var/spool/cloudtrail th.task=scan\n"
            ])
    }

    @Test("An error passed to the logger appears as th.error")
    func errorMetadata() {
        struct Boom: Error, CustomStringConvertible { var description: String { "disk full" } }
        let lines = CollectedLines()
        logger(.journal, into: lines).error("Commit failed.", error: Boom())
        #expect(lines.lines == ["<3>Commit failed. th.error=\"disk full\"\n"])
    }

    @Test("makeLogger builds a logger without bootstrapping LoggingSystem")
    func makeLoggerUsesGivenSink() {
        let lines = CollectedLines()
        let logger = DaemonLogHandler.makeLogger(
            label: "trailhound", level: .warning, format: .journal, sink: lines.sink)
        logger.info("hidden")
        logger.warning("Reload failed.", metadata: ["th.rule": "cis-3.1"])
        #expect(lines.lines == ["<4>Reload failed. th.rule=cis-3.1\n"])
        #expect(logger.logLevel == .warning)
    }

    @Test("The bootstrap factory makes handlers with the given level and format")
    func factoryMakesConfiguredHandlers() throws {
        let lines = CollectedLines()
        let handler = DaemonLogHandler.factory(level: .error, format: .json, sink: lines.sink)("trailhound.router", nil)
        let daemonHandler = try #require(handler as? DaemonLogHandler)
        #expect(daemonHandler.logLevel == .error)
        #expect(daemonHandler.format == .json)
        #expect(daemonHandler.label == "trailhound.router")
    }

    @Test(
        "Timestamps are UTC with zero-padded milliseconds",
        arguments: [
            (Duration.seconds(0), "1970-01-01T00:00:00.000Z"),
            (.seconds(1_795_341_900) + .milliseconds(5), "2026-11-22T10:05:00.005Z"),
            (.seconds(951_825_599) + .nanoseconds(999_999_999), "2000-02-29T11:59:59.999Z"),
        ])
    func timestamps(time: Duration, expected: String) {
        #expect(DaemonLogHandler.timestamp(time) == expected)
    }
}
