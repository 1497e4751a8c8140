/// Whether to resend, after a restart, deliveries that were in flight when the process died
/// (a sink's `in_doubt`).
package enum InDoubt: String, Sendable, CaseIterable {
    /// Send it again: the receiver may see it twice (the default; idempotency keys absorb it).
    case resend
    /// Drop it: the receiver may never see it.
    case drop
}
