package import Foundation
package import TrailDelivery

/// Decides what one delivery attempt means for the outbox: delivered, retry (with the receiver's
/// hint), rejected for good, or destination disabled.
///
/// A pure value, so every rule is a table test without sockets. The rules (operations.md §2.1–2.7):
///
/// | answer | result |
/// |---|---|
/// | 2xx | delivered, except a Teams legacy connector's 2xx whose body reports `HTTP error NNN` (throttling arrives as `HTTP error 429` in a 200), which is classified as NNN |
/// | 3xx | disable: we never follow redirects (a redirect could lead anywhere, past the SSRF checks), so the URL is misconfigured and every alert would meet it; they stay pending; the reason names the redacted `Location` |
/// | 408, 425, 429, 5xx | retry, with `Retry-After` (or, for Discord, the body's `retry_after`, see ``retryHint(_:provider:now:)``) as the hint |
/// | 410 | disable: the destination is gone |
/// | Discord 404, 401 | disable: the webhook was deleted (404, which Discord says to stop using) or its token is no longer valid (401); every later alert would fail the same way, and invalid requests count toward Discord's Cloudflare ban |
/// | Slack 4xx naming a dead webhook or channel (`invalid_token`, `no_service`, `no_team`, `team_disabled`, `channel_not_found`, `channel_is_archived`, `action_prohibited`, `no_service_id`) | disable: the hook, not the payload, is the problem |
/// | other 4xx | rejected: the payload is refused for good |
/// | 1xx, other | retry: a protocol oddity, not a verdict on the payload |
///
/// Reasons are one line an operator can act on: provider, status, a sanitized excerpt of the body
/// (``BodySnippet``), and a fix hint for permanent outcomes. They never contain the webhook URL
/// (the classifier never sees it) and redact any URL a body or `Location` mentions.
package struct ResponseClassifier: Sendable, Hashable {
    /// The longest retry hint honoured; longer hints are cut to this.
    package var maximumHint: Duration
    /// The longest body excerpt in a reason, in characters.
    package var snippetLimit: Int

    /// A classifier; the defaults cap hints at an hour and excerpts at 160 characters.
    package init(maximumHint: Duration = RetryAfter.defaultMaximum, snippetLimit: Int = BodySnippet.defaultLimit) {
        self.maximumHint = maximumHint
        self.snippetLimit = snippetLimit
    }

    /// The outcome of an attempt that got `response` from a `provider` endpoint at `now` (which
    /// only turns an HTTP-date `Retry-After` into a delay).
    package func classify(_ response: WebhookResponse, provider: WebhookProvider, now: Date) -> DeliveryResult {
        let snippet = BodySnippet.summarize(response.bodyPrefix, limit: snippetLimit)
        var status = response.status
        var answered = "\(provider.rawValue) answered HTTP \(status)\(Self.phrase(status))"
        if provider == .teams, (200...299).contains(status), let embedded = Self.embeddedTeamsStatus(response.bodyText),
            !(200...299).contains(embedded)
        {
            answered += " reporting HTTP error \(embedded) in its body"
            status = embedded
        }
        let detail = snippet.isEmpty ? answered : "\(answered): \(snippet)"

        switch status {
        case 200...299:
            return .delivered
        case 300...399:
            let target = response.header("Location").map { Self.describeLocation($0) } ?? "without a Location header"
            // Every alert would meet the same redirect: stop and keep them pending, not dead.
            return .disable(
                reason: "\(answered), a redirect \(target), which is not followed; configure the final URL")
        case 410:
            return .disable(reason: "\(detail); the destination is gone, so sending stops until its URL is fixed")
        case 404 where provider == .discord:
            return .disable(
                reason: "\(detail); the Discord webhook was deleted, so sending stops until a new URL is configured")
        case 401 where provider == .discord:
            return .disable(
                reason:
                    "\(detail); the Discord webhook token is invalid, so sending stops until a new URL is configured"
            )
        case 400...499 where provider == .slack && Self.slackDeadHookErrors.contains(Self.slackError(response)):
            return .disable(
                reason: "\(detail); the Slack webhook or its channel is gone, so sending stops until the URL is fixed")
        case 408, 425, 429, 500...599:
            return .retry(after: retryHint(response, provider: provider, now: now), reason: detail)
        case 400...499:
            return .rejected(reason: "\(detail); \(Self.rejectionHint(status))")
        default:
            return .retry(after: nil, reason: "\(detail); an unexpected status, retrying")
        }
    }

    /// The outcome of an attempt that got no response: always a retry, since nothing was said
    /// about the payload.
    package func classify(_ failure: TransportFailure, provider: WebhookProvider) -> DeliveryResult {
        .retry(after: nil, reason: "\(provider.rawValue): \(failure)")
    }

    /// The receiver's wait hint, clamped to `0…maximumHint`: for Discord the body's `retry_after`
    /// first, then `Retry-After`, then `X-RateLimit-Reset-After`; for the others `Retry-After`.
    ///
    /// Discord's unversioned webhook URLs (`/api/webhooks/…`, what its UI hands out) get API v6,
    /// which sends both `retry_after` and `Retry-After` in milliseconds; `/api/v8`+ send seconds
    /// (discord/discord-api-docs#2360, #4722). Nothing in the response says which, so a Discord
    /// value above ``discordMillisecondThreshold`` is read as milliseconds. The errors this leaves
    /// are cheap: a v6 wait under 60 ms is overestimated to at most a minute, and a v8+ wait over
    /// a minute is underestimated, so the retry policy's own backoff takes over after another 429.
    package func retryHint(_ response: WebhookResponse, provider: WebhookProvider, now: Date) -> Duration? {
        let header = response.header("Retry-After")
        guard provider == .discord else {
            return header.flatMap { RetryAfter.parse(header: $0, now: now, maximum: maximumHint) }
        }
        func discordSeconds(_ value: Double) -> Duration? {
            RetryAfter.seconds(value > Self.discordMillisecondThreshold ? value / 1_000 : value, maximum: maximumHint)
        }
        if let body = Self.discordRetryAfter(response.bodyPrefix) { return discordSeconds(body) }
        if let header {
            let trimmed = header.trimmingCharacters(in: .whitespaces)
            if let value = Double(trimmed), trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                return discordSeconds(value)
            }
            if let hint = RetryAfter.parse(header: trimmed, now: now, maximum: maximumHint) { return hint }
        }
        // X-RateLimit-Reset-After has always been in seconds.
        return response.header("X-RateLimit-Reset-After")
            .flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            .flatMap { RetryAfter.seconds($0, maximum: maximumHint) }
    }

    /// Discord `retry_after` and `Retry-After` values above this are milliseconds (API v6), not
    /// seconds: Discord's webhook waits are seconds to tens of seconds, v6's the same in milliseconds.
    package static let discordMillisecondThreshold = 60.0

    /// Slack error codes (plain-text bodies) that mean the webhook or its channel no longer works.
    private static let slackDeadHookErrors: Set<String> = [
        "invalid_token", "no_service", "no_service_id", "no_team", "team_disabled", "channel_not_found",
        "channel_is_archived", "action_prohibited",
    ]

    private static func slackError(_ response: WebhookResponse) -> String {
        response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// NNN from "… returned HTTP error NNN …" in a Teams legacy connector's 2xx body.
    private static func embeddedTeamsStatus(_ body: String) -> Int? {
        guard let marker = body.range(of: "HTTP error ", options: .caseInsensitive) else { return nil }
        let digits = body[marker.upperBound...].prefix(3)
        guard digits.count == 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// Discord's `retry_after` (a number) from a JSON body, or nil.
    private static func discordRetryAfter(_ body: [UInt8]) -> Double? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        if let number = object["retry_after"] as? NSNumber, !(object["retry_after"] is Bool) {
            return number.doubleValue
        }
        return nil
    }

    /// "to https://host/…#1a2b3c4d": a redirect target without its path or query, which may hold a
    /// credential (a new Slack or Discord webhook URL, say). A network-path reference (`//host/…`)
    /// names another host; any other relative target stays on the same host.
    private static func describeLocation(_ location: String) -> String {
        let trimmed = location.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("//") {
            let redacted = Secret("https:" + trimmed).redacted
            return "to \(redacted.hasPrefix("https:") ? String(redacted.dropFirst(6)) : redacted)"
        }
        if Secret.origin(of: trimmed) == nil && !trimmed.contains(":") {
            return "to another path on the same host"
        }
        return "to \(Secret(trimmed).redacted)"
    }

    private static func rejectionHint(_ status: Int) -> String {
        switch status {
        case 400, 422: "the receiver refused the payload, so this alert is not retried"
        case 401, 403: "check the webhook's credentials and permissions; this alert is not retried"
        case 404: "check the webhook URL; this alert is not retried"
        case 413: "the payload is too large for the receiver; this alert is not retried"
        default: "this alert is not retried"
        }
    }

    /// " Reason Phrase" for common statuses, so reasons read without a lookup; "" for others.
    private static func phrase(_ status: Int) -> String {
        reasonPhrases[status].map { " \($0)" } ?? ""
    }

    private static let reasonPhrases: [Int: String] = [
        200: "OK", 201: "Created", 202: "Accepted", 204: "No Content",
        301: "Moved Permanently", 302: "Found", 303: "See Other", 307: "Temporary Redirect",
        308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 408: "Request Timeout", 410: "Gone", 413: "Content Too Large",
        415: "Unsupported Media Type", 422: "Unprocessable Content", 425: "Too Early", 429: "Too Many Requests",
        500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}
