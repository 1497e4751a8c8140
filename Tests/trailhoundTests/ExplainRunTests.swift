import Foundation
import Testing
import TrailJSON
import TrailPatterns
import TrailReader
import TrailTestKit

@testable import TrailRules
@testable import trailhound

/// `trailhound explain`: what it prints for patterns and rules, its options, its exit statuses,
/// and that an alarm's explanation tells what replay raises.
struct ExplainRunTests {
    static let records = """
        {"Records":[
          {"eventID":"e0","eventTime":"2026-11-22T10:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorMessage":"Failed authentication","userIdentity":{"userName":"bob"}},
          {"eventID":"e1","eventTime":"2026-11-22T10:01:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"},"userIdentity":{"userName":"bob"}},
          {"eventID":"e2","eventTime":"2026-11-22T10:02:00Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","readOnly":true}
        ]}
        """

    func rule(
        _ pattern: String, suppress: [String] = [], alarm: AlarmSpec? = nil, enabled: Bool = true
    ) throws -> Rule {
        Rule(
            id: "failed-login", title: "Failed console sign-in", severity: .medium, description: "",
            pattern: try FilterPattern.parse(pattern), patternText: pattern, references: .init(), runbook: "",
            enabled: enabled, suppress: try suppress.map { try FilterPattern.parse($0) }, alarm: alarm, tests: [],
            file: "failed-login.yaml")
    }

    static let burstAlarm = AlarmSpec(
        threshold: 3, period: 300, evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: .notBreaching,
        groupBy: [JSONPath([.key("userIdentity"), .key("userName")])])

    /// Runs `explain` over in-memory files; the clock is 2026-11-23, a day after the records.
    func run(
        _ subject: ExplainSubject, _ files: [String: String], options: ExplainRun.Options = .init(),
        inputs: [String]? = nil
    ) -> (status: Int32, output: String, errors: String) {
        let output = CapturedStream()
        let errors = CapturedStream()
        var options = options
        if options.now == 0 { options.now = 1_795_428_000 }
        let status = ExplainRun.execute(
            subject, inputs: (inputs ?? files.keys.sorted()).map { .file($0) }, options: options, output: output,
            errors: errors
        ) { (path, body) throws(ReaderError) -> ReadSummary in
            guard let text = files[path] else {
                throw ReaderError(.unreadable, path: path, cause: "No such file or directory")
            }
            return try TrailFileReader.read(bytes: Array(text.utf8), name: path, body)
        }
        return (status, output.text, errors.text)
    }

    func pattern(_ text: String) throws -> ExplainSubject {
        ExplainSubject(pattern: try FilterPattern.parse(text), text: text)
    }

    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("text: each record's verdict, then the tree with every node's result and what each selector found")
    func patternText() throws {
        var options = ExplainRun.Options()
        options.onlyMatches = false
        let result = run(
            try pattern(#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#),
            ["a.json": Self.records], options: options)
        #expect(result.status == 0)
        #expect(result.errors.isEmpty)
        #expect(
            result.output == """
                pattern   { ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }

                a.json record 0: MATCH
                  2026-11-22T10:00:00Z  signin.amazonaws.com  ConsoleLogin  eventID "e0"
                  true   AND, all of 2
                  ├─ true   $.eventName = "ConsoleLogin"  found "ConsoleLogin"
                  └─ true   $.errorMessage = "Failed authentication"  found "Failed authentication"

                a.json record 1: no match
                  2026-11-22T10:01:00Z  signin.amazonaws.com  ConsoleLogin  eventID "e1"
                  false  AND, all of 2
                  ├─ true   $.eventName = "ConsoleLogin"  found "ConsoleLogin"
                  └─ false  $.errorMessage = "Failed authentication"  missing (only NOT EXISTS is true for a missing field)

                a.json record 2: no match
                  2026-11-22T10:02:00Z  ec2.amazonaws.com  DescribeInstances  eventID "e2"
                  false  AND, all of 2
                  ├─ false  $.eventName = "ConsoleLogin"  found "DescribeInstances"
                  └─ false  $.errorMessage = "Failed authentication"  missing (only NOT EXISTS is true for a missing field)

                explained 3 records: 1 matched, 3 shown

                """)
    }

