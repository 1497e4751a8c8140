package import TrailRules

/// What a digest says, derived once and shared by every format: how many alerts, over which
/// span, in which accounts and regions, by whom, and the first few alerts one line each.
///
/// Like `AlertFacts`, every text is safe for one line and cut; the list holds at most
/// `maxListed` alerts whatever the digest carries, because a chat message is read, not scrolled.
package struct DigestFacts: Sendable, Hashable {
    /// The most alerts a format lists, one line each.
    package static let maxListed = 20

    /// The digest's id, the idempotency key.
    package var digestID: String
    /// The first 8 hex digits of the digest id.
    package var shortID: String
    /// The rule all the alerts come from.
    package var ruleID: String
    /// The rule title (templates apply to single alerts only).
    package var title: String
    /// The highest severity among the alerts.
    package var severity: RuleSeverity
    /// How many alerts the digest stands for.
    package var count: Int
    /// The facts of the listed alerts, oldest first (at most `maxListed`).
    package var alerts: [AlertFacts]
    /// The earliest event time among all the alerts.
    package var firstEventTime: String?
    /// The latest event time among all the alerts.
    package var lastEventTime: String?
    /// The first event time as strict ISO 8601 UTC, when it parses.
    package var timestamp: String?
    /// The distinct accounts (at most 10: the digest caps them).
    package var accounts: [String]
    /// The distinct regions (at most 10).
    package var regions: [String]
    /// The distinct principals, ARN or name (at most 10).
    package var principals: [String]

    /// The facts of `digest`.
    package init(_ digest: AlertDigest) {
        func clean(_ text: String?) -> String? {
            guard let text, !PayloadText.trimmed(text).isEmpty else { return nil }
            return PayloadText.truncate(PayloadText.oneLine(text), to: 200)
        }
        digestID = digest.id
        shortID = String(digest.id.prefix(8))
        ruleID = clean(digest.ruleID) ?? "unknown rule"
        title = clean(digest.title) ?? ruleID
        severity = digest.severity
        count = digest.count
        alerts = digest.alerts.prefix(DigestFacts.maxListed).map { AlertFacts($0) }
        firstEventTime = clean(digest.firstEventTime)
        lastEventTime = clean(digest.lastEventTime)
        timestamp = AlertFacts.timestamp(digest.firstEventTime)
        accounts = digest.accounts.compactMap(clean)
        regions = digest.regions.compactMap(clean)
        principals = digest.principals.compactMap(clean)
    }

    /// `500× Console login without MFA`.
    package var headline: String { "\(count)× \(title)" }

    /// `first – last`, one time when they are equal, or "unknown time".
    package var span: String {
        switch (firstEventTime, lastEventTime) {
        case (let first?, let last?) where first != last: "\(first) – \(last)"
        case (let first?, _): first
        case (nil, let last?): last
        case (nil, nil): "unknown time"
        }
    }

    /// When, and the accounts, regions and principals involved.
    package var facts: [AlertFacts.Fact] {
        func list(_ values: [String]) -> String { values.isEmpty ? "unknown" : values.joined(separator: ", ") }
        return [
            .init("When", span), .init("Accounts", list(accounts)), .init("Regions", list(regions)),
            .init("Principals", list(principals), wide: true),
        ]
    }

    /// `First 10 of 500 alerts`.
    package var listHeading: String {
        alerts.count == count ? DigestFacts.alerts(count) : "First \(alerts.count) of \(DigestFacts.alerts(count))"
    }

    /// `rule … · digest 1a2b3c4d of 500 alerts`: the footer people match a repeat by.
    package var footer: String { "rule \(ruleID) · digest \(shortID) of \(DigestFacts.alerts(count))" }

    private static func alerts(_ count: Int) -> String { count == 1 ? "1 alert" : "\(count) alerts" }
}
