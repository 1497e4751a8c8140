import Synchronization
import TrailDaemon

/// A thread-safe collector of log lines, with a ``LogSink`` that appends to it.
final class CollectedLines: Sendable {
    private let storage = Mutex<[String]>([])

    /// A sink that records every line written to it.
    var sink: LogSink {
        LogSink { line in self.storage.withLock { $0.append(line) } }
    }

    /// The lines written so far, newlines included.
    var lines: [String] { storage.withLock { $0 } }
}
