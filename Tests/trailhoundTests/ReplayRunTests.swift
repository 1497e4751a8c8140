import Foundation
import Testing
import TrailJSON
import TrailPatterns
import TrailTestKit

@testable import TrailRules
@testable import trailhound

/// Replay: deterministic output order whatever the number of jobs, time windows, bad files.
struct ReplayRunTests {
    func rule(_ id: String, _ pattern: String) throws -> Rule {
        Rule(
            id: id, title: id, severity: .high, description: "", pattern: try FilterPattern.parse(pattern),
            patternText: pattern,
            references: .init(), runbook: "", enabled: true, suppress: [], alarm: nil, tests: [], file: "\(id).yaml")
    }

    /// A spool of `count` gzipped files, each with records at increasing times.
    func spool(_ count: Int) throws -> (directory: TemporaryDirectory, files: [String]) {
        let directory = TemporaryDirectory("trailhound-replay")
        var files: [String] = []
        for file in 0..<count {
            let records = (0..<50).map { index in
                #"{"eventID":"f\#(file)-r\#(index)","eventTime":"2026-11-\#(String(format: "%02d", file + 1))T10:00:00Z","eventName":"\#(index % 5 == 0 ? "StopLogging" : "DescribeInstances")"}"#
            }
            files.append(
                try directory.write(
                    String(format: "%03d.json.gz", file),
                    Gzip.compress(#"{"Records":[\#(records.joined(separator: ","))]}"#)))
        }
        return (directory, files)
    }

    func replay(_ files: [String], jobs: Int, since: String? = nil) throws -> (
        status: Int32, output: String, errors: String
    ) {
        let output = CapturedStream()
        let errors = CapturedStream()
        var options = ReplayRun.Options()
        options.jobs = jobs
        options.since = since
        let status = ReplayRun(
            rules: RuleSet([try rule("stop", "{ $.eventName = StopLogging }")]), files: files, options: options,
            output: output,
            errors: errors
        ).execute()
        return (status, output.text, errors.text)
    }

    @Test("the same alerts in the same order with 1 or 4 jobs")
    func deterministic() throws {
        let (directory, files) = try spool(12)
        defer { directory.remove() }
        let single = try replay(files, jobs: 1)
        let parallel = try replay(files, jobs: 4)
        #expect(single.status == 0)
        #expect(single.output == parallel.output)
        let ids = single.output.split(separator: "\n").compactMap { line -> String? in
            guard case .string(let id)? = (try? JSONValue(parsing: String(line)))?["eventID"] else { return nil }
            return id
        }
        #expect(ids.count == 12 * 10)
        #expect(ids.first == "f0-r0" && ids.last == "f11-r45")
        #expect(single.errors.contains("replay: 12 files (0 digests), 600 records, 120 alerts"))
    }

    @Test("--since keeps events at or after the time")
    func since() throws {
        let (directory, files) = try spool(4)
        defer { directory.remove() }
        let result = try replay(files, jobs: 2, since: "2026-11-03T00:00:00Z")
        #expect(result.output.split(separator: "\n").count == 20)
    }

    @Test("a bad file is reported and skipped; the rest still runs; exit 2")
    func badFile() throws {
        let (directory, files) = try spool(3)
        defer { directory.remove() }
        let bad = try directory.write("bad.json.gz", Gzip.compress("{\"Records\":["))
        let result = try replay(files + [bad], jobs: 2)
        #expect(result.status == 2)
        #expect(result.output.split(separator: "\n").count == 30)
        #expect(result.errors.contains("unreadable files (1):\n  \(bad): invalid JSON"))
    }

    @Test("time arguments: dates and full UTC timestamps")
    func times() {
        #expect(ReplayCommand.normalizedTime("2026-11-01") == "2026-11-01T00:00:00Z")
        #expect(ReplayCommand.normalizedTime("2026-11-01T10:00:00Z") == "2026-11-01T10:00:00Z")
        #expect(ReplayCommand.normalizedTime("yesterday") == nil)
    }
}

/// Alarm rules in replay: evaluated over all files by event time.
struct ReplayAlarmTests {
    @Test("a burst split across out-of-order files fires once, for its group, with the tipping record")
    func burstAcrossFiles() throws {
        let temporary = TemporaryDirectory("trailhound-alarm")
        defer { temporary.remove() }
        let directory = try temporary.create()
        func event(_ id: String, _ time: String, _ user: String) -> String {
            #"{"eventID":"\#(id)","eventTime":"2026-11-22T\#(time)Z","eventName":"ConsoleLogin","errorMessage":"Failed authentication","userIdentity":{"userName":"\#(user)"}}"#
        }
        let first = [event("1", "10:02:10", "bob"), event("2", "10:00:10", "bob"), event("3", "10:00:20", "alice")]
        let second = [event("4", "10:01:10", "bob"), event("5", "10:33:20", "bob"), event("2", "10:00:10", "bob")]
        for (name, records) in [("a", first), ("b", second)] {
            try Data(Gzip.compress(#"{"Records":[\#(records.joined(separator: ","))]}"#))
                .write(to: URL(fileURLWithPath: "\(directory)/\(name).json.gz"))
        }
        let text =
            "id: burst\ntitle: burst\nseverity: medium\npattern: '{ $.errorMessage = \"Failed authentication\" }'\nalarm:\n  threshold: 3\n  period: 300\n  group_by: [$.userIdentity.userName]\n"
        let rule = try #require(RuleFileReader.read(text, file: "burst.yaml").rule)
        for jobs in [1, 2] {
            let output = CapturedStream()
            var options = ReplayRun.Options()
            options.jobs = jobs
            let run = ReplayRun(
                rules: RuleSet([rule]), files: ["\(directory)/a.json.gz", "\(directory)/b.json.gz"], options: options,
                output: output, errors: CapturedStream())
            let status = run.execute()
            #expect(status == 0)
            // Bob had two matches when a.json.gz was merged: its tipping record was not kept then,
            // and is read again from the file.
            if jobs == 1 { #expect(run.filesReadAgain == 1) }
            let lines = output.text.split(separator: "\n")
            // The duplicate of event 2 counts once, so only the third distinct match (event 1) tips it.
            #expect(lines.count == 1)
            let alert = try JSONValue(parsing: String(lines[0]))
            #expect(alert["eventID"] == .string("1"))
            #expect(alert["alarm"]?["group"] == .string("bob"))
            #expect(alert["alarm"]?["count"] == .number("3"))
            #expect(alert["alarm"]?["windowEnd"] == .string("2026-11-22T10:03:00Z"))
        }
    }

    @Test("a burst in files in time order fires from the tipping record kept in memory, reading no file again")
    func burstInOrderKeepsItsRecord() throws {
        let temporary = TemporaryDirectory("trailhound-alarm")
        defer { temporary.remove() }
        func event(_ id: String, _ second: Int, _ user: String) -> String {
            #"{"eventID":"\#(id)","eventTime":"2026-11-22T10:00:\#(String(format: "%02d", second))Z","eventName":"X","userIdentity":{"userName":"\#(user)"}}"#
        }
        var files: [String] = []
        for file in 0..<4 {
            let records = (0..<3).map { event("f\(file)-\($0)", file * 10 + $0, $0 == 2 ? "carol" : "bob") }
            files.append(
                try temporary.write(
                    "\(file).json.gz", Gzip.compress(#"{"Records":[\#(records.joined(separator: ","))]}"#)))
        }
        let text =
            "id: burst\ntitle: burst\nseverity: medium\npattern: '{ $.eventName = X }'\nalarm:\n  threshold: 5\n  period: 60\n  group_by: [$.userIdentity.userName]\n"
        let rule = try #require(RuleFileReader.read(text, file: "burst.yaml").rule)
        let output = CapturedStream()
        var options = ReplayRun.Options()
        options.jobs = 1
        let run = ReplayRun(
            rules: RuleSet([rule]), files: files, options: options, output: output, errors: CapturedStream())
        #expect(run.execute() == 0)
        let lines = output.text.split(separator: "\n")
        #expect(lines.count == 1, "\(output.text)")
        let alert = try JSONValue(parsing: String(try #require(lines.first)))
        // Bob's eight matches all fall in 10:00; the minute's trigger is his latest, in the last file.
        #expect(alert["eventID"] == .string("f3-1"))
        #expect(alert["alarm"]?["group"] == .string("bob"))
        #expect(run.filesReadAgain == 0)
    }
}
