import TrailJSON
package import TrailRules

/// PagerDuty Events API v2 `trigger` events, without the `routing_key`: the rendered bytes are
/// stored in the outbox and the integration key is a secret, so the sink adds it at send time
/// with `withRoutingKey`.
///
/// `dedup_key` is the alert id (the digest id for a digest): a resend after a crash joins the
/// open incident instead of paging again (operations.md §2.4). `custom_details` carries the
/// facts and the whole record as a JSON object, spliced as read. Limits: `summary` ≤ 1,024,
/// `dedup_key` ≤ 255, the whole event ≤ 512 KB. A record that would not fit is sent as a cut
/// string with `record_note` saying so; a digest's alerts are dropped from the end until it fits.
package struct PagerDutyFormat: WebhookFormat {
    /// The whole event, routing key included, in bytes (PagerDuty's 512 KB, counted as 512,000).
    package static let maxEventBytes = 512_000
    /// Room kept for `"routing_key":"…",` (a key is 32 characters; this allows far longer).
    package static let routingKeyRoom = 1_000
    /// `payload.summary`, in characters.
    package static let maxSummary = 1_024
    /// `dedup_key`, in characters (an alert id is 64).
    package static let maxDedupKey = 255
    /// `source`, `component`, `group` and `class` have no documented limit; we keep them short.
    package static let maxShortField = 255
    /// A digest lists at most this many alerts in `custom_details`, and as many links.
    package static let maxDigestAlerts = 10

    /// Templates for the alert's title (in the summary) and extra paragraph (`details`).
    package var templates: AlertTemplates

    /// A PagerDuty format using `templates` for single alerts (digests use the rule title).
    package init(templates: AlertTemplates = .none) {
        self.templates = templates
    }

    /// PagerDuty's severity for a rule's: critical → critical, high → error, medium and low →
    /// warning, info → info.
    package static func severity(_ severity: RuleSeverity) -> String {
        switch severity {
        case .critical: "critical"
        case .high: "error"
        case .medium, .low: "warning"
        case .info: "info"
        }
    }

    /// `payload` with `"routing_key":"<key>",` spliced right after its opening `{`: what the sink
    /// sends. The key is JSON-escaped; a payload that is not an object is returned unchanged.
    package static func withRoutingKey(_ payload: [UInt8], routingKey: String) -> [UInt8] {
        guard payload.first == UInt8(ascii: "{") else { return payload }
        var output: [UInt8] = [UInt8(ascii: "{")]
        output += Array("\"routing_key\":".utf8)
        JSONString.appendQuoted(routingKey, to: &output)
        let rest = payload.dropFirst()
        if rest.first != UInt8(ascii: "}") { output.append(UInt8(ascii: ",")) }
        output += rest
        return output
    }

    /// The trigger event for one alert, record included (or cut, with a note, to fit).
    package func render(_ alert: Alert) -> [UInt8] {
        let facts = AlertFacts(alert, templates: templates)
        let budget = Self.maxEventBytes - Self.routingKeyRoom
        let placeholder = Self.event(facts, record: [("record", .value(.null))])
        let room = budget - placeholder.count + 4  // the record replaces `null`
        if Self.isJSON(alert.record), alert.record.utf8.count <= room {
            return Self.event(facts, record: [("record", .raw(Array(alert.record.utf8)))])
        }
        return Self.event(facts, record: Self.cutRecord(alert.record, facts: facts, budget: budget))
    }

    /// The trigger event for a digest, with the first alerts' facts (as many as fit).
    package func render(_ digest: AlertDigest) -> [UInt8] {
        let facts = DigestFacts(digest)
        let budget = Self.maxEventBytes - Self.routingKeyRoom
        var shown = min(facts.alerts.count, Self.maxDigestAlerts)
        var bytes = Self.event(facts, shown: shown)
        while bytes.count > budget, shown > 0 {
            shown -= 1
            bytes = Self.event(facts, shown: shown)
        }
        return bytes
    }

    // MARK: - Alerts

    private static func event(_ facts: AlertFacts, record: [(key: String, value: SplicedJSON.Value)]) -> [UInt8] {
        let details = SplicedJSON.object(detailMembers(facts) + record)
        let place = [facts.account, facts.region].compactMap { $0 }.joined(separator: "/")
        let payload = payload(
            summary: summary(facts), place: place, severity: facts.severity, timestamp: facts.timestamp,
            component: facts.eventSource, group: facts.account, ruleID: facts.ruleID, details: details)
        let links = facts.consoleLink.map { [($0, "Open in CloudTrail")] } ?? []
        return envelope(dedupKey: facts.alertID, payload: payload, links: links)
    }

    /// The facts' summary cut to leave room for the short id, which always ends it.
    private static func summary(_ facts: AlertFacts) -> String {
        let tag = " (\(facts.shortID))"
        return PayloadText.truncate(facts.summary, to: maxSummary - PayloadText.length(tag)) + tag
    }

    private static func detailMembers(_ facts: AlertFacts) -> [(key: String, value: SplicedJSON.Value)] {
        let fields: [(String, String?)] = [
            ("alert_id", facts.alertID), ("rule", facts.ruleID), ("title", facts.title),
            ("severity", facts.severity.rawValue), ("principal", facts.principal),
            ("principal_type", facts.principalType), ("event_source", facts.eventSource),
            ("event_name", facts.eventName), ("event_time", facts.eventTime), ("event_id", facts.eventID),
            ("account", facts.account), ("region", facts.region), ("source_ip", facts.sourceIP),
            ("user_agent", facts.userAgent), ("error_code", facts.errorCode), ("error_message", facts.errorMessage),
            ("alarm", facts.alarm), ("console_url", facts.consoleLink), ("details", facts.note),
        ]
        return fields.compactMap { key, value in value.map { (key, .value(.string($0))) } }
    }

    /// The record as a string cut to what fits in `budget`, with a note saying why.
    private static func cutRecord(
        _ record: String, facts: AlertFacts, budget: Int
    ) -> [(key: String, value: SplicedJSON.Value)] {
        let note =
            isJSON(record)
            ? "the record (\(record.utf8.count) bytes) is cut to fit PagerDuty's 512 KB event limit"
            : "the record is not valid JSON; it is sent as text"
        func members(_ text: String) -> [(key: String, value: SplicedJSON.Value)] {
            [("record_note", .value(.string(note))), ("record", .value(.string(text)))]
        }
        let room = budget - event(facts, record: members("")).count
        return members(jsonPrefix(record, maxEncodedBytes: room + 2))  // `""` was already counted
    }

    // MARK: - Digests

    private static func event(_ facts: DigestFacts, shown: Int) -> [UInt8] {
        let alerts = facts.alerts.prefix(shown)
        let details = JSONValue.members([
            "digest_id": .string(facts.digestID), "rule": .string(facts.ruleID), "title": .string(facts.title),
            "severity": .string(facts.severity.rawValue), "count": .number(String(facts.count)),
            "first_event_time": .text(facts.firstEventTime), "last_event_time": .text(facts.lastEventTime),
            "accounts": .array(facts.accounts.map(JSONValue.string)),
            "regions": .array(facts.regions.map(JSONValue.string)),
            "principals": .array(facts.principals.map(JSONValue.string)),
            "shown": .number(String(alerts.count)), "alerts": .array(alerts.map(digestEntry)),
        ])
        // Source and group name one account (and region) only when the digest has just one.
        let account = facts.accounts.count == 1 ? facts.accounts.first : nil
        let region = facts.regions.count == 1 ? facts.regions.first : nil
        let payload = payload(
            summary: PayloadText.truncate(facts.headline, to: maxSummary),
            place: [account, region].compactMap { $0 }.joined(separator: "/"), severity: facts.severity,
            timestamp: facts.timestamp, component: nil, group: account, ruleID: facts.ruleID, details: details.bytes)
        let links = alerts.compactMap { alert in
            alert.consoleLink.map { ($0, "Alert \(alert.shortID) in CloudTrail") }
        }
        return envelope(dedupKey: facts.digestID, payload: payload, links: links)
    }

    /// One listed alert of a digest: its facts, each cut shorter than a single alert's.
    private static func digestEntry(_ facts: AlertFacts) -> JSONValue {
        .object(
            detailMembers(facts).compactMap { key, value in
                guard case .value(.string(let text)) = value else { return nil }
                return JSONValue.Member(key, .string(PayloadText.truncate(text, to: 1_024)))
            })
    }

    // MARK: - Shared

    /// `payload`: PagerDuty's own fields (absent ones left out), then `custom_details` as given.
    private static func payload(
        summary: String, place: String, severity rule: RuleSeverity, timestamp: String?, component: String?,
        group: String?, ruleID: String, details: [UInt8]
    ) -> [UInt8] {
        let fields = JSONValue.memberList([
            "summary": .string(summary), "source": .string(short(place.isEmpty ? "trailhound" : place)),
            "severity": .string(severity(rule)), "timestamp": .text(timestamp),
            "component": .text(component.map(short)),
            "group": .text(group.map(short)), "class": .string(short(ruleID)),
        ])
        return SplicedJSON.object(fields.map { ($0.key, .value($0.value)) } + [("custom_details", .raw(details))])
    }

    /// `{"event_action":"trigger","dedup_key":…,"payload":{…},"links":[…],"client":"trailhound"}`.
    private static func envelope(dedupKey: String, payload: [UInt8], links: [(href: String, text: String)]) -> [UInt8] {
        let links = links.map { JSONValue.members(["href": .string($0.href), "text": .string($0.text)]) }
        return SplicedJSON.object([
            ("event_action", .value(.string("trigger"))),
            ("dedup_key", .value(.string(String(dedupKey.prefix(maxDedupKey))))), ("payload", .raw(payload)),
            ("links", .value(.array(links))), ("client", .value(.string("trailhound"))),
        ])
    }

    private static func short(_ text: String) -> String { PayloadText.truncate(text, to: maxShortField) }

    /// Whether `text` is one valid JSON value (the record is spliced raw only if it is, because
    /// one invalid byte would make PagerDuty refuse the event for good).
    private static func isJSON(_ text: String) -> Bool {
        let projection = JSONProjection(paths: [])
        var fields = projection.makeFields()
        return Array(text.utf8).withUnsafeBytes { (try? projection.project($0, into: &fields)) != nil }
    }

    /// `text` if it takes at most `maxEncodedBytes` as a JSON string (quotes included), else its
    /// longest prefix of whole scalars that, followed by `…`, does.
    private static func jsonPrefix(_ text: String, maxEncodedBytes: Int) -> String {
        func width(_ scalar: Unicode.Scalar) -> Int {
            switch scalar.value {
            case 0x22, 0x5C, 0x09, 0x0A, 0x0D: 2  // as `JSONString.appendQuoted` writes them
            case 0..<0x20: 6
            default: UTF8.width(scalar)
            }
        }
        if text.unicodeScalars.reduce(2, { $0 + width($1) }) <= maxEncodedBytes { return text }
        var used = 2 + UTF8.width("…")
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            used += width(scalar)
            if used > maxEncodedBytes { break }
            result.append(scalar)
        }
        return String(result) + PayloadText.ellipsis
    }
}
