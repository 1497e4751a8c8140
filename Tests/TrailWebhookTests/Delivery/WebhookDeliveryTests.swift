import Foundation
import Testing
import TrailDaemon
import TrailDelivery
import TrailRules
import TrailTestKit
import TrailWebhook

/// The delivery engine against a real HTTP receiver on loopback: retries, ordering, dead letters,
/// disabling, timeouts and signatures behave as operations.md §2.7 specifies.
@Suite(.serialized)
struct WebhookDeliveryTests {
    @Test func rateLimitsErrorsAndResetsAreRetriedAndOrderIsKept() async throws {
        let rig = try await DeliveryRig(script: [.rateLimited(retryAfter: 1), .status(500), .reset, .status(503)])
        let alerts = DeliveryRig.alerts(5)
        try rig.enqueue(alerts)
        // Under ThreadSanitizer, beside the whole suite, the five retries of the first alert
        // have taken longer than 20 s.
        #expect(await rig.wait(Sanitizer.active == nil ? .seconds(20) : .seconds(90)) { rig.receiver.accepted().count == 5 })
        let requests = rig.receiver.requests()
        await rig.stop()
        #expect(rig.acceptedIDs == alerts.map(\.id))
        // The first alert was tried five times before it went through; nothing overtook it.
        try #require(requests.count == 9)
        let firstBody = requests[0].body
        #expect(requests.prefix(5).allSatisfy { $0.body == firstBody })
        // Retry-After: 1 held the whole destination for a second.
        #expect(requests[1].arrival - requests[0].arrival >= .milliseconds(990))
    }

    @Test func aRefusedPayloadIsDeadLetteredAndTheNextGoesOn() async throws {
        let rig = try await DeliveryRig(script: [.status(400, body: "invalid_payload")])
        let alerts = DeliveryRig.alerts(3)
        try rig.enqueue(alerts)
        #expect(await rig.wait(.seconds(10)) { rig.receiver.accepted().count == 2 })
        #expect(try await rig.wait(.seconds(5)) { try rig.ledger.outboxCounts()["delivered"] == 2 })
        await rig.stop()
        #expect(rig.acceptedIDs == alerts.dropFirst().map(\.id))
        let counts = try rig.ledger.outboxCounts()
        #expect(counts["dead"] == 1 && counts["delivered"] == 2 && counts["pending"] == 0)
    }

    @Test func aGoneDestinationDisablesTheSinkAndItsAlertsWait() async throws {
        let rig = try await DeliveryRig(script: [.status(410, body: "channel_is_archived")])
        try rig.enqueue(DeliveryRig.alerts(3))
        #expect(await rig.wait(.seconds(10)) { rig.events.snapshot.disabledSinks == ["hook"] })
        try await Task.sleep(for: .milliseconds(500))
        await rig.stop()
        // One request, then silence; every alert is still there for the next start.
        #expect(rig.receiver.requests().count == 1)
        #expect(try rig.ledger.outboxCounts()["pending"] == 3)
    }

    @Test func aHangingReceiverTimesOutAndTheAlertIsRetried() async throws {
        let rig = try await DeliveryRig(timeout: .milliseconds(500), script: [.hang])
        let alerts = DeliveryRig.alerts(2)
        try rig.enqueue(alerts)
        #expect(await rig.wait(.seconds(10)) { rig.receiver.accepted().count == 2 })
        let requests = rig.receiver.requests()
        await rig.stop()
        #expect(rig.acceptedIDs == alerts.map(\.id))
        // The hang timed out and the same alert went again (a loaded machine may time out more).
        #expect(requests.count >= 3 && requests[0].body == requests[1].body)
        #expect(requests[1].arrival - requests[0].arrival >= .milliseconds(450))
    }

    @Test func retriesEndAtTheMaximumAge() async throws {
        let maxAge = Duration.seconds(3)
        let rig = try await DeliveryRig(
            faults: ReceiverFaults(serverError: 1),
            policy: RetryPolicy(initial: .milliseconds(50), maximum: .milliseconds(200), maxAge: maxAge))
        let enqueued = ContinuousClock.now
        try rig.enqueue(DeliveryRig.alerts(1))
        #expect(try await rig.wait(.seconds(30)) { try rig.ledger.outboxCounts()["dead"] == 1 })
        let requests = rig.receiver.requests()
        let letters = try StatusReport.make(ledgerPath: rig.directory.path + "/state.sqlite", spool: nil).deadLetters
        await rig.stop()
        // The dead letter gives the reason with the attempts the receiver saw.
        let letter = try #require(letters.first)
        #expect(letter.attempts == requests.count)
        #expect(letter.error.hasPrefix("gave up after \(requests.count) attempts over"), "\(letter.error)")
        // Retried while young: a 500 answered with more than the longest wait (200 ms) of the
        // maximum age left is followed by another attempt. How many fit depends on the machine's
        // load (under ThreadSanitizer in CI an answer can take a second to be seen), so this
        // asks for the one retry an early first answer guarantees, not for a count.
        let first = try #require(requests.first)
        if first.arrival - enqueued < maxAge / 2 {
            #expect(requests.count >= 2, "first attempt \(first.arrival - enqueued) after enqueueing")
        }
        // And it stopped because of the age, not before: by the engine's own clock the last
        // answer came when one more wait (at most 200 ms) would pass the 3 s maximum age.
        let seconds = letter.error.firstMatch(of: /attempts over (\d+) s:/).flatMap { Int($0.1) }
        #expect((seconds ?? 0) >= 2, "\(letter.error)")
    }

