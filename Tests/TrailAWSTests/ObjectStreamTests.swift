import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import TrailReader
import TrailTestKit

@testable import TrailAWS

/// An object streams into the reader through `ObjectStream`, as it arrives, with a bounded
/// buffer, and reads exactly as the same bytes read from memory.
@Suite(.serialized)
struct ObjectStreamTests {
    /// A CloudTrail file of `count` records, gzipped.
    static func trail(records count: Int) -> [UInt8] {
        let records = (0..<count).map {
            #"{"eventVersion":"1.08","eventID":"e\#($0)","eventTime":"2026-12-07T10:00:00Z","eventName":"GetObject","padding":"\#(String(repeating: "x", count: 200))"}"#
        }
        return Gzip.compress(#"{"Records":["# + records.joined(separator: ",") + "]}")
    }

    /// Reads `stream` on a thread of its own (the reader blocks), collecting record indexes.
    static func read(_ stream: ObjectStream, limits: ReaderLimits = .default) async -> Result<[Int], ReaderError> {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var indexes: [Int] = []
                do throws(ReaderError) {
                    _ = try TrailFileReader.read(source: stream, name: stream.name, limits: limits) { event in
                        if case .record(let record) = event { indexes.append(record.index) }
                    }
                    continuation.resume(returning: .success(indexes))
                } catch {
                    stream.abandon()
                    continuation.resume(returning: .failure(error))
                }
            }
        }
    }

    static func send(_ bytes: [UInt8], to stream: ObjectStream, chunk: Int) async {
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            await stream.send(Array(bytes[start..<min(start + chunk, bytes.count)]))
        }
    }

    @Test func anObjectLargerThanTheBufferReadsAsFromMemory() async throws {
        let bytes = Self.trail(records: 20_000)
        #expect(bytes.count > 4 * (16 << 10))  // several times the buffer
        var expected: [Int] = []
        _ = try TrailFileReader.read(bytes: bytes, name: "memory") { event in
            if case .record(let record) = event { expected.append(record.index) }
        }
        let stream = ObjectStream(name: "s3://trail/big.json.gz", capacity: 16 << 10)
        async let indexes = Self.read(stream)
        await Self.send(bytes, to: stream, chunk: 4_096)
        stream.finish()
        #expect(try await indexes.get() == expected)
        #expect(expected.count == 20_000)
    }

    @Test func anObjectPastTheSizeLimitIsRefusedAsAFileWouldBe() async {
        let stream = ObjectStream(name: "s3://trail/huge.json.gz", capacity: 1 << 20, maxBytes: 10_000)
        async let result = Self.read(stream)
        let bytes = Self.trail(records: 20_000)
        #expect(bytes.count > 10_000)
        await Self.send(bytes, to: stream, chunk: 4_096)
        stream.finish()
        guard case .failure(let error) = await result else {
            Issue.record("read past the limit")
            return
        }
        #expect(error.kind == .fileTooLarge && error.path == "s3://trail/huge.json.gz")
    }

    @Test func aDownloadCutShortIsUnreadableNamingTheObject() async {
        let stream = ObjectStream(name: "s3://trail/cut.json.gz", capacity: 1 << 20)
        async let result = Self.read(stream)
        await Self.send(Array(Self.trail(records: 2_000).prefix(5_000)), to: stream, chunk: 1_000)
        stream.finish(failure: "connection reset by peer")
        guard case .failure(let error) = await result else {
            Issue.record("a cut download read as whole")
            return
        }
        #expect(error.kind == .unreadable && error.description.contains("connection reset"))
    }

    @Test(.enabled(if: MotoServer.isAvailable, "needs moto's server (pip install 'moto[server]'; .ci/run installs it)"))
    func getObjectStreamsIntoTheReader() async throws {
        let moto = try await MotoServer()
        defer { moto.stop() }
        let directory = try TemporaryDirectory("aws-object-stream")
        let bytes = Self.trail(records: 5_000)
        let file = try directory.write("trail.json.gz", bytes)
        try await moto.python(
            """
            import boto3
            s3 = boto3.client("s3")
            s3.create_bucket(Bucket="trail")
            s3.upload_file("\(file)", "trail", "trail.json.gz")
            """)
        let s3 = try S3ClientTests.s3(moto)
        #expect(try await s3.head(bucket: "trail", key: "trail.json.gz").size == bytes.count)
        let stream = ObjectStream(name: "s3://trail/trail.json.gz", capacity: 64 << 10)
        async let indexes = Self.read(stream)
        await s3.download(bucket: "trail", key: "trail.json.gz", into: stream)
        #expect(try await indexes.get() == Array(0..<5_000))
        // A key that is not there reaches the reader as the object's error.
        let missing = ObjectStream(name: "s3://trail/absent.json.gz")
        async let failed = Self.read(missing)
        await s3.download(bucket: "trail", key: "absent.json.gz", into: missing)
        guard case .failure(let error) = await failed else {
            Issue.record("an absent object read")
            return
        }
        #expect(error.kind == .unreadable && error.description.contains("NoSuchKey"))
    }
}