    @Test("JSON lines: a subject, one object per record with the tree, and a summary")
    func patternJSON() throws {
        var options = ExplainRun.Options()
        options.json = true
        let result = run(
            try pattern(#"{ $.eventName = ConsoleLogin || $.readOnly IS TRUE && $.x != 1 }"#), ["a.json": Self.records],
            options: options)
        let lines = try jsonLines(result.output)
        #expect(lines.map { $0["type"] as? String } == ["subject", "record", "record", "record", "summary"])
        #expect(
            lines[0]["canonical"] as? String
                == #"{ ($.eventName = "ConsoleLogin") || (($.readOnly IS TRUE) && ($.x != 1)) }"#)
        let last = lines[3]
        #expect(last["eventID"] as? String == "e2" && last["matched"] as? Bool == false)
        let tree = try #require((last["pattern"] as? [String: Any])?["tree"] as? [String: Any])
        #expect(tree["op"] as? String == "or" && tree["result"] as? Bool == false)
        let operands = try #require(tree["operands"] as? [[String: Any]])
        let and = try #require(operands.last?["operands"] as? [[String: Any]])
        #expect(and.map { $0["result"] as? Bool } == [true, false])
        #expect(and[0]["values"] as? [[String: String]] == [["kind": "true", "value": "true"]])
        #expect(and[1]["note"] as? String == "notEqualOnMissing")
        #expect(lines[4]["records"] as? Int == 3 && lines[4]["matched"] as? Int == 2)
    }

    @Test("--only-matches and --limit show fewer records, and the summary says how many were read")
    func onlyMatchesAndLimit() throws {
        var options = ExplainRun.Options()
        options.onlyMatches = true
        let only = run(try pattern("{ $.eventName = ConsoleLogin }"), ["a.json": Self.records], options: options)
        #expect(only.output.components(separatedBy: ": MATCH").count == 3)
        #expect(!only.output.contains("no match"))
        #expect(only.output.hasSuffix("explained 3 records: 2 matched, 2 shown\n"))
        options = .init()
        options.limit = 1
        let limited = run(
            try pattern("{ $.eventName = * }"), ["a.json": Self.records, "b.json": Self.records], options: options)
        #expect(limited.output.contains("a.json record 0"))
        #expect(!limited.output.contains("record 1"))
        #expect(!limited.output.contains("b.json"))
        #expect(limited.output.contains("1 shown (--limit 1)"))
    }

    @Test("a rule's suppressions: a caught match says which suppression caught it, and does not alert")
    func suppressed() throws {
        let subject = ExplainSubject(
            rule: try rule(
                "{ $.eventName = ConsoleLogin }", suppress: ["{ $.responseElements.ConsoleLogin = Success }"]))
        let result = run(subject, ["a.json": Self.records])
        #expect(result.status == 0)
        #expect(result.output.contains("a.json record 0: ALERT\n"))
        #expect(result.output.contains("a.json record 1: SUPPRESSED by suppress 1 (matched, no alert)\n"))
        #expect(result.output.contains(#"  suppress 1: true  { $.responseElements.ConsoleLogin = "Success" }"#))
        #expect(result.output.contains("a.json record 2: no match\n  2026-11-22T10:02:00Z"))
        #expect(result.output.contains("suppress: not consulted, the pattern did not match"))
        #expect(result.output.hasSuffix("explained 3 records: 2 matched (1 suppressed), 3 shown\n"))
    }

    /// Four failures for bob in three minutes, one for alice, one delivered twice (the same
    /// record in both files), and an impossible eventTime; in two files, the second one earlier
    /// in time than the first.
    static let burstFiles: [String: String] = {
        func failure(_ id: String, _ time: String, _ user: String) -> String {
            #"{"eventID":"\#(id)","eventTime":"\#(time)","eventName":"ConsoleLogin","errorMessage":"Failed authentication","userIdentity":{"userName":"\#(user)"}}"#
        }
        return [
            "1.json":
                #"{"Records":[\#([failure("b3", "2026-11-22T10:03:00Z", "bob"), failure("b4", "2026-11-22T10:03:30Z", "bob"), failure("a1", "2026-11-22T10:00:00Z", "alice"), failure("b1", "2026-11-22T10:01:00Z", "bob"), failure("x", "2026-11-22T99:00:00Z", "bob")].joined(separator: ","))]}"#,
            "0.json":
                #"{"Records":[\#([failure("b1", "2026-11-22T10:01:00Z", "bob"), failure("b2", "2026-11-22T10:02:00Z", "bob")].joined(separator: ","))]}"#,
        ]
    }()

    @Test("an alarm rule: each match's group and windows, then per group what the alarm evaluator made of them")
    func alarmText() throws {
        let subject = ExplainSubject(
            rule: try rule(#"{ $.errorMessage = "Failed authentication" }"#, alarm: Self.burstAlarm))
        let result = run(subject, Self.burstFiles, inputs: ["1.json", "0.json"])
        #expect(result.status == 0)
        let output = result.output
        #expect(output.contains("alarm     ≥3 in 5m by $.userIdentity.userName, missing periods: notBreaching"))
        #expect(
            output.contains(
                #"1.json record 0: COUNTS toward the alarm"#
                    + "\n  2026-11-22T10:03:00Z  ConsoleLogin  eventID \"b3\""))
        #expect(
            output.contains(
                #"  alarm: group "bob", counts in the 5m windows ending 2026-11-22T10:04:00Z … 10:08:00Z"#))
        #expect(output.contains(#"1.json record 4: matched, but does not count toward the alarm: no valid eventTime"#))
        #expect(output.contains(#"same eventID as 1.json record 3: the two count once"#))
        #expect(
            output.contains(
                #"  group "alice": 1 match counted, never in ALARM; closest: window 2026-11-22T09:56:00Z–10:01:00Z: 1 match < 3"#
            ))
        #expect(output.contains(#"  group "bob": 4 matches counted, 1 time in ALARM"#))
        // b1 counts once, though both files hold it. The window ending 10:03 holds b1 and b2; the
        // one ending 10:04 adds b3 and b4, the latest of which tips it; the alarm holds until the
        // window ending 10:08 keeps only b3 and b4.
        #expect(
            output.contains(
                """
                    2026-11-22T10:02:00Z  OK                 window 2026-11-22T09:57:00Z–10:02:00Z: 1 match < 3
                    2026-11-22T10:04:00Z  ALARM              window 2026-11-22T09:59:00Z–10:04:00Z: 4 matches ≥ 3; alert, tipped by 1.json record 1, in ALARM until 2026-11-22T10:08:00Z
                    2026-11-22T10:08:00Z  OK                 window 2026-11-22T10:03:00Z–10:08:00Z: 2 matches < 3
                """))
        #expect(output.contains("    0.json record 0: its eventID was already counted"))
        #expect(output.contains("    1.json record 4: no valid eventTime"))
    }

    @Test("an alarm's firings are replay's: same groups, windows and counts, from the same files")
    func alarmAgreesWithReplay() throws {
        let directory = TemporaryDirectory("trailhound-explain")
        defer { directory.remove() }
        var paths: [String] = []
        for (name, text) in Self.burstFiles.sorted(by: { $0.key < $1.key }) {
            paths.append(try directory.write(name + ".gz", Gzip.compress(text)))
        }
        let rule = try rule(#"{ $.errorMessage = "Failed authentication" }"#, alarm: Self.burstAlarm)

        let replayed = CapturedStream()
        _ = ReplayRun(
            rules: RuleSet([rule]), files: paths, options: .init(), output: replayed, errors: CapturedStream()
        ).execute()
        let replayFirings = try jsonLines(replayed.text).compactMap { $0["alarm"] as? [String: Any] }.map {
            "\($0["group"]!) \($0["windowStart"]!) \($0["windowEnd"]!) \($0["count"]!)"
        }

        var options = ExplainRun.Options()
        options.json = true
        options.now = Int(Date().timeIntervalSince1970)  // as replay: a match later than now does not count
        let output = CapturedStream()
        let status = ExplainRun.execute(
            ExplainSubject(rule: rule), inputs: paths.map { .file($0) }, options: options, output: output,
            errors: CapturedStream())
        #expect(status == 0)
        let alarm = try #require(try jsonLines(output.text).first { $0["type"] as? String == "alarm" })
        let groups = try #require(alarm["groups"] as? [[String: Any]])
        let explainFirings = groups.flatMap { group in
            (group["firings"] as? [[String: Any]] ?? []).map {
                "\(group["group"]!) \($0["windowStart"]!) \($0["at"]!) \($0["count"]!)"
            }
        }
        #expect(!replayFirings.isEmpty)
        #expect(explainFirings == replayFirings)
    }

    @Test("a value cannot forge a line: newlines, escape sequences and bidi overrides are spelled out")
    func escaping() throws {
        let record =
            #"{"eventName":"x\nb.json record 9: MATCH\u001b[2J\u202e","eventID":"\r\nforged","userIdentity":{"o":{"k":"\n"}}}"#
        let result = run(try pattern("{ $.eventName = x* && $.userIdentity = * }"), ["a.json": record])
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!lines.contains { $0.hasPrefix("b.json") || $0.hasPrefix("forged") })
        #expect(lines.filter { $0.hasPrefix("a.json record ") }.count == 1)
        #expect(result.output.contains(#"found "x\nb.json record 9: MATCH\u{1b}[2J\u{202e}""#))
        #expect(result.output.contains(#"eventID "\r\nforged""#))
        #expect(!result.output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0 == "\r" })
        let long = String(repeating: "é", count: 500)
        let cut = run(try pattern("{ $.a = x }"), ["a.json": #"{"a":"\#(long)"}"#])
        #expect(
            cut.output.contains(
                #"found ""# + String(repeating: "é", count: DisplayText.valueLimit) + #""… (1000 bytes)"#))
    }

    @Test("an unreadable file or a damaged record: reported, the rest still explained, exit 2")
    func unreadable() throws {
        let files = ["good.json": Self.records, "bad.jsonl": "{\"eventName\":\"ConsoleLogin\"}\n{\"a\":\n"]
        let result = run(
            try pattern("{ $.eventName = ConsoleLogin }"), files, inputs: ["missing.json", "bad.jsonl", "good.json"])
        #expect(result.status == ExplainRun.Status.unreadable)
        #expect(result.errors.contains("trailhound: missing.json: cannot read: No such file or directory"))
        #expect(result.errors.contains("trailhound: bad.jsonl: invalid JSON (line 2"))
        #expect(result.output.contains("bad.jsonl record 0: MATCH"))
        #expect(result.output.contains("good.json record 2: no match"))
    }

    @Test("an unknown rule id names where it looked and the nearest ids")
    func unknownRule() throws {
        let rules = [try rule("{ $.a = 1 }")]
        guard case .unknown(let typo) = ExplainRun.rule("failed-logn", in: rules, directories: ["r"], loadFailed: false)
        else {
            Issue.record("found a rule that does not exist")
            return
        }
        #expect(typo == "no rule with id `failed-logn` in r; did you mean `failed-login`?")
        guard case .unknown(let part) = ExplainRun.rule("failed", in: rules, directories: ["r"], loadFailed: true)
        else {
            Issue.record("found a rule that does not exist")
            return
        }
        #expect(
            part
                == "no rule with id `failed` in r; did you mean `failed-login`?; some rule files have errors (printed above), and the rule may be in one of them"
        )
        guard case .found(let found) = ExplainRun.rule("failed-login", in: rules, directories: [], loadFailed: false)
        else {
            Issue.record("did not find the rule")
            return
        }
        #expect(found.id == "failed-login")
    }
}
