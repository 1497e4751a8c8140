package import TrailReader

/// How the unit processor reads a unit committed earlier once more, by its ledger path: an alarm
/// that fires on a later unit's matches names the record that tipped its window, which may be
/// in an earlier unit. The spool opens the file where it is, or where the processed action moved
/// it; a source that cannot read a unit again returns nil, and the alert goes without the record.
package protocol UnitArchive: Sendable {
    func reopen(_ path: String, limits: ReaderLimits) -> InputFile?
}
