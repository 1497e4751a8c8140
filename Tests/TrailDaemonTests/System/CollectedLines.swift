import NIOConcurrencyHelpers
import TrailDaemon

/// A thread-safe collector of log lines, with a ``LogSink`` that appends to it.
final class CollectedLines: Sendable {
    private let storage = NIOLockedValueBox<[String]>([])

    /// A sink that records every line written to it.
    var sink: LogSink {
        LogSink { line in self.storage.withLockedValue { $0.append(line) } }
    }

    /// The lines written so far, newlines included.
    var lines: [String] { storage.withLockedValue { $0 } }
}
