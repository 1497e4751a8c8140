import Testing

@testable import TrailDaemon

/// A failing ledger is reported from its first failure until a write succeeds again.
struct DaemonEventsTests {
    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "SQLite error 13: database or disk is full" }
    }

    @Test func aLedgerFaultLastsFromTheFirstFailureUntilAWriteSucceeds() throws {
        let events = DaemonEvents()
        #expect(events.snapshot.ledgerFault == nil)
        events.ledgerFailed(.file, error: DiskFull())
        let first = try #require(events.snapshot.ledgerFault)
        #expect(first.operation == .file)
        #expect(first.error == "SQLite error 13: database or disk is full")
        events.ledgerFailed(.outbox, error: DiskFull())
        let second = try #require(events.snapshot.ledgerFault)
        #expect(second.operation == .outbox)
        #expect(second.since == first.since, "a run of failures keeps the time it started")
        events.ledgerWrote()
        #expect(events.snapshot.ledgerFault == nil)
    }
}
