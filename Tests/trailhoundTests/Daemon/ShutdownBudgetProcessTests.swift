import Foundation
import Testing
import TrailTestKit

/// SIGTERM against a receiver that never answers: the process exits within
/// `delivery.shutdown_budget`, whatever the request timeout, and the delivery it cancelled is left
/// in doubt exactly as after a crash, so the next start resends it (`in_doubt: resend`).
@Suite(.serialized)
struct ShutdownBudgetProcessTests {
    /// How long SIGTERM may take with `shutdown_budget: 2s`: the budget and the teardown after it
    /// (the ledger closed, the HTTP client's event loops stopped). Under ThreadSanitizer, with the
    /// whole suite running beside it, that teardown alone has taken 7 s (CI); the sanitizer run
    /// is there for races, so it gets room the plain run does not.
    static let sigtermBound: Duration = Sanitizer.active == nil ? .seconds(6) : .seconds(15)

    @Test func sigtermCancelsAHangingDeliveryAtTheBudgetAndTheNextStartResendsIt() async throws {
        let receiver = try await WebhookReceiver.start()
        receiver.enqueue([.hang])
        let daemon = try DaemonHarness(
            sinks: """
                  - name: hook
                    type: webhook
                    url: \(receiver.url())
                    allow_loopback: true
                    timeout: 60s
                    in_doubt: resend
                """,
            extra: "delivery: {shutdown_budget: 2s}")
        try daemon.start()
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "hang"), DaemonHarness.file(eventIDs: ["hang-1"]))
        #expect(await receiver.waitForRequests(count: 1, timeout: .seconds(20)))
        #expect(receiver.requests().first?.response == .hang)
        try await Task.sleep(for: .milliseconds(300))  // the daemon is now waiting for the answer

        let signalled = ContinuousClock.now
        await daemon.stopAsync(signal: SIGTERM)
        let took = ContinuousClock.now - signalled
        #expect(took < Self.sigtermBound, "SIGTERM took \(took) with shutdown_budget 2s (the request timeout is 60s)")
        #expect(daemon.process?.terminationStatus == 0)
        #expect(daemon.stderr.contains("stays in flight, in doubt"), "\(daemon.stderr)")

        // Left in flight, as a crash leaves it: not retried, not dead.
        let status = try await daemon.status()
        #expect(status.contains("0 pending"), "\(status)")
        #expect(status.contains("1 in flight"), "\(status)")

        // The next start finds it in doubt and, with in_doubt: resend, sends it again.
        try daemon.start()
        #expect(await receiver.waitForAccepted(count: 1, timeout: .seconds(20)))
        #expect(await daemon.waitAsync(seconds: 5) { daemon.stderr.contains("Deliveries were in flight") })
        await daemon.stopAsync(signal: SIGTERM)
        let accepted = receiver.accepted().compactMap { request in
            (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["eventID"] as? String
        }
        #expect(accepted == ["hang-1"])
        #expect(try await daemon.status().contains("1 delivered"))
        await receiver.shutdown()
    }

    @Test func sigtermEndsWithinTheBudgetWhileStdoutIsStalled() async throws {
        let daemon = try DaemonHarness(extra: "delivery: {shutdown_budget: 2s}")
        // Standard output is a FIFO whose only reader never reads: once its 64 KiB buffer is
        // full the stdout sink blocks in write(2), which no task cancellation interrupts.
        let fifo = daemon.root + "/stalled"
        #expect(mkfifo(fifo, 0o600) == 0)
        try daemon.start(wrapper: ["/bin/sh", "-c", "exec 3<>\"$0\"; exec \"$@\" >\"$0\"", fifo])
        let ids = (0..<400).map { "stalled-\($0)" }
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "stall"), DaemonHarness.file(eventIDs: ids))
        var committed = false
        for _ in 0..<100 where !committed {
            committed = (try? await daemon.status())?.contains("files: 1 done") == true
            if !committed { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(committed)
        try await Task.sleep(for: .seconds(2))  // the dispatcher is now stuck in write(2)

        let signalled = ContinuousClock.now
        let process = try #require(daemon.process)
        kill(process.processIdentifier, SIGTERM)
        let exited = await daemon.waitAsync(seconds: 20) { !process.isRunning }
        let took = ContinuousClock.now - signalled
        if !exited { kill(process.processIdentifier, SIGKILL) }
        #expect(exited && took < Self.sigtermBound, "SIGTERM took \(took) with shutdown_budget 2s and stdout stalled")
        #expect(daemon.stderr.contains("Shutdown budget spent during a delivery"), "\(daemon.stderr)")
    }
}
