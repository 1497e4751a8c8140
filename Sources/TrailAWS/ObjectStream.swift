import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
package import TrailReader

/// An S3 object's bytes as the reader's `ByteSource`, filled as they arrive: an async task
/// `send`s each chunk of `GetObject`'s body, and the reader, on a thread of its own, pulls them.
///
/// At most `capacity` bytes wait here: `send` suspends (without holding a thread) until the
/// reader has taken some, so memory stays flat whatever the object's size. Past `maxBytes` in
/// all the object is refused as a file would be (`fileTooLarge`); a failed download reaches the
/// reader as `unreadable`, naming the object.
package final class ObjectStream: ByteSource, Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var offset = 0
        var queued = 0
        var received = 0
        var finished = false
        var failure: ReaderError?
        var waiting: [CheckedContinuation<Bool, Never>] = []
    }

    package let name: String
    private let capacity: Int
    private let maxBytes: Int
    /// Condition 1: the reader has something to take (bytes, the end, or a failure).
    private let lock = ConditionLock(value: 0)
    private let state = NIOLockedValueBox(State())

    package init(name: String, capacity: Int = 1 << 20, maxBytes: Int = ReaderLimits.default.maxFileBytes) {
        self.name = name
        self.capacity = capacity
        self.maxBytes = maxBytes
    }

    /// Hands the reader `bytes`, once there is room for them.
    package func send(_ bytes: [UInt8]) async {
        guard !bytes.isEmpty else { return }
        while !(await offer(bytes)) {}
    }

    /// Queues `bytes` and says true, or (no room) waits until the reader takes some and says false.
    private func offer(_ bytes: [UInt8]) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            lock.lock()
            let queued = state.withLockedValue { state -> Bool in
                if state.finished { return true }  // the reader is done or gave up: dropped
                if state.queued > 0 && state.queued + bytes.count > capacity {
                    state.waiting.append(continuation)
                    return false
                }
                state.received += bytes.count
                if state.received > maxBytes {
                    state.failure = ReaderError(
                        .fileTooLarge, path: name, cause: "it is larger than the limit of \(maxBytes) bytes")
                    state.finished = true
                } else {
                    state.chunks.append(bytes)
                    state.queued += bytes.count
                }
                return true
            }
            lock.unlock(withValue: 1)
            if queued { continuation.resume(returning: true) }
        }
    }

    /// The object ended (`failure` nil) or could not be read to its end.
    package func finish(failure: String? = nil) {
        lock.lock()
        let waiting = state.withLockedValue { state in
            if let failure, state.failure == nil {
                state.failure = ReaderError(.unreadable, path: name, cause: failure)
            }
            state.finished = true
            defer { state.waiting = [] }
            return state.waiting
        }
        lock.unlock(withValue: 1)
        for continuation in waiting { continuation.resume(returning: false) }
    }

    /// The reader's side: blocks until there are bytes, the end, or a failure.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        lock.lock(whenValue: 1)
        var woken: [CheckedContinuation<Bool, Never>] = []
        let outcome: Result<Int, ReaderError> = state.withLockedValue { state in
            if let failure = state.failure { return .failure(failure) }
            guard let first = state.chunks.first else { return .success(0) }  // finished, nothing left
            let count = min(buffer.count, first.count - state.offset)
            first.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + state.offset, byteCount: count)
            }
            state.offset += count
            state.queued -= count
            if state.offset == first.count {
                state.chunks.removeFirst()
                state.offset = 0
            }
            woken = state.waiting
            state.waiting = []
            return .success(count)
        }
        let ready = state.withLockedValue { !$0.chunks.isEmpty || $0.finished || $0.failure != nil }
        lock.unlock(withValue: ready ? 1 : 0)
        for continuation in woken { continuation.resume(returning: false) }
        return try outcome.get()
    }

    /// Called when the reader stops early (an error in the middle): later chunks are dropped,
    /// and a `send` waiting for room returns.
    package func abandon() { finish() }
}

extension S3Client {
    /// Streams `key` into `stream` as it downloads, then ends it; a failure (the call, or the
    /// connection midway) ends it with the error, which the reader reports as the object's.
    package func download(bucket: String, key: String, versionID: String? = nil, into stream: ObjectStream) async {
        do {
            let (_, body) = try await get(bucket: bucket, key: key, versionID: versionID)
            for try await chunk in body { await stream.send(Array(chunk.readableBytesView)) }
            stream.finish()
        } catch {
            stream.finish(failure: "\(error)")
        }
    }
}
