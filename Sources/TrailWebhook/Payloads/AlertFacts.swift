package import TrailRules

/// The who, what, where and when of one alert, derived once and shared by every format, so that
/// Slack, Teams, Discord and PagerDuty tell the same story in the same words.
///
/// Every text is made safe for one line (`PayloadText.oneLine`) and cut to `maxValue` scalars:
/// a record can carry a 100 KB error message, and no chat message wants more than a few
/// thousand characters of it (PagerDuty still gets the whole record).
package struct AlertFacts: Sendable, Hashable {
    /// One labelled fact ("Who", "arn:aws:iam::…").
    package struct Fact: Sendable, Hashable {
        /// The fact's name: "Who", "What", "Where", "When", "Error", "Alarm".
        package var label: String
        /// What the alert says about it, safe for one line.
        package var value: String
        /// A long fact (an error, an alarm) that deserves a line of its own rather than a column.
        package var wide: Bool

        /// A fact; `wide` for one that deserves a line of its own.
        package init(_ label: String, _ value: String, wide: Bool = false) {
            self.label = label
            self.value = value
            self.wide = wide
        }
    }

    /// The most scalars any single fact keeps.
    package static let maxValue = 4_096
    /// The most scalars the console link may have; a longer one is dropped rather than cut,
    /// because a cut link leads nowhere.
    package static let maxLinkLength = 2_000

    /// The alert's id (hex SHA-256), the idempotency key.
    package var alertID: String
    /// The first 8 hex digits of the alert id: enough for people to spot a repeat.
    package var shortID: String
    /// The rule that fired.
    package var ruleID: String
    /// The rule title, or what the operator's title template made of it.
    package var title: String
    /// The rule's severity.
    package var severity: RuleSeverity
    /// The principal's ARN, else its name, else its type, else "unknown principal".
    package var principal: String
    /// `userIdentity.type`: IAMUser, AssumedRole, Root, ….
    package var principalType: String?
    /// The principal followed by its type in parentheses, when both are known and differ.
    package var who: String
    /// The AWS service, e.g. `ec2.amazonaws.com`.
    package var eventSource: String?
    /// The API call, e.g. `AuthorizeSecurityGroupIngress`.
    package var eventName: String?
    /// `eventSource eventName`, e.g. `signin.amazonaws.com ConsoleLogin`.
    package var what: String
    /// Why the call failed, when it did, e.g. `AccessDenied`.
    package var errorCode: String?
    /// AWS's explanation of the failure.
    package var errorMessage: String?
    /// `errorCode: errorMessage`, when the call failed.
    package var error: String?
    /// The account the event happened in.
    package var account: String?
    /// The event's region.
    package var region: String?
    /// Where the call came from (an address or an AWS service name).
    package var sourceIP: String?
    /// `account 111122223333 · eu-west-1 · from 198.51.100.7`.
    package var location: String
    /// The event time as the record wrote it.
    package var eventTime: String?
    /// The event time as written, or "unknown time".
    package var when: String
    /// The event time as strict ISO 8601 UTC (`YYYY-MM-DDTHH:MM:SSZ`), when it parses: what
    /// Discord's `timestamp` and PagerDuty's accept.
    package var timestamp: String?
    /// CloudTrail's event id.
    package var eventID: String?
    /// The caller's user agent.
    package var userAgent: String?
    /// The CloudTrail console link, percent-encoded where the record put odd characters in it.
    package var consoleLink: String?
    /// `12 matches for 198.51.100.7 between … and …`, for an alarm rule's alert.
    package var alarm: String?
    /// An operator's extra paragraph from the text template, if any.
    package var note: String?

    /// The facts of `alert`, with `templates` applied to the title and the extra paragraph.
    package init(_ alert: Alert, templates: AlertTemplates = .none) {
        // A blank value counts as absent: Slack and Discord reject an empty text or field.
        func clean(_ text: String?) -> String? {
            guard let text, !PayloadText.trimmed(text).isEmpty else { return nil }
            return PayloadText.truncate(PayloadText.oneLine(text), to: AlertFacts.maxValue)
        }
        alertID = alert.id
        shortID = String(alert.id.prefix(8))
        ruleID = clean(alert.ruleID) ?? "unknown rule"
        title = clean(templates.title(for: alert)) ?? ruleID
        severity = alert.severity
        let principalType = clean(alert.principalType)
        let principal = clean(alert.principalARN ?? alert.principalName ?? alert.principalType) ?? "unknown principal"
        self.principalType = principalType
        self.principal = principal
        who = principalType.map { $0 == principal ? principal : "\(principal) (\($0))" } ?? principal
        eventSource = clean(alert.eventSource)
        eventName = clean(alert.eventName)
        what = [eventSource, eventName].compactMap { $0 }.joined(separator: " ")
        if what.isEmpty { what = "unknown event" }
        errorCode = clean(alert.errorCode)
        errorMessage = clean(alert.errorMessage)
        error = AlertFacts.error(code: errorCode, message: errorMessage)
        account = clean(alert.account)
        region = clean(alert.region)
        sourceIP = clean(alert.sourceIPAddress)
        location = AlertFacts.location(account: account, region: region, sourceIP: sourceIP)
        eventTime = clean(alert.eventTime)
        when = eventTime ?? "unknown time"
        timestamp = AlertFacts.timestamp(alert.eventTime)
        eventID = clean(alert.eventID)
        userAgent = clean(alert.userAgent)
        consoleLink = alert.consoleURL.flatMap(AlertFacts.safeLink)
        alarm = alert.alarm.flatMap {
            clean("\($0.count) matches for \($0.group) between \($0.windowStart) and \($0.windowEnd)")
        }
        note = templates.text(for: alert).map { PayloadText.truncate($0, to: AlertFacts.maxValue) }
    }

    /// Who, what, where and when, then the error and the alarm when there are any.
    package var facts: [Fact] {
        var facts = [Fact("Who", who), Fact("What", what), Fact("Where", location), Fact("When", when)]
        if let error { facts.append(Fact("Error", error, wide: true)) }
        if let alarm { facts.append(Fact("Alarm", alarm, wide: true)) }
        return facts
    }

    /// One line for a chat notification or a page: title, event, principal and place (formats
    /// add the short id after it, so that a cut never loses the id).
    package var summary: String {
        let principal = PayloadText.truncate(principal, to: 200)
        let place = [account, region].compactMap { $0 }.joined(separator: " ")
        let title = PayloadText.truncate(title, to: 200)
        return "\(title): \(PayloadText.truncate(what, to: 200)) by \(principal)"
            + (place.isEmpty ? "" : " in \(PayloadText.truncate(place, to: 100))")
    }

    /// The alert as one line of a digest's list: time, principal, event, place and short id.
    package var line: String {
        let parts = [
            when, principal, eventName ?? what, [account, region].compactMap { $0 }.joined(separator: " "), shortID,
        ]
        return parts.filter { !$0.isEmpty }.map { PayloadText.truncate($0, to: 120) }.joined(separator: " · ")
    }

    /// Where the footer points: the rule and the alert's short id.
    package var footer: String { "rule \(PayloadText.truncate(ruleID, to: 200)) · alert \(shortID)" }

    private static func error(code: String?, message: String?) -> String? {
        switch (code, message) {
        case (let code?, let message?): "\(code): \(message)"
        case (let code?, nil): code
        case (nil, let message?): message
        case (nil, nil): nil
        }
    }

    private static func location(account: String?, region: String?, sourceIP: String?) -> String {
        let parts = [account.map { "account \($0)" }, region, sourceIP.map { "from \($0)" }].compactMap { $0 }
        return parts.isEmpty ? "unknown" : parts.joined(separator: " · ")
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for a parseable CloudTrail time; nil otherwise, because providers
    /// reject a malformed timestamp with a 400 and the alert would never be delivered.
    package static func timestamp(_ eventTime: String?) -> String? {
        guard let eventTime, let seconds = AlarmEvaluator.seconds(fromEventTime: eventTime) else { return nil }
        return Alert.isoTime(seconds)
    }

    /// `url` with every byte outside RFC 3986's unreserved and reserved sets percent-encoded (and
    /// `[`, `]`, and any `#` after the first), or nil when it is not https or is longer than
    /// `maxLinkLength`. The console link embeds the record's `eventID` as is; providers reject a
    /// payload whose link is not a valid URL, which would make one odd record undeliverable.
    package static func safeLink(_ url: String) -> String? {
        guard url.hasPrefix("https://") else { return nil }
        let digits = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        var seenFragment = false
        for byte in url.utf8 {
            if linkBytes.contains(byte) || (byte == UInt8(ascii: "#") && !seenFragment) {
                seenFragment = seenFragment || byte == UInt8(ascii: "#")
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            }
            if encoded.count > maxLinkLength { return nil }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    /// Unreserved and reserved URL characters, except `#` (which `safeLink` treats itself) and
    /// `[` `]` (valid only around an IPv6 host).
    private static let linkBytes: Set<UInt8> = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?@!$&'()*+,;=".utf8)
}
