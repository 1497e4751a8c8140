import NIOConcurrencyHelpers

/// How many metrics connections may be open at once; one more is closed as soon as it is
/// accepted.
///
/// Every connection is a file descriptor, and the spool loop and the ledger need descriptors to
/// read files and write commits: a local client holding a thousand keep-alive connections must
/// not be able to make every file that lands fail with "Too many open files". A scraper needs one
/// connection; the cap leaves room for a few.
final class ConnectionLimit: Sendable {
    /// The most connections open at once.
    let maximum: Int
    private let open = NIOLockedValueBox(0)

    init(maximum: Int) {
        self.maximum = max(1, maximum)
    }

    /// Takes a place for a new connection; false when all are taken (close the connection).
    func acquire() -> Bool {
        open.withLockedValue { count in
            guard count < maximum else { return false }
            count += 1
            return true
        }
    }

    /// Gives back the place of a connection that closed.
    func release() {
        open.withLockedValue { $0 -= 1 }
    }
}
