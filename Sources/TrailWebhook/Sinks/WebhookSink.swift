import Foundation
package import TrailDelivery
package import TrailRules

/// A sink that POSTs alerts to an HTTP endpoint in one provider's format: Slack, Teams, Discord,
/// PagerDuty, or generic JSON signed the Standard Webhooks way.
///
/// Payloads are rendered when the alert is enqueued and stored in the outbox, so every retry
/// sends the same bytes; nothing secret is in them (the PagerDuty routing key is spliced in at
/// send time, signatures are computed at send time), so the ledger holds no credentials.
package struct WebhookSink: AlertSink {
    package let name: String
    package let inDoubt: InDoubt
    let provider: WebhookProvider
    let format: any WebhookFormat
    let endpoint: WebhookEndpoint
    let signers: [any WebhookSigner]
    let routingKey: Secret?
    let classifier = ResponseClassifier()
    /// Seconds since 1970, for `webhook-timestamp`.
    let clock: @Sendable () -> Int

    package init(
        name: String, inDoubt: InDoubt, provider: WebhookProvider, format: any WebhookFormat,
        url: Secret, policy: DestinationPolicy, connectTimeout: Duration = .seconds(5),
        timeout: Duration = .seconds(30),
        signers: [any WebhookSigner] = [], routingKey: Secret? = nil,
        clock: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
    ) {
        self.name = name
        self.inDoubt = inDoubt
        self.provider = provider
        self.format = format
        endpoint = WebhookEndpoint(
            url: provider == .discord ? Self.versioned(discord: url) : url, policy: policy,
            connectTimeout: connectTimeout, timeout: timeout, recheck: .seconds(300))
        self.signers = signers
        self.routingKey = routingKey
        self.clock = clock
    }

    package func render(_ alert: Alert) -> [UInt8] { format.render(alert) }

    package func render(_ digest: AlertDigest) -> [UInt8] { format.render(digest) }

    package func deliver(_ payload: [UInt8], alertID: String) async -> DeliveryResult {
        deliverResult(of: await send(payload, alertID: alertID))
    }

    /// What the outbox makes of an attempt.
    package func deliverResult(of attempt: Attempt) -> DeliveryResult {
        switch attempt.outcome {
        case .response(let response): return classifier.classify(response, provider: provider, now: Date())
        case .failure(let failure): return classifier.classify(failure, provider: provider)
        case .refused(let error):
            if case .unresolvable(let cause) = error.problem {
                return classifier.classify(.dns("\(cause)"), provider: provider)
            }
            // The name now points somewhere refused: wait for DNS to be put right.
            return .retry(after: nil, reason: "\(error)")
        }
    }

    package func shutdown() async { await endpoint.shutdown() }

    package var attemptLimit: Duration { endpoint.connectTimeout + endpoint.timeout }

    /// One attempt, as `trailhound test-sink` shows it: what came back and how long it took.
    package struct Attempt: Sendable {
        package var outcome: WebhookEndpoint.Outcome
        package var duration: Duration
    }

    /// POSTs `payload` (signed, with the routing key, as configured) and returns the raw outcome.
    package func send(_ payload: [UInt8], alertID: String) async -> Attempt {
        var body = payload
        if let routingKey { body = PagerDutyFormat.withRoutingKey(body, routingKey: routingKey.unredactedValue) }
        let timestamp = clock()
        let headers = signers.flatMap { $0.headers(id: alertID, timestamp: timestamp, body: body) }
        let start = ContinuousClock.now
        let outcome = await endpoint.post(body, headers: headers)
        return Attempt(outcome: outcome, duration: start.duration(to: .now))
    }

    /// Discord's unversioned webhook URLs get API v6, whose `retry_after` is in milliseconds;
    /// pinning v10 makes it seconds, as the classifier reads it first.
    static func versioned(discord url: Secret) -> Secret {
        let text = url.unredactedValue
        for host in ["https://discord.com/api/webhooks/", "https://discordapp.com/api/webhooks/"]
        where text.hasPrefix(host) {
            return Secret(text.replacingOccurrences(of: "/api/webhooks/", with: "/api/v10/webhooks/"))
        }
        return url
    }
}
