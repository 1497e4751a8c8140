import Testing
import TrailJSON
import TrailRules
import TrailWebhook

/// PagerDuty Events API v2 payloads: no secret in the stored bytes, the record spliced, the
/// 512 KB limit, the routing key added at send time, digests.
struct PagerDutyFormatTests {
    typealias F = PayloadFixtures

    @Test("an alert renders as a trigger with dedup_key = alert id and the record as an object")
    func goldenAlert() throws {
        let rendered = String(decoding: PagerDutyFormat().render(F.consoleLogin), as: UTF8.self)
        let expected = #"""
            {
                "event_action": "trigger",
                "dedup_key": "387cd7b33cce37cbb9b67570e144e104c611711917ce17f25acbcbe029e92d9e",
                "payload": {
                    "summary": "Console sign-in without MFA: signin.amazonaws.com ConsoleLogin by arn:aws:iam::111122223333:user/alice in 111122223333 us-east-1 (387cd7b3)",
                    "source": "111122223333/us-east-1",
                    "severity": "error",
                    "timestamp": "2026-11-22T10:01:12Z",
                    "component": "signin.amazonaws.com",
                    "group": "111122223333",
                    "class": "cis-3.2-console-login-without-mfa",
                    "custom_details": {
                        "alert_id": "387cd7b33cce37cbb9b67570e144e104c611711917ce17f25acbcbe029e92d9e",
                        "rule": "cis-3.2-console-login-without-mfa",
                        "title": "Console sign-in without MFA",
                        "severity": "high",
                        "principal": "arn:aws:iam::111122223333:user/alice",
                        "principal_type": "IAMUser",
                        "event_source": "signin.amazonaws.com",
                        "event_name": "ConsoleLogin",
                        "event_time": "2026-11-22T10:01:12Z",
                        "event_id": "3b1a5c2e-8f4d-4e6a-9c1b-2d7e5f8a9b0c",
                        "account": "111122223333",
                        "region": "us-east-1",
                        "source_ip": "198.51.100.7",
                        "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
                        "console_url": "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/3b1a5c2e-8f4d-4e6a-9c1b-2d7e5f8a9b0c",
                        "record": {
                            "eventVersion": "1.09",
                            "userIdentity": {
                                "type": "IAMUser",
                                "principalId": "AIDAEXAMPLEALICE",
                                "arn": "arn:aws:iam::111122223333:user/alice",
                                "accountId": "111122223333",
                                "userName": "alice"
                            },
                            "eventTime": "2026-11-22T10:01:12Z",
                            "eventSource": "signin.amazonaws.com",
                            "eventName": "ConsoleLogin",
                            "awsRegion": "us-east-1",
                            "sourceIPAddress": "198.51.100.7",
                            "userAgent": "Mozilla/5.0 (X11; Linux x86_64)",
                            "requestParameters": null,
                            "responseElements": {
                                "ConsoleLogin": "Success"
                            },
                            "additionalEventData": {
                                "LoginTo": "https://console.aws.amazon.com/console/home",
                                "MobileVersion": "No",
                                "MFAUsed": "No"
                            },
                            "eventID": "3b1a5c2e-8f4d-4e6a-9c1b-2d7e5f8a9b0c",
                            "readOnly": false,
                            "eventType": "AwsConsoleSignIn",
                            "managementEvent": true,
                            "recipientAccountId": "111122223333",
                            "eventCategory": "Management"
                        }
                    }
                },
                "links": [
                    {
                        "href": "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/3b1a5c2e-8f4d-4e6a-9c1b-2d7e5f8a9b0c",
                        "text": "Open in CloudTrail"
                    }
                ],
                "client": "trailhound"
            }
            """#
        #expect(rendered == (try F.compact(expected)))
        #expect(!rendered.contains("routing_key"))
    }

    @Test(
        "rule severities map to PagerDuty's",
        arguments: [
            (RuleSeverity.critical, "critical"), (.high, "error"), (.medium, "warning"), (.low, "warning"),
            (.info, "info"),
        ])
    func severities(_ severity: RuleSeverity, _ expected: String) throws {
        var alert = F.consoleLogin
        alert.severity = severity
        #expect(PagerDutyFormat.severity(severity) == expected)
        #expect(try F.parse(PagerDutyFormat().render(alert))["payload"]?["severity"] == .string(expected))
    }

    @Test("the routing key is spliced in first, JSON-escaped, at send time")
    func routingKey() throws {
        let stored = PagerDutyFormat().render(F.consoleLogin)
        let key = "R0UT1NGKEY0123456789abcdef\"\\xyz"
        let sent = PagerDutyFormat.withRoutingKey(stored, routingKey: key)
        #expect(
            String(decoding: sent, as: UTF8.self).hasPrefix(#"{"routing_key":"R0UT1NGKEY0123456789abcdef\"\\xyz","#))
        let event = try F.parse(sent)
        #expect(F.keys(event).first == "routing_key" && event["routing_key"] == .string(key))
        #expect(Array(sent.dropFirst(sent.count - stored.count + 1)) == Array(stored.dropFirst()))
        #expect(
            PagerDutyFormat.withRoutingKey(Array("{}".utf8), routingKey: "k") == Array(#"{"routing_key":"k"}"#.utf8))
    }

    @Test("a 600 KB record is sent as a cut string with a note, and the event stays under 512 KB")
    func hugeRecord() throws {
        let alert = F.hostile(padding: 600_000)
        #expect(alert.record.utf8.count > 600_000)
        let stored = PagerDutyFormat(templates: F.hostileTemplates).render(alert)
        let sent = PagerDutyFormat.withRoutingKey(stored, routingKey: "0123456789abcdef0123456789abcdef")
        #expect(sent.count <= PagerDutyFormat.maxEventBytes && sent.count <= 512 * 1_000)
        #expect(sent.count > PagerDutyFormat.maxEventBytes - PagerDutyFormat.routingKeyRoom - 100)  // uses the room
        let event = try F.parse(sent)
        try Self.expectWithinLimits(event, dedupKey: alert.id)
        let details = try #require(event["payload"]?["custom_details"])
        let record = try #require(F.string(details["record"]))
        #expect(record.hasPrefix(#"{"userIdentity":{"type":"IAMUser\n"#) && record.hasSuffix("…"))
        #expect(F.string(details["record_note"])?.contains("512 KB") == true)
        #expect(F.length(F.string(details["error_message"])) <= 4_096)
        #expect(F.string(details["details"]) != nil)  // the text template's paragraph
    }

    @Test("a record that is not JSON is sent as text rather than spliced into invalid JSON")
    func invalidRecord() throws {
        var alert = F.consoleLogin
        alert.record = #"{"eventName":"ConsoleLogin","#
        let details = try F.parse(PagerDutyFormat().render(alert))["payload"]?["custom_details"]
        #expect(details?["record"] == .string(#"{"eventName":"ConsoleLogin","#))
        #expect(F.string(details?["record_note"])?.contains("not valid JSON") == true)
    }

    @Test("a digest of 500 alerts shown 10 dedups on the digest id and details the first 10")
    func digestOfFiveHundred() throws {
        let digest = AlertDigest(alerts: F.manyAlerts(), shown: 10)
        let event = try F.parse(PagerDutyFormat().render(digest))
        try Self.expectWithinLimits(event, dedupKey: digest.id)
        let payload = try #require(event["payload"])
        #expect(payload["summary"] == .string("500× Console sign-in without MFA"))
        #expect(payload["timestamp"] == .string("2026-11-22T11:00:00Z"))
        let details = try #require(payload["custom_details"])
        #expect(details["count"] == .number("500") && details["shown"] == .number("10"))
        #expect(details["first_event_time"] == .string("2026-11-22T11:00:00Z"))
        #expect(details["last_event_time"] == .string("2026-11-22T11:08:19Z"))
        #expect(F.array(details["accounts"]).count == 3 && F.array(details["principals"]).count == 7)
        let alerts = F.array(details["alerts"])
        #expect(alerts.compactMap { F.string($0["alert_id"]) } == digest.alerts.map(\.id))
        #expect(F.array(event["links"]).count == 10)
    }

    @Test("a digest of hostile alerts stays under 512 KB with at most 10 alerts detailed")
    func hostileDigest() throws {
        let digest = AlertDigest(alerts: Array(repeating: F.hostile(padding: 600_000), count: 30), shown: 30)
        let stored = PagerDutyFormat().render(digest)
        #expect(stored.count <= PagerDutyFormat.maxEventBytes - PagerDutyFormat.routingKeyRoom)
        let event = try F.parse(stored)
        try Self.expectWithinLimits(event, dedupKey: digest.id)
        let details = event["payload"]?["custom_details"]
        #expect(F.array(details?["alerts"]).count == PagerDutyFormat.maxDigestAlerts)
        #expect(details?["count"] == .number("30") && details?["shown"] == .number("10"))
    }

    @Test("a digest whose alerts' facts alone exceed 512 KB details fewer alerts, and says how many")
    func digestDropsAlertsToFit() throws {
        // Four UTF-8 bytes a character: 10 alerts × 18 facts × 1,024 characters is over 700 KB.
        let wide = String(repeating: "😀", count: 5_000)
        var alert = F.consoleLogin
        for field in [
            \Alert.principalARN, \.principalType, \.eventSource, \.eventName, \.eventTime, \.eventID, \.account,
            \.region, \.sourceIPAddress, \.userAgent, \.errorCode, \.errorMessage,
        ] {
            alert[keyPath: field] = wide
        }
        alert.title = wide
        let digest = AlertDigest(alerts: Array(repeating: alert, count: 12), shown: 12)
        let stored = PagerDutyFormat().render(digest)
        #expect(stored.count <= PagerDutyFormat.maxEventBytes - PagerDutyFormat.routingKeyRoom)
        let details = try F.parse(stored)["payload"]?["custom_details"]
        let shown = F.array(details?["alerts"]).count
        #expect(shown > 0 && shown < PagerDutyFormat.maxDigestAlerts)
        #expect(details?["shown"] == .number(String(shown)) && details?["count"] == .number("12"))
    }

    /// The documented PagerDuty limits and required members.
    static func expectWithinLimits(_ event: JSONValue, dedupKey: String) throws {
        typealias F = PayloadFixtures
        #expect(event["event_action"] == .string("trigger") && event["client"] == .string("trailhound"))
        #expect(event["dedup_key"] == .string(dedupKey) && dedupKey.count <= PagerDutyFormat.maxDedupKey)
        let payload = try #require(event["payload"])
        let summary = try #require(F.string(payload["summary"]))
        #expect(!summary.isEmpty && F.length(summary) <= PagerDutyFormat.maxSummary)
        #expect(F.string(payload["source"]).map { !$0.isEmpty && F.length($0) <= 255 } == true)
        #expect(["critical", "error", "warning", "info"].contains(F.string(payload["severity"]) ?? ""))
        for key in ["component", "group", "class"] {
            if let value = payload[key] { #expect(F.length(F.string(value)) <= PagerDutyFormat.maxShortField) }
        }
        if let timestamp = F.string(payload["timestamp"]) { #expect(timestamp.count == 20 && timestamp.hasSuffix("Z")) }
        for link in F.array(event["links"]) { #expect(F.string(link["href"])?.hasPrefix("https://") == true) }
    }
}
