import Foundation
import Testing
import TrailJSON

@testable import TrailPatterns

/// The engine over real CloudTrail data from `../shared/corpus` (see its SOURCES.md), read in
/// place: every record splits and projects, and known events meet the rules written for them.
/// The gzipped delivery files are read by the TrailReader tests; these are the plain JSON sets.
/// Skipped, with the reason shown, when the corpus is not beside the repository.
@Suite(.enabled(if: Corpus.isAvailable, "needs ../shared/corpus beside the repository"))
struct CorpusTests {
    @Test("the 35 Stratus Red Team detonation logs hold 310 records, all valid and projectable")
    func stratus() throws {
        let files = try Corpus.files(in: "stratus-red-team-detonation-logs", suffix: ".json")
        #expect(files.count == 35)
        var records = 0
        for file in files {
            records += try Corpus.eachRecord(file, patterns: []) { _, _ in }
        }
        #expect(records == 310)
    }

    @Test("TrailDiscover: 563 single-event examples, 411 of them denied calls that CIS 3.1 catches")
    func trailDiscover() throws {
        // Each line wraps the event as {"source_file","index","record"}: the pattern reads `$.record`.
        let denied = try FilterPattern.parse(
            #"{($.record.errorCode="*UnauthorizedOperation") || ($.record.errorCode="AccessDenied*")}"#)
        var matched = 0
        let records = try Corpus.eachRecord(Corpus.path("traildiscover/log-examples.jsonl"), patterns: [denied]) {
            _, results in
            if results[0] { matched += 1 }
        }
        #expect(records == 563)
        #expect(matched == 411)
    }

    @Test("OTRF's Logstash-shaped records have `@timestamp` and no eventTime")
    func otrf() throws {
        let patterns = try [
            FilterPattern.parse("{ $.eventTime NOT EXISTS }"),
            FilterPattern.parse("{ $.['@timestamp'] = * }"),
            FilterPattern.parse("{ $.eventSource = s3.amazonaws.com && $.eventName = ListBuckets }"),
        ]
        var counts = [0, 0, 0]
        let records = try Corpus.eachRecord(
            Corpus.path("otrf-security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.jsonl"), patterns: patterns
        ) { _, results in
            for index in counts.indices where results[index] { counts[index] += 1 }
        }
        #expect(records == 103)
        #expect(counts[0] == 103)
        #expect(counts[1] == 103)
        #expect(counts[2] > 0)
    }

    @Test("fivexl's named test events meet exactly the CIS rules written for them")
    func fivexl() throws {
        let rules: [(id: String, pattern: String)] = [
            ("3.1", #"{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}"#),
            ("4.2", #"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#),
            (
                "3.3",
                #"{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}"#
            ),
            (
                "3.5",
                "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}"
            ),
        ]
        let expected: [String: Set<String>] = [
            "console_login_without_MFA_and_SSO": ["4.2"],
            "cloudtrail_stop_logging": ["3.5"],
            "cloudtrail_update_trail": ["3.5"],
            "cloudtrail_delete_trail": ["3.5"],
            "non_read_action_by_root": ["3.3"],
            "unauthorized_operation": ["3.1"],
            "access_denied": ["3.1"],
            "UpdateFunctionCode": [],
            "UpdateFunctionConfiguration": [],
        ]
        let document = try JSONValue(
            parsing: try Corpus.contents(Corpus.path("fivexl-cloudtrail-to-slack/test_events.json")))
        guard case .array(let events)? = document["test_events"] else {
            Issue.record("test_events is not an array")
            return
        }
        let matcher = PatternMatcher(try rules.map { try FilterPattern.parse($0.pattern) })
        var context = matcher.makeContext()
        var seen: Set<String> = []
        for event in events {
            guard case .string(let name)? = event["test_event_name"], let record = event["event"] else { continue }
            seen.insert(name)
            try Array(record.compactText.utf8).withUnsafeBytes { _ = try matcher.evaluate($0, in: &context) }
            let matched = Set(rules.indices.filter { context.results[$0] }.map { rules[$0].id })
            #expect(matched == expected[name], "\(name)")
        }
        #expect(seen == Set(expected.keys))
    }
}

/// Where the shared corpus is, and reading it.
enum Corpus {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("SOURCES.md").path)
    }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func files(in directory: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(directory)).filter { $0.hasSuffix(suffix) }.sorted()
            .map { path(directory + "/" + $0) }
    }

    static func contents(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        return [UInt8](data)
    }

    /// Splits `path` into records, projects and evaluates each (with the CIS-like `patterns`, or
    /// just a projection when there are none), and returns the record count.
    @discardableResult
    static func eachRecord(_ path: String, patterns: [FilterPattern], _ body: (Int, [Bool]) -> Void) throws -> Int {
        let bytes = try contents(path)
        let matcher = PatternMatcher(patterns.isEmpty ? [try FilterPattern.parse("{ $.eventName = * }")] : patterns)
        var context = matcher.makeContext()
        var count = 0
        try bytes.withUnsafeBytes { buffer in
            var splitter = JSONRecordSplitter(buffer)
            while let record = try splitter.next() {
                try matcher.evaluate(UnsafeRawBufferPointer(rebasing: buffer[record.range]), in: &context)
                body(record.index, context.results)
                count += 1
            }
        }
        return count
    }
}
