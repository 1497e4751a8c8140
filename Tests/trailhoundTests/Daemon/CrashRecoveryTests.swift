import Foundation
import Testing
import TrailTestKit

/// The durability guarantee under kill -9: a daemon killed at random moments while it works
/// through a backlog, then run to quiescence, has delivered every expected alert; repeats are
/// bounded by one delivery in doubt per kill.
///
/// `TRAILHOUND_KILL_ITERATIONS` sets the number of kills (20 by default; scripts/kill-test.sh
/// runs 100).
@Suite(.serialized)
struct CrashRecoveryTests {
    @Test func killNineAtRandomMomentsLosesNoAlert() async throws {
        let iterations = ProcessInfo.processInfo.environment["TRAILHOUND_KILL_ITERATIONS"].flatMap(Int.init) ?? 20
        let daemon = try DaemonHarness()
        var expected: [String] = []
        for file in 0..<80 {
            let ids = (0..<5).map { "kill-\(file)-\($0)" }
            expected += ids
            try daemon.drop(DaemonHarness.name(minute: file % 60, tag: "k\(file)"), DaemonHarness.file(eventIDs: ids))
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<iterations {
            try daemon.start()
            try await Task.sleep(for: .seconds(Double.random(in: 0.05...1.5, using: &generator)))
            await daemon.stopAsync(signal: SIGKILL)
            // More files keep arriving between crashes.
        }
        try daemon.start()
        let complete = await daemon.waitAsync(seconds: 60) { Set(daemon.alertedEventIDs).isSuperset(of: expected) }
        try await Task.sleep(for: .seconds(1))
        await daemon.stopAsync(signal: SIGTERM)
        let delivered = daemon.alertedEventIDs
        #expect(complete)
        #expect(Set(delivered) == Set(expected), "missing: \(Set(expected).subtracting(delivered).sorted().prefix(10))")
        let repeats = delivered.count - Set(delivered).count
        #expect(repeats <= iterations, "\(repeats) repeats over \(iterations) kills")
        print(
            "kill -9: \(iterations) kills, \(expected.count) alerts expected, \(Set(delivered).count) delivered, \(repeats) repeated"
        )
    }

    /// The same under kill -9 while webhooks are being delivered to faulty receivers (429 with
    /// Retry-After, 500, resets, delays): no alert is lost; a receiver that deduplicates on
    /// `webhook-id` sees every alert exactly once; one that does not sees at most one repeat per kill.
    @Test func killNineDuringWebhookDeliveryLosesNoAlert() async throws {
        let iterations = ProcessInfo.processInfo.environment["TRAILHOUND_KILL_ITERATIONS"].flatMap(Int.init) ?? 20
        let faults = ReceiverFaults(
            seed: 7, rateLimited: 0.1, retryAfterSeconds: 1, serverError: 0.05, reset: 0.02,
            delay: .zero ... .milliseconds(50))
        var deduping = faults
        deduping.dedupeHeader = "webhook-id"
        let signed = try await WebhookReceiver.start(faults: deduping)
        let plain = try await WebhookReceiver.start(faults: faults)
        let daemon = try DaemonHarness(
            sinks: """
                  - name: signed
                    type: webhook
                    url: \(signed.url())
                    allow_loopback: true
                    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
                  - name: plain
                    type: webhook
                    url: \(plain.url())
                    allow_loopback: true
                """,
            extra: "delivery: {retry_initial: 100ms, retry_max: 1s}")
        var expected: [String] = []
        for file in 0..<24 {
            let ids = (0..<5).map { "hook-\(file)-\($0)" }
            expected += ids
            try daemon.drop(DaemonHarness.name(minute: file % 60, tag: "w\(file)"), DaemonHarness.file(eventIDs: ids))
        }
        func eventIDs(_ requests: [ReceivedRequest]) -> [String] {
            requests.compactMap { request in
                (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["eventID"] as? String
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<iterations {
            try daemon.start()
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...1500, using: &generator)))
            await daemon.stopAsync(signal: SIGKILL)
        }
        // The kills hit deliveries, not only start-ups.
        let beforeLastStart = signed.requests().count + plain.requests().count
        #expect(beforeLastStart > 0)
        try daemon.start()
        let complete = await daemon.waitAsync(seconds: 120) {
            Set(eventIDs(signed.accepted())).isSuperset(of: expected)
                && Set(eventIDs(plain.accepted())).isSuperset(of: expected)
        }
        await daemon.stopAsync(signal: SIGTERM)
        await signed.shutdown()
        await plain.shutdown()
        #expect(complete, "\(daemon.stderr.suffix(2000))")
        let signedIDs = eventIDs(signed.accepted())
        let plainIDs = eventIDs(plain.accepted())
        #expect(Set(signedIDs) == Set(expected) && Set(plainIDs) == Set(expected))
        // Deduplicated on webhook-id: exactly once, whatever the kills did.
        #expect(signedIDs.count == expected.count)
        let resentToSigned = signed.requests().filter(\.duplicate).count
        let repeats = plainIDs.count - Set(plainIDs).count
        #expect(repeats <= iterations, "\(repeats) repeats over \(iterations) kills")
        #expect(resentToSigned <= iterations)
        print(
            "kill -9 during delivery: \(iterations) kills, \(expected.count) alerts per sink; signed: \(signedIDs.count) accepted once each, \(resentToSigned) resends absorbed; plain: \(Set(plainIDs).count) delivered, \(repeats) repeated; \(beforeLastStart) requests while being killed, \(signed.requests().count + plain.requests().count) in all"
        )
    }
}
