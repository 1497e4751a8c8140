package import Logging
package import TrailReader

/// Where the daemon's work comes from: the spool today (`SpoolSource`), an SQS queue next. A
/// source finds units, opens them, and hands each to the intake with a stable identity (its path
/// in the ledger, size, times, content hash) and its opened bytes. What the intake returns tells
/// the source whether the unit was committed (its alerts, alarm state and done mark in one
/// transaction) or why not, and the source acts on that: the spool applies its processed action,
/// quarantines or retries the file once it settles; a queue would delete the message or leave it
/// for redelivery. Nothing after the intake knows which source a unit came from.
///
/// A source is also the archive its committed units are read again from, for an alarm whose
/// window a later unit tipped.
package protocol UnitSource: UnitArchive {
    /// Runs until graceful shutdown, handing units to `intake` one at a time; the unit in hand is
    /// finished (committed or not) before it returns.
    func run(intake: any UnitIntake) async throws
}

/// What a source hands its units to: `UnitProcessor`, the one step every source shares.
package protocol UnitIntake: AnyObject, Sendable {
    /// Reads, evaluates and commits `unit`; `logger` names it.
    func process(_ unit: WorkUnit, logger: Logger) -> UnitProcessor.Outcome
    /// Records `identity` as quarantined for `reason` (the source has moved it aside, or not).
    /// Throws when the ledger failed: nothing was recorded, and the unit is tried again later.
    func quarantine(_ identity: FileIdentity, reason: ReaderError) throws(LedgerError)
}
