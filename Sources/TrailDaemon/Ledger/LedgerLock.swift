import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One `trailhound run` per ledger: an exclusive `flock` on `LEDGER.lock` beside the ledger, held
/// for the life of the process.
///
/// Two daemons on one ledger would both read every file and each resend the other's in-flight
/// deliveries as "in flight when the daemon last stopped". The lock is advisory and taken without
/// waiting, so a second `run` exits at once with the first one's pid; `status`, `check` and
/// `requeue` do not take it and work beside a running daemon. The kernel drops the lock when the
/// process ends however it ends (kill -9 included), so a stale lock file never blocks a restart.
package final class LedgerLock: Sendable {
    /// The lock file's path.
    package let path: String
    private let descriptor: Int32

    /// Takes the lock for the ledger at `ledgerPath`, creating its directory (mode 0700) if needed.
    ///
    /// - Throws: `LedgerError` naming the other process when the lock is held, or why the lock
    ///   file cannot be opened.
    package init(ledgerPath: String) throws(LedgerError) {
        path = ledgerPath + ".lock"
        let directory = (ledgerPath as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            let cause = String(cString: strerror(errno))
            throw LedgerError.cannotOpen(
                path: ledgerPath, cause: LedgerError(path: path, operation: "open the lock file", reason: cause))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = LedgerLock.holder(descriptor)
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw LedgerError(
                    path: ledgerPath, operation: "lock", reason: "flock \(path): \(String(cString: strerror(code)))")
            }
            throw LedgerError(
                path: ledgerPath, operation: "lock",
                reason:
                    "another `trailhound run`\(holder.map { " (pid \($0))" } ?? "") is using this ledger; one daemon per ledger. Stop it first, or give this one its own state.path (`status`, `check` and `requeue` work beside it)"
            )
        }
        self.descriptor = descriptor
        // Our pid, for the message a second daemon prints; the lock itself is the flock.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        close(descriptor)  // releases the flock
    }

    /// The pid written in the lock file by the process that holds it, if it reads as one.
    private static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