    @Test func signedWebhooksCarryStandardAndGitHubSignatures() async throws {
        let standard = try StandardWebhookSigner(secret: Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let github = try GitHubSigner(secret: Secret("It's a Secret to Everybody"))
        let rig = try await DeliveryRig(signers: [standard, github])
        let alert = DeliveryRig.alerts(1)[0]
        try rig.enqueue([alert])
        #expect(await rig.wait(.seconds(10)) { rig.receiver.accepted().count == 1 })
        await rig.stop()
        let request = try #require(rig.receiver.accepted().first)
        #expect(request.header("webhook-id") == alert.id)
        let timestamp = try #require(request.header("webhook-timestamp"))
        try standard.verify(
            id: alert.id, timestamp: timestamp, signatures: try #require(request.header("webhook-signature")),
            body: request.body, now: Int(Date().timeIntervalSince1970))
        try github.verify(signature: try #require(request.header("X-Hub-Signature-256")), body: request.body)
        #expect(request.body == Array(alert.jsonLine.utf8))
    }

    @Test func pagerDutyGetsTheRoutingKeyAtSendTimeOnly() async throws {
        let rig = try await DeliveryRig(provider: .pagerduty)
        let alert = DeliveryRig.alerts(1)[0]
        try rig.enqueue([alert])
        #expect(await rig.wait(.seconds(10)) { rig.receiver.accepted().count == 1 })
        await rig.stop()
        let sent = try #require(rig.receiver.accepted().first).body
        let event = try #require(try JSONSerialization.jsonObject(with: Data(sent)) as? [String: Any])
        #expect(event["routing_key"] as? String == "R0UT1NGKEY")
        #expect(event["dedup_key"] as? String == alert.id)
        // The stored payload, the one every retry sends, holds no secret.
        #expect(!String(decoding: rig.sink.render(alert), as: UTF8.self).contains("R0UT1NGKEY"))
    }

    /// The receiver is down for `TRAILHOUND_OUTAGE_SECONDS` (60 by default), alerts keep coming,
    /// and when it is back every one arrives, in order.
    @Test func anOutageLosesNothingAndKeepsOrder() async throws {
        let outage = ProcessInfo.processInfo.environment["TRAILHOUND_OUTAGE_SECONDS"].flatMap(Int.init) ?? 60
        let rig = try await DeliveryRig(
            policy: RetryPolicy(initial: .milliseconds(200), maximum: .seconds(5), maxAge: .seconds(3600)))
        let alerts = DeliveryRig.alerts(40)
        try rig.enqueue(Array(alerts[0..<10]))
        #expect(await rig.wait(.seconds(10)) { rig.receiver.accepted().count == 10 })
        await rig.receiver.goDown()
        let down = ContinuousClock.now
        for batch in 1..<4 {
            try rig.enqueue(Array(alerts[batch * 10..<(batch + 1) * 10]))
            try await Task.sleep(for: .seconds(outage) / 3)
        }
        try await rig.receiver.comeBack()
        let back = ContinuousClock.now
        #expect(back - down >= .seconds(outage))
        #expect(await rig.wait(.seconds(30)) { rig.receiver.accepted().count == 40 })
        await rig.stop()
        #expect(rig.acceptedIDs == alerts.map(\.id))
        #expect(try rig.ledger.outboxCounts()["dead"] == 0)
        print(
            "outage: \(outage) s down, 40 alerts delivered in order, the last \(rig.receiver.accepted().last.map { $0.arrival - back } ?? .zero) after the receiver came back"
        )
    }

    /// 500 alerts of one rule in a burst reach a Slack channel as one alert and one digest, at
    /// the provider's rate, not as 500 posts.
    @Test func aBurstOfOneRuleBecomesADigest() async throws {
        let rig = try await DeliveryRig(
            provider: .slack, noise: NoiseControl(groupWindow: .seconds(4), digestEvents: 10),
            rate: TokenBucket(perSecond: 1, burst: 3))
        let burst = DeliveryRig.alerts(500, rule: "noisy-rule")
        let other = DeliveryRig.alerts(1, rule: "other-rule", prefix: "other")
        // The burst spans three files, as a Terraform run's events would.
        try rig.enqueue(Array(burst[0..<200]))
        try rig.enqueue(other)
        try rig.enqueue(Array(burst[200..<400]))
        try await Task.sleep(for: .milliseconds(500))
        try rig.enqueue(Array(burst[400..<500]))
        #expect(try await rig.wait(.seconds(20)) { try rig.ledger.outboxCounts()["delivered"] == 501 })
        try await Task.sleep(for: .milliseconds(300))
        let requests = rig.receiver.requests()
        await rig.stop()
        let texts = requests.map(\.text)
        #expect(requests.count == 3, "\(requests.count) posts")
        // The first alert of the burst at once, the other rule's alert not held back, then one
        // digest of the 499 repeats at the end of the window.
        #expect(texts.first?.contains(String(burst[0].id.prefix(8))) == true)
        #expect(texts.dropFirst().first?.contains("other-rule") == true)
        #expect(texts.last?.contains("499") == true)
        let gaps = zip(requests.dropFirst(), requests).map { $0.arrival - $1.arrival }
        #expect(gaps.last.map { $0 >= .seconds(3) } == true, "the digest waited for the window: \(gaps)")
    }
}
