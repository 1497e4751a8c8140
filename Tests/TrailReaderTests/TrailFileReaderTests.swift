import Foundation
import Testing
import TrailJSON
import TrailTestKit

@testable import TrailReader

/// Every file shape and every kind of damage, each yielding exactly the records or exactly the
/// error expected.
struct TrailFileReaderTests {
    struct Outcome {
        var records: [String] = []
        var invalidLines: [ReaderError] = []
        var summary: ReadSummary?
        var error: ReaderError?
    }

    func read(_ bytes: [UInt8], limits: ReaderLimits = .default) -> Outcome {
        var outcome = Outcome()
        do {
            outcome.summary = try TrailFileReader.read(bytes: bytes, name: "test.json.gz", limits: limits) { event in
                switch event {
                case .record(let record): outcome.records.append(String(decoding: record.bytes, as: UTF8.self))
                case .invalidLine(let error): outcome.invalidLines.append(error)
                }
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    static func record(_ name: String, _ extra: String = "") -> String {
        #"{"eventVersion":"1.09","eventName":"\#(name)","eventSource":"ec2.amazonaws.com"\#(extra)}"#
    }

    static let two = #"{"Records":[\#(record("A")),\#(record("B"))]}"#

    @Test("single gzip member")
    func singleMember() {
        let outcome = read(Gzip.compress(Self.two))
        #expect(outcome.error == nil)
        #expect(outcome.records == [Self.record("A"), Self.record("B")])
        #expect(outcome.summary?.isGzip == true)
        #expect(outcome.summary?.kind == .records)
        #expect(outcome.summary?.decompressedBytes == Self.two.utf8.count)
    }

    @Test("multi-member gzip, split in the middle of a record")
    func multiMember() {
        let text = Array(Self.two.utf8)
        let cut = text.count / 2
        let outcome = read(Gzip.compress(Array(text[..<cut])) + Gzip.compress(Array(text[cut...])))
        #expect(outcome.error == nil)
        #expect(outcome.records == [Self.record("A"), Self.record("B")])
    }

    @Test("plain JSON is read without gzip, detected by content not name")
    func plain() {
        let outcome = read(Array(Self.two.utf8))
        #expect(outcome.records.count == 2)
        #expect(outcome.summary?.isGzip == false)
    }

    @Test("truncated mid-stream: says how far it got")
    func truncated() throws {
        let gz = Gzip.compress(String(repeating: Self.two, count: 1))
        let outcome = read(Array(gz[..<(gz.count - 12)]))
        let error = try #require(outcome.error)
        #expect(error.kind == .truncated)
        #expect(error.compressedOffset == gz.count - 12)
        #expect(error.description.hasPrefix("test.json.gz: truncated gzip"))
        #expect(error.cause.contains("compressed"))
    }

    @Test("corrupt CRC is detected at the end of the member")
    func corruptCRC() throws {
        var gz = Gzip.compress(Self.two)
        gz[gz.count - 8] ^= 0xFF  // first byte of the CRC-32 in the trailer
        let outcome = read(gz)
        let error = try #require(outcome.error)
        #expect(error.kind == .corruptGzip)
        #expect(error.cause == "incorrect data check")
    }

    @Test("trailing garbage after the last member is an error")
    func trailingGarbage() throws {
        let outcome = read(Gzip.compress(Self.two) + Array("garbage".utf8))
        let error = try #require(outcome.error)
        #expect(error.kind == .trailingGarbage)
        #expect(error.cause.hasPrefix("7 bytes after the end of the gzip data"))
    }

    @Test("empty Records, empty file")
    func empty() {
        let outcome = read(Gzip.compress(#"{"Records":[]}"#))
        #expect(outcome.error == nil && outcome.records.isEmpty && outcome.summary?.kind == .records)
        // No bytes at all is a transfer that wrote nothing, in memory as in a file (below); only
        // an empty pipe on standard input is no error.
        let nothing = read([])
        #expect(nothing.error?.kind == .truncated && nothing.records.isEmpty)
    }

    @Test(
        "a 0-byte file, or one that stops inside the gzip magic, is truncated: a failed download, not 0 records",
        arguments: [([UInt8](), "the file is empty (0 bytes)"), ([0x1F], "the file ends inside the gzip header")])
    func emptyFileIsTruncated(bytes: [UInt8], cause: String) throws {
        let directory = TemporaryDirectory("trailhound-empty")
        defer { directory.remove() }
        let path = try directory.write("111122223333_CloudTrail_us-east-1_20261122T1000Z_abc.json.gz", bytes)
        #expect {
            _ = try TrailFileReader.read(path: path) { _ in }
        } throws: { error in
            guard let error = error as? ReaderError else { return false }
            return error.kind == .truncated && error.cause.hasPrefix(cause) && error.path == path
        }
    }

    @Test("a digest file is recognised and skipped, not an error")
    func digest() {
        let text =
            #"{"awsAccountId":"111122223333","digestStartTime":"2026-11-22T10:00:00Z","digestEndTime":"2026-11-22T11:00:00Z","digestS3Bucket":"b","digestS3Object":"o","logFiles":[{"s3Bucket":"b","s3Object":"k","hashValue":"00","hashAlgorithm":"SHA-256"}]}"#
        let outcome = read(Gzip.compress(text))
        #expect(outcome.error == nil)
        #expect(outcome.records.isEmpty)
        #expect(outcome.summary?.kind == .digest)
    }

    static let envelope =
        #"{"version":"0","id":"e1","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","account":"1","time":"t","region":"r","resources":[],"detail":\#(record("A"))}"#

    @Test("EventBridge: one envelope, NDJSON of envelopes, and envelopes in a Records array")
    func eventBridge() {
        #expect(read(Array(Self.envelope.utf8)).records == [Self.record("A")])
        let lines = Self.envelope + "\n" + Self.envelope.replacing(#""A""#, with: #""B""#) + "\n"
        let outcome = read(Gzip.compress(lines))
        #expect(outcome.summary?.layout == .lines)
        #expect(outcome.records == [Self.record("A"), Self.record("B")])
        #expect(read(Array(#"{"Records":[\#(Self.envelope)]}"#.utf8)).records == [Self.record("A")])
        #expect(read(Array("[\(Self.envelope)]".utf8)).records == [Self.record("A")])
    }

    @Test("CloudWatch Logs subscription payload: each message is a record; control messages have none")
    func cloudWatchLogs() {
        let message = Self.record("A").replacing("\"", with: "\\\"")
        let payload =
            #"{"messageType":"DATA_MESSAGE","owner":"1","logGroup":"g","logStream":"s","subscriptionFilters":["f"],"logEvents":[{"id":"1","timestamp":1,"message":"\#(message)"},{"id":"2","timestamp":2,"message":"\#(message.replacing("\\\"A\\\"", with: "\\\"B\\\""))"}]}"#
        let outcome = read(Gzip.compress(payload))
        #expect(outcome.error == nil)
        #expect(outcome.records == [Self.record("A"), Self.record("B")])
        let control =
            #"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination"}]}"#
        #expect(read(Array(control.utf8)).records.isEmpty)
    }

    @Test("Insight files: records without a top-level eventName are read like any other")
    func insight() {
        let insight =
            #"{"eventVersion":"1.07","eventTime":"2026-11-22T10:00:00Z","awsRegion":"us-east-1","eventID":"i1","eventType":"AwsCloudTrailInsight","recipientAccountId":"1","sharedEventID":"s1","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"ApiCallRateInsight","insightContext":{"statistics":{"baseline":{"average":0.1},"insight":{"average":5.0}}}},"eventCategory":"Insight"}"#
        let outcome = read(Gzip.compress(#"{"Records":[\#(insight)]}"#))
        #expect(outcome.error == nil)
        #expect(outcome.records == [insight])
        #expect(outcome.summary?.kind == .records)
    }

    @Test("a bare array of records")
    func bareArray() {
        #expect(
            read(Array("[\(Self.record("A")),\n \(Self.record("B"))]".utf8)).records == [
                Self.record("A"), Self.record("B"),
            ])
    }

    @Test("a record larger than the cap is refused")
    func recordTooLarge() throws {
        let big = Self.record("A", #","pad":"\#(String(repeating: "x", count: 40_000))""#)
        let limits = ReaderLimits(chunkBytes: 4096, json: JSONLimits(maxRecordBytes: 10_000))
        let outcome = read(Gzip.compress(#"{"Records":[\#(Self.record("A")),\#(big)]}"#), limits: limits)
        #expect(outcome.records == [Self.record("A")])
        let error = try #require(outcome.error)
        #expect(error.kind == .recordTooLarge)
        #expect(error.recordIndex == 1)
    }

    @Test("a gzip bomb is refused, naming the ratio")
    func bomb() throws {
        let zeros = Gzip.compress([UInt8](repeating: 0x20, count: 8 << 20), level: 9)
        let outcome = read(zeros)
        let error = try #require(outcome.error)
        #expect(error.kind == .expansionRatio)
        #expect(error.cause.contains(":1"))
        #expect(error.cause.contains("past the limit of 100:1"))
    }

    @Test("deep nesting and invalid UTF-8 reach the engine, whose projection rejects them")
    func validatedByProjection() throws {
        let deep = #"{"Records":[{"a":\#(String(repeating: "[", count: 300))\#(String(repeating: "]", count: 300))}]}"#
        let badUTF8 = Array(#"{"Records":[{"eventName":"a"#.utf8) + [0xC0, 0xAF] + Array(#""}]}"#.utf8)
        let projection = JSONProjection(paths: [JSONPath([.key("eventName")])])
        var fields = projection.makeFields()
        for (bytes, kind) in [(Array(deep.utf8), JSONError.Kind.tooDeep), (badUTF8, .invalidUTF8)] {
            var errors: [JSONError.Kind] = []
            _ = try TrailFileReader.read(bytes: Gzip.compress(bytes), name: "x") { event in
                guard case .record(let record) = event else { return }
                do throws(JSONError) {
                    try projection.project(record.bytes, into: &fields)
                } catch {
                    errors.append(error.kind)
                }
            }
            #expect(errors == [kind])
        }
    }

    @Test("JSON that ends early is invalid JSON, with the record index")
    func truncatedJSON() throws {
        let outcome = read(Gzip.compress(#"{"Records":[\#(Self.record("A")),{"eventName":"B""#))
        #expect(outcome.records == [Self.record("A")])
        let error = try #require(outcome.error)
        #expect(error.kind == .invalidJSON)
        #expect(error.recordIndex == 1)
        #expect(error.cause == "the text ends inside a record")
    }

    @Test("JSON Lines: a bad line is reported and the rest is read")
    func badLine() {
        let text = Self.record("A") + "\n{\"eventName\":\n" + Self.record("B") + "\n"
        let outcome = read(Array(text.utf8))
        #expect(outcome.records == [Self.record("A"), Self.record("B")])
        #expect(outcome.invalidLines.count == 1)
        // The end of line 2, `{"eventName":`, where a value was expected.
        #expect(outcome.invalidLines.first?.decompressedOffset == Self.record("A").utf8.count + 1 + 13)
    }

    /// The last line of a file without a final newline was read from before the window moved:
    /// every line but the first came out twice (issue 19, found while testing alarm tallies).
    @Test("JSON Lines: a last line without a newline is read once, as are the lines before it", arguments: [false, true])
    func lastLineWithoutNewline(gzip: Bool) {
        let text = (0..<5).map { Self.record("E\($0)") }.joined(separator: "\n")
        let outcome = read(gzip ? Gzip.compress(text) : Array(text.utf8))
        #expect(outcome.summary?.layout == .lines)
        #expect(outcome.records == (0..<5).map { Self.record("E\($0)") })
        #expect(outcome.invalidLines.isEmpty && outcome.error == nil)
    }

    @Test("JSON Lines: a broken line is reported at its end, and the next lines are read")
    func brokenLineOffset() {
        let outcome = read(Array("{\"a\":1}\n{\"a\":2,\n{\"a\":3}\n".utf8))
        #expect(outcome.summary?.layout == .lines)
        #expect(outcome.records == [#"{"a":1}"#, #"{"a":3}"#])
        #expect(outcome.invalidLines.map(\.decompressedOffset) == [15])  // the end of line 2
        #expect(outcome.invalidLines.first?.cause == "expected a string key in an object, found end of line")
    }

    @Test("JSON Lines: a broken first line loses nothing else")
    func brokenFirstLine() {
        let outcome = read(Array("{\"a\":\n{\"a\":2}\n{\"a\":3}\n".utf8))
        #expect(outcome.records == [#"{"a":2}"#, #"{"a":3}"#])
        #expect(outcome.invalidLines.count == 1)
        #expect(outcome.invalidLines.first?.line == 1)
    }

    @Test("JSON Lines: the pieces of a record broken over lines never become records")
    func noFragments() {
        // A multi-line object inside NDJSON: each of its lines is invalid on its own.
        let outcome = read(
            Array(
                "{\"a\":1}\n{\"b\":2}\n{\"userIdentity\":\n{\"eventName\":\"StopLogging\"},\n\"x\":}\n{\"c\":3}\n".utf8)
        )
        #expect(outcome.summary?.layout == .lines)
        #expect(outcome.records == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        #expect(outcome.invalidLines.map(\.line) == [3, 4, 5])
    }

    @Test("JSON Lines: each line may itself be a Records wrapper or an array")
    func wrappedLines() {
        let outcome = read(Array("{\"Records\":[{\"a\":1},{\"a\":2}]}\n[{\"a\":3}]\n".utf8))
        #expect(outcome.records == [#"{"a":1}"#, #"{"a":2}"#, #"{"a":3}"#])
    }

    @Test("records that span chunk boundaries come out whole", arguments: [4096, 5000, 65536])
    func chunkBoundaries(_ chunk: Int) {
        var records: [String] = []
        for index in 0..<400 {
            records.append(
                Self.record("E\(index)", #","pad":"\#(String(repeating: "y", count: (index * 37) % 3000))""#))
        }
        let text = #"{"Records":[\#(records.joined(separator: ",\n"))]}"#
        let outcome = read(Gzip.compress(text), limits: ReaderLimits(chunkBytes: chunk))
        #expect(outcome.error == nil)
        #expect(outcome.records == records)
        // Offsets point at each record in the decompressed text.
        var offsets: [Int] = []
        _ = try? TrailFileReader.read(bytes: Array(text.utf8), name: "x", limits: ReaderLimits(chunkBytes: chunk)) {
            event in
            if case .record(let record) = event { offsets.append(record.offset) }
        }
        let bytes = Array(text.utf8)
        for (offset, record) in zip(offsets, records) {
            #expect(String(decoding: bytes[offset..<(offset + record.utf8.count)], as: UTF8.self) == record)
        }
    }
}
