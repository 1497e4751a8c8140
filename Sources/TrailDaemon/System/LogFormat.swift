#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How ``DaemonLogHandler`` writes a log line: for a person, for a log shipper, or for journald.
///
/// The raw values are the configuration's `log.format` words, so `LogFormat(rawValue:)` parses them.
package enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// Journal when stderr is connected to journald, text otherwise; see ``resolved(environment:standardErrorIdentity:)``.
    case auto
    /// `2026-11-22T10:05:00.123Z warning trailhound: File quarantined. th.file=… th.reason=…`
    case text
    /// One JSON object per line: `time`, `level`, `label`, `message`, then the metadata keys.
    case json
    /// `<4>File quarantined. th.file=… th.reason=…`: a syslog priority prefix that journald turns
    /// into the entry's priority, and no timestamp, since journald records its own.
    case journal

    /// The concrete format for `.auto`; every other format is returned unchanged.
    ///
    /// systemd sets `$JOURNAL_STREAM` to `DEVICE:INODE` of the stream it connected to stderr. The
    /// variable alone is not enough: it is inherited by children whose stderr was redirected
    /// elsewhere, so the format is `.journal` only when stderr is still that very stream.
    ///
    /// - Parameters:
    ///   - environment: The process environment (only `JOURNAL_STREAM` is read).
    ///   - standardErrorIdentity: `fstat(2)`'s device and inode, or `nil` if it fails.
    package func resolved(
        environment: [String: String],
        standardErrorIdentity: () -> (device: UInt64, inode: UInt64)? = LogFormat.standardErrorIdentity
    ) -> LogFormat {
        guard self == .auto else { return self }
        guard let stream = environment["JOURNAL_STREAM"] else { return .text }
        let parts = stream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
            let actual = standardErrorIdentity(), actual.device == device, actual.inode == inode
        else { return .text }
        return .journal
    }

    /// ``resolved(environment:standardErrorIdentity:)`` for this process, reading `$JOURNAL_STREAM` with `getenv`.
    package func resolvedForStandardError() -> LogFormat {
        guard self == .auto else { return self }
        var environment: [String: String] = [:]
        if let value = getenv("JOURNAL_STREAM") { environment["JOURNAL_STREAM"] = String(cString: value) }
        return resolved(environment: environment)
    }

    /// The device and inode of file descriptor 2, as `fstat(2)` reports them.
    package static func standardErrorIdentity() -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard fstat(2, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }
}
