import Crypto

/// Many alerts of one rule, sent to one sink as one message: what noise control sends instead of
/// a flood (a Terraform run, a scanner). It carries the count, the time span and the first few
/// alerts in full, so the message still says who did what where.
package struct AlertDigest: Sendable, Hashable {
    /// Stable for the same set of alerts (first id, last id and count). The outbox fixes a
    /// digest's members when it first sends it, so a retry, or a resend after a crash, carries
    /// the same idempotency key.
    package var id: String
    package var ruleID: String
    package var title: String
    /// The highest severity among the alerts.
    package var severity: RuleSeverity
    /// How many alerts the digest stands for.
    package var count: Int
    /// The first alerts, oldest first, at most the `shown` passed to `init`.
    package var alerts: [Alert]
    /// Earliest and latest `eventTime` among all the alerts (ISO 8601, as CloudTrail writes it).
    package var firstEventTime: String?
    package var lastEventTime: String?
    /// Distinct accounts, regions and principals among all the alerts, sorted, at most 10 each.
    package var accounts: [String]
    package var regions: [String]
    package var principals: [String]

    /// A digest of `alerts` (one rule, oldest first; at least one) showing the first `shown`.
    package init(alerts all: [Alert], shown: Int) {
        precondition(!all.isEmpty, "a digest needs at least one alert")
        let first = all[0]
        ruleID = first.ruleID
        title = first.title
        severity = all.map(\.severity).max() ?? first.severity
        count = all.count
        alerts = Array(all.prefix(max(shown, 1)))
        // CloudTrail times are ISO 8601 UTC with a fixed layout, so string order is time order.
        let times = all.compactMap(\.eventTime)
        firstEventTime = times.min()
        lastEventTime = times.max()
        func distinct(_ values: [String?]) -> [String] { Array(Set(values.compactMap { $0 }).sorted().prefix(10)) }
        accounts = distinct(all.map(\.account))
        regions = distinct(all.map(\.region))
        principals = distinct(all.map { $0.principalARN ?? $0.principalName })
        id = AlertDigest.id(firstAlert: first.id, lastAlert: all[all.count - 1].id, count: all.count)
    }

    /// The id of a digest of `count` alerts from `firstAlert` to `lastAlert`: the outbox fixes
    /// a digest's members when it first sends it, so a retry carries the same id.
    package static func id(firstAlert: String, lastAlert: String, count: Int) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("digest".utf8) + [0] + Array(firstAlert.utf8) + [0] + Array(lastAlert.utf8))
        hasher.update(data: [0] + Array(String(count).utf8))
        return Alert.hex(hasher.finalize())
    }
}
