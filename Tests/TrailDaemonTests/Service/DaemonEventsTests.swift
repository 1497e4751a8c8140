import Dispatch
import Testing

@testable import TrailDaemon

struct DaemonEventsTests {
    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "SQLite error 13: database or disk is full" }
    }

    /// A failing ledger is reported from its first failure until a write succeeds again.
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

    /// The spool loop, every dispatcher and the health endpoint report and read at once, from
    /// threads of their own. Nothing is lost, and under ThreadSanitizer (scripts/sanitize.sh
    /// thread, in CI) this is the check that the lock is one it can see: with
    /// Synchronization.Mutex it reported these accesses as races and failed CI's kill -9 run.
    @Test func reportsFromManyThreadsAtOnceAreAllCounted() {
        let events = DaemonEvents()
        let threads = 4
        let rounds = 2_000
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for round in 0..<rounds {
                events.spoolProgressed(backlog: round)
                events.dispatcherProgressed(sink: "sink-\(thread)")
                events.fileProcessed(
                    records: 2, skipped: 0, alerts: ["cis-3.5": 1], newestEventTime: thread * rounds + round,
                    duration: .milliseconds(1))
                if round % 100 == 0 { events.fileQuarantined(reason: "truncated") }
                _ = events.snapshot.backlog
            }
        }
        let snapshot = events.snapshot
        #expect(snapshot.filesProcessed == threads * rounds)
        #expect(snapshot.alerts == threads * rounds)
        #expect(snapshot.filesQuarantined == threads * rounds / 100)
        #expect(snapshot.newestEventTime == threads * rounds - 1)
        #expect(Set(snapshot.lastDispatcherProgress.keys) == Set((0..<threads).map { "sink-\($0)" }))
    }
}
