import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where ``DaemonLogHandler`` puts its finished lines: standard error, or a collector in tests.
///
/// A sink receives whole lines, newline included, and must be safe to call from any thread.
package struct LogSink: Sendable {
    /// Writes one complete line.
    package let write: @Sendable (String) -> Void

    /// A sink that hands each line to `write`.
    package init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Standard error, unbuffered: each line is written with `write(2)` before the call returns.
    ///
    /// Unbuffered because a daemon killed by the watchdog or SIGKILL must not lose its last lines
    /// in a stdio buffer, and journald (or a pipe) should see a line as soon as it is logged. The
    /// lock keeps lines whole when several threads log at once and a write comes back short.
    package static let standardError = LogSink { line in
        standardErrorLock.withLock { writeAll(line, to: 2) }
    }

    private static let standardErrorLock = NIOLock()

    private static func writeAll(_ line: String, to descriptor: Int32) {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                    let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
                #else
                    let written = Darwin.write(descriptor, base + offset, buffer.count - offset)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    // Nowhere is left to report a failing stderr; drop the line rather than spin.
                    return
                }
                offset += written
            }
        }
    }
}
