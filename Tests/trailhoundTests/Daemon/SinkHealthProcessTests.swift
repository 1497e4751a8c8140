import Foundation
import Testing
import TrailTestKit

/// `/healthz` of a real process says how each sink is doing: 503 naming the sink and its state
/// while a webhook with alerts waiting has not delivered for longer than
/// `delivery.unhealthy_after`, 200 again once it delivers.
@Suite(.serialized)
struct SinkHealthProcessTests {
    @Test func healthzIs503WhileAWebhookFailsPastTheLimitAnd200OnceItDelivers() async throws {
        let hook = try await WebhookReceiver.start(faults: ReceiverFaults(serverError: 1))
        let port = try DaemonHarness.freePort()
        let daemon = try DaemonHarness(
            sinks: """
                  - name: stdout
                    type: stdout
                    format: json
                  - name: hook
                    type: webhook
                    url: \(hook.url())
                    allow_loopback: true
                """,
            extra: """
                metrics: {listen: "127.0.0.1:\(port)"}
                delivery: {retry_initial: 100ms, retry_max: 500ms, unhealthy_after: 3s}
                """)
        try daemon.start()
        var health: (status: Int, body: String)?
        #expect(
            await daemon.waitAsync(seconds: 20) {
                health = DaemonHarness.get(port: port, "/healthz")
                return health?.status == 200
            }, "\(String(describing: health))")
        #expect(health?.body.contains("sink hook: ok, 0 waiting") == true, "\(String(describing: health))")

        try daemon.drop(DaemonHarness.name(minute: 1, tag: "h"), DaemonHarness.file(eventIDs: ["h1", "h2"]))
        #expect(await hook.waitForRequests(count: 1, timeout: .seconds(20)))
        // Failing, but not yet for 3 s: still healthy, and the line says it is retrying.
        health = DaemonHarness.get(port: port, "/healthz")
        #expect(health?.status == 200, "\(String(describing: health))")
        #expect(health?.body.contains("sink hook: retrying") == true, "\(String(describing: health))")

        #expect(
            await daemon.waitAsync(seconds: 15) {
                health = DaemonHarness.get(port: port, "/healthz")
                return health?.status == 503
            }, "\(String(describing: health))")
        let body = health?.body ?? ""
        #expect(body.hasPrefix("sink hook not delivering for"), "\(body)")
        #expect(body.contains("sink hook: retrying for"), "\(body)")
        #expect(body.contains("answered HTTP 500"), "\(body)")
        #expect(body.contains("2 waiting"), "\(body)")
        #expect(body.contains("(limit 3s)"), "\(body)")
        // The healthy sink is listed on its own line, as healthy.
        #expect(body.contains("\nsink stdout: ok, 0 waiting, last delivery"), "\(body)")
        // `status` reads the same from the outbox: the hook is retrying, with its error.
        // (One of the two may be in flight at the moment it looks.)
        let status = try await daemon.status()
        let hookLine = status.split(separator: "\n").first { $0.hasPrefix("  hook: ") } ?? ""
        #expect(hookLine.contains(" 0 delivered, 0 dead; retrying (after "), "\(status)")
        #expect(hookLine.contains("HTTP 500"), "\(status)")
        #expect(hookLine.hasSuffix(", no delivery yet"), "\(status)")
        #expect(
            status.contains(
                "  stdout: 0 pending, 0 held for digests, 0 in flight, 2 delivered, 0 dead; idle, last delivery"),
            "\(status)")

        hook.setFaults(.none)
        #expect(await hook.waitForAccepted(count: 2, timeout: .seconds(20)))
        // 200 can come a moment before the last delivery is settled (then the body still says
        // one is waiting): wait for both.
        #expect(
            await daemon.waitAsync(seconds: Sanitizer.active == nil ? 10 : 30) {
                health = DaemonHarness.get(port: port, "/healthz")
                return health?.status == 200
                    && health?.body.contains("sink hook: ok, 0 waiting, last delivery") == true
            }, "\(String(describing: health))")
        await daemon.stopAsync()
        await hook.shutdown()
    }
}
