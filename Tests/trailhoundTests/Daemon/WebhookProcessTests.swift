import Foundation
import Testing
import TrailTestKit

/// The daemon delivering to webhooks as a real process: secrets stay out of every log line,
/// whatever the receivers answer; mutes hold alerts back; a gone destination is reported.
@Suite(.serialized)
struct WebhookProcessTests {
    static let secrets = [
        "XYZSECRETPATH", "QUERYSECRET", "PDROUTINGKEYSECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "GITHUBSECRET",
    ]

    @Test func secretsNeverAppearInLogsWhateverTheReceiversAnswer() async throws {
        let chat = try await WebhookReceiver.start()
        chat.enqueue([.status(500, body: "rollup_error"), .reset, .rateLimited(retryAfter: 1)])
        let pager = try await WebhookReceiver.start()
        pager.enqueue([.status(400, body: #"{"status":"invalid event","message":"Event object is invalid"}"#)])
        let soar = try await WebhookReceiver.start()
        soar.enqueue([
            .status(301, headers: [("Location", "https://elsewhere.example/hooks/XYZSECRETPATH?sig=QUERYSECRET")])
        ])
        let teams = try await WebhookReceiver.start()
        teams.enqueue([.status(410)])
        let secrets = TemporaryDirectory("trailhound-secrets")
        let routingKey = try secrets.write("pd-key", "PDROUTINGKEYSECRET\n")
        chmod(routingKey, 0o600)
        let daemon = try DaemonHarness(
            sinks: """
                  - name: chat
                    type: slack
                    url_env: TEST_SLACK_URL
                    allow_loopback: true
                    group_window: 0
                  - name: pager
                    type: pagerduty
                    url: \(pager.url(path: "/v2/enqueue"))
                    routing_key_file: \(routingKey)
                    allow_loopback: true
                  - name: soar
                    type: webhook
                    url: \(soar.url(path: "/hooks/XYZSECRETPATH?sig=QUERYSECRET"))
                    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
                    github_secret: GITHUBSECRET
                    allow_loopback: true
                  - name: teams
                    type: teams
                    url: \(teams.url(path: "/workflows/XYZSECRETPATH?sig=QUERYSECRET"))
                    allow_loopback: true
                """,
            extra: "delivery: {retry_initial: 100ms, retry_max: 1s}")
        // Trace level: every log statement there is, is checked.
        try daemon.start(
            environment: ["TEST_SLACK_URL": chat.url(path: "/services/T0/B0/XYZSECRETPATH")],
            arguments: ["--log-level", "trace"])
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "s"), DaemonHarness.file(eventIDs: ["s1", "s2"]))
        #expect(await daemon.waitAsync(seconds: 20) { chat.accepted().count == 2 && pager.accepted().count == 1 })
        #expect(await daemon.waitAsync(seconds: 5) { daemon.stderr.contains("Destination disabled") })
        await daemon.stopAsync(signal: SIGTERM)
        let logs = daemon.stderr
        for secret in Self.secrets { #expect(!logs.contains(secret), "\(secret) leaked into the log") }
        // The log still says what happened, with the redacted destination.
        #expect(logs.contains("Delivery dead-lettered"))
        #expect(logs.contains("Delivery failed; will retry"))
        #expect(logs.contains("Webhook destination checked"))
        #expect(logs.contains("127.0.0.1"))
        // The routing key went out on the wire, and only there.
        #expect(pager.accepted().first.map { $0.text.contains("PDROUTINGKEYSECRET") } == true)
        for receiver in [chat, pager, soar, teams] { await receiver.shutdown() }
        secrets.remove()
    }

    @Test func mutedRulesAreRecordedButNotSent() async throws {
        let chat = try await WebhookReceiver.start()
        let audit = try await WebhookReceiver.start()
        let daemon = try DaemonHarness(
            sinks: """
                  - name: chat
                    type: slack
                    url: \(chat.url())
                    allow_loopback: true
                    group_window: 0
                  - name: audit
                    type: slack
                    url: \(audit.url())
                    allow_loopback: true
                    group_window: 0
                  - name: stdout
                    type: stdout
                    format: json
                """,
            extra: "mute:\n  - rules: [test-stop-*]\n    sinks: [chat]\n    reason: test")
        try daemon.start()
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "m"), DaemonHarness.file(eventIDs: ["m1"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["m1"] && audit.accepted().count == 1 })
        try await Task.sleep(for: .seconds(1))
        await daemon.stopAsync()
        // The same alert reached the unmuted Slack sink; the muted one got nothing.
        #expect(audit.accepted().first?.text.contains("test-stop-logging") == true)
        #expect(chat.requests().isEmpty)
        await chat.shutdown()
        await audit.shutdown()
    }
}
