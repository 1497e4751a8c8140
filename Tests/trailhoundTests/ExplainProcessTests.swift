import Foundation
import Testing
import TrailTestKit

/// `trailhound explain` as a user runs it: the real binary, the bundled rules, gzip files.
final class ExplainProcessTests: Sendable {
    static let failures = (0..<4).map { index in
        #"{"eventID":"p\#(index)","eventTime":"2026-11-22T10:0\#(index):00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorMessage":"Failed authentication","userIdentity":{"type":"IAMUser","userName":"bob"}}"#
    }

    /// This test's own directory: each test runs on a new instance, and `deinit` removes it.
    let temporary = TemporaryDirectory("trailhound-explain")

    deinit { temporary.remove() }

    /// The spool directory, with one gzip file of failed console logins.
    func spool() throws -> String {
        let records =
            Self.failures + [#"{"eventID":"ok","eventTime":"2026-11-22T10:04:30Z","eventName":"ConsoleLogin"}"#]
        try temporary.write(
            "111122223333_CloudTrail_us-east-1_20261122T1005Z_x.json.gz",
            Gzip.compress(#"{"Records":[\#(records.joined(separator: ","))]}"#))
        return temporary.path
    }

    @Test("explain --rule on the bundled alarm rule: the alarm goes into ALARM where replay says it does")
    func bundledAlarmRule() async throws {
        let directory = try spool()
        let text = try await BinaryRun.run([
            "explain", "--rule", "console-login-failures-burst", "--format", "text", directory,
        ])
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.hasPrefix("rule      console-login-failures-burst: "))
        #expect(text.output.contains("record 4: no match"))
        #expect(text.output.contains(#"  group "bob": 4 matches counted, 1 time in ALARM"#))
        #expect(text.output.contains("2026-11-22T10:03:00Z  ALARM"))

        let replay = try await BinaryRun.run([
            "replay", "--rule", "console-login-failures-burst", "--format", "jsonl", directory,
        ])
        let firing = try #require(
            try JSONSerialization.jsonObject(with: Data(replay.output.split(separator: "\n")[0].utf8))
                as? [String: Any])
        let alarm = try #require(firing["alarm"] as? [String: Any])
        #expect(alarm["windowEnd"] as? String == "2026-11-22T10:03:00Z")
        #expect(text.output.contains("window \(alarm["windowStart"]!)–10:03:00Z: 3 matches ≥ 3"))

        // Not a terminal: JSON lines.
        let json = try await BinaryRun.run(["explain", "--rule", "console-login-failures-burst", "--only-matches", directory])
        let types = json.output.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["type"] as? String
        }
        #expect(types == ["subject", "record", "record", "record", "record", "alarm", "summary"])
    }

    @Test("explain PATTERN reads standard input and gzip files; a bad pattern exits 1 with a caret")
    func patternAndErrors() async throws {
        let directory = try spool()
        let result = try await BinaryRun.run([
            "explain", "--format", "text", "--limit", "1", #"{ $.eventName = ConsoleLogin && $.errorCode = * }"#,
            directory,
        ])
        #expect(result.status == 0)
        #expect(result.output.contains(#"└─ false  $.errorCode = "*"  missing"#))
        #expect(result.output.hasSuffix("explained 1 record: 0 matched, 1 shown (--limit 1)\n"))

        let piped = try await BinaryRun.run(
            ["explain", "--format", "text", "{ $.eventName = ConsoleLogin }"], input: Self.failures[0] + "\n")
        #expect(piped.status == 0)
        #expect(piped.output.contains("(standard input) record 0: MATCH"))

        let bad = try await BinaryRun.run(["explain", "{ $.eventName = ConsoleLogin && }", directory])
        #expect(bad.status == 1)
        #expect(bad.error.contains("^"))
        #expect(bad.output.isEmpty)

        let unknown = try await BinaryRun.run(["explain", "--rule", "console-login-failures", directory])
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("no rule with id `console-login-failures`"))
        #expect(unknown.error.contains("did you mean `console-login-failures-burst`?"))

        let missing = try await BinaryRun.run(["explain", "{ $.a = 1 }", directory + "/nothing.json"])
        #expect(missing.status == 2)
    }

    @Test("--help documents the exit statuses")
    func help() async throws {
        let help = try await BinaryRun.run(["explain", "--help"])
        #expect(help.status == 0)
        // Help is wrapped to the terminal's width: compare with single spaces.
        let words = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["Exit status: 0", "1 when the pattern does not parse", "2 when a file", "3 when an explanation"]
        {
            #expect(words.contains(phrase))
        }
    }
}
