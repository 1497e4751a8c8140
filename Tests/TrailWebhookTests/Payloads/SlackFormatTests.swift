import Testing
import TrailJSON
import TrailRules
import TrailWebhook

/// Slack Block Kit payloads: the exact layout, Slack's limits under hostile records, digests.
struct SlackFormatTests {
    typealias F = PayloadFixtures

    @Test("an alert renders as header, fact fields, error section, console button and footer")
    func goldenAlert() throws {
        let rendered = String(decoding: SlackFormat().render(F.deniedIngress), as: UTF8.self)
        let expected = #"""
            {
                "text": "[MEDIUM] Unauthorized API calls: ec2.amazonaws.com AuthorizeSecurityGroupIngress by arn:aws:sts::111122223333:assumed-role/Deployer/bob in 111122223333 eu-west-1 (8dca5d3b)",
                "blocks": [
                    {
                        "type": "header",
                        "text": {
                            "type": "plain_text",
                            "text": "MEDIUM · Unauthorized API calls"
                        }
                    },
                    {
                        "type": "section",
                        "fields": [
                            {
                                "type": "mrkdwn",
                                "text": "*Who*\narn:aws:sts::111122223333:assumed-role/Deployer/bob (AssumedRole)"
                            },
                            {
                                "type": "mrkdwn",
                                "text": "*What*\nec2.amazonaws.com AuthorizeSecurityGroupIngress"
                            },
                            {
                                "type": "mrkdwn",
                                "text": "*Where*\naccount 111122223333 · eu-west-1 · from 203.0.113.9"
                            },
                            {
                                "type": "mrkdwn",
                                "text": "*When*\n2026-11-22T10:05:00Z"
                            }
                        ]
                    },
                    {
                        "type": "section",
                        "text": {
                            "type": "mrkdwn",
                            "text": "*Error*\nClient.UnauthorizedOperation: You are not authorized to perform this operation."
                        }
                    },
                    {
                        "type": "actions",
                        "elements": [
                            {
                                "type": "button",
                                "text": {
                                    "type": "plain_text",
                                    "text": "Open in CloudTrail"
                                },
                                "url": "https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/9f8e7d6c-5b4a-4321-8fed-cba987654321"
                            }
                        ]
                    },
                    {
                        "type": "context",
                        "elements": [
                            {
                                "type": "mrkdwn",
                                "text": "rule cis-3.1-unauthorized-api-calls · alert 8dca5d3b"
                            }
                        ]
                    }
                ]
            }
            """#
        #expect(rendered == (try F.compact(expected)))
    }

    @Test("a digest renders its span and spread as fields and its first alerts one line each")
    func goldenDigest() throws {
        let digest = AlertDigest(alerts: F.manyAlerts(3), shown: 2)
        let rendered = String(decoding: SlackFormat().render(digest), as: UTF8.self)
        let expected = #"""
            {
                "text": "[HIGH] 3× Console sign-in without MFA (digest ef8605fb)",
                "blocks": [
                    {
                        "type": "header",
                        "text": {
                            "type": "plain_text",
                            "text": "HIGH · 3× Console sign-in without MFA"
                        }
                    },
                    {
                        "type": "section",
                        "fields": [
                            {
                                "type": "mrkdwn",
                                "text": "*When*\n2026-11-22T11:00:00Z – 2026-11-22T11:00:02Z"
                            },
                            {
                                "type": "mrkdwn",
                                "text": "*Accounts*\n111122223330, 111122223331, 111122223332"
                            },
                            {
                                "type": "mrkdwn",
                                "text": "*Regions*\neu-west-1, us-east-1"
                            }
                        ]
                    },
                    {
                        "type": "section",
                        "text": {
                            "type": "mrkdwn",
                            "text": "*Principals*\narn:aws:iam::111122223333:user/user0, arn:aws:iam::111122223333:user/user1, arn:aws:iam::111122223333:user/user2"
                        }
                    },
                    {
                        "type": "section",
                        "text": {
                            "type": "mrkdwn",
                            "text": "*First 2 of 3 alerts*\n• 2026-11-22T11:00:00Z · arn:aws:iam::111122223333:user/user0 · ConsoleLogin · 111122223330 us-east-1 · 202d6dfa\n• 2026-11-22T11:00:01Z · arn:aws:iam::111122223333:user/user1 · ConsoleLogin · 111122223331 eu-west-1 · 5d812101"
                        }
                    },
                    {
                        "type": "context",
                        "elements": [
                            {
                                "type": "mrkdwn",
                                "text": "rule cis-3.2-console-login-without-mfa · digest ef8605fb of 3 alerts"
                            }
                        ]
                    }
                ]
            }
            """#
        #expect(rendered == (try F.compact(expected)))
    }

    @Test("an alarm alert says how many matches in which window, in a section of its own")
    func alarmContext() throws {
        let alert = F.deniedIngress.firing(
            group: "203.0.113.9", windowStart: 1_795_860_000, windowEnd: 1_795_860_300, count: 12)
        let blocks = F.array(try F.parse(SlackFormat().render(alert))["blocks"])
        let texts = blocks.compactMap { F.string($0["text"]?["text"]) }
        #expect(
            texts.contains(
                "*Alarm*\n12 matches for 203.0.113.9 between 2026-11-28T10:00:00Z and 2026-11-28T10:05:00Z"))
    }

    @Test("a hostile record stays within every Slack limit, escaped, as valid JSON")
    func hostileLimits() throws {
        let format = SlackFormat(templates: F.hostileTemplates)
        let message = try F.parse(format.render(F.hostile()))
        try Self.expectWithinLimits(message)
        let blocks = F.array(message["blocks"])
        // The texts were long enough that the total had to be shrunk to the budget.
        #expect(SlackFormat.textLength(.array(blocks)) > SlackFormat.maxBlockText / 2)
        #expect(F.string(blocks.first?["text"]?["text"])?.hasSuffix("…") == true)
        #expect(F.string(message["text"])?.hasSuffix("(\(F.hostile().id.prefix(8)))") == true)
        // The 5,000-character region makes the console link too long to be valid: it is left out.
        #expect(!blocks.contains { $0["type"] == .string("actions") })
    }

    @Test("an odd event id is percent-encoded in the console button rather than breaking the link")
    func oddEventID() throws {
        let record = F.deniedIngressRecord.replacing(
            "9f8e7d6c-5b4a-4321-8fed-cba987654321", with: #"x>|<!channel> \"q\" #frag#2 é"#)
        let blocks = F.array(try F.parse(SlackFormat().render(F.alert(F.unauthorizedRule, record)))["blocks"])
        let button = F.array(blocks.first { $0["type"] == .string("actions") }?["elements"]).first
        #expect(
            F.string(button?["url"])
                == "https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1"
                + "#/events/x%3E%7C%3C!channel%3E%20%22q%22%20%23frag%232%20%C3%A9")
    }

    @Test("a digest of hostile alerts lists what fits in a section and says how many more")
    func hostileDigest() throws {
        let digest = AlertDigest(alerts: Array(repeating: F.hostile(), count: 50), shown: 50)
        let message = try F.parse(SlackFormat().render(digest))
        try Self.expectWithinLimits(message)
        let texts = F.array(message["blocks"]).compactMap { F.string($0["text"]?["text"]) }
        let list = try #require(texts.first { $0.hasPrefix("*First 20 of 50 alerts*") })
        #expect(list.hasSuffix(" more") && list.contains("\n…and "))
    }

    @Test("a digest of 500 alerts shown 10 lists 10 lines and counts all 500")
    func digestOfFiveHundred() throws {
        let digest = AlertDigest(alerts: F.manyAlerts(), shown: 10)
        let message = try F.parse(SlackFormat().render(digest))
        try Self.expectWithinLimits(message)
        let blocks = F.array(message["blocks"])
        #expect(F.string(blocks.first?["text"]?["text"]) == "HIGH · 500× Console sign-in without MFA")
        let list = try #require(blocks.compactMap { F.string($0["text"]?["text"]) }.first { $0.hasPrefix("*First") })
        #expect(list.hasPrefix("*First 10 of 500 alerts*\n"))
        #expect(list.split(separator: "\n").filter { $0.hasPrefix("• ") }.count == 10)
        let footer = F.string(F.array(blocks.last?["elements"]).first?["text"])
        #expect(footer == "rule cis-3.2-console-login-without-mfa · digest \(digest.id.prefix(8)) of 500 alerts")
    }

    /// Every documented Slack limit, and no unescaped `<`, `>` or `&` in any mrkdwn text.
    static func expectWithinLimits(_ message: JSONValue) throws {
        typealias F = PayloadFixtures
        let fallback = try #require(F.string(message["text"]))
        #expect(F.length(fallback) <= SlackFormat.maxFallbackText && F.length(fallback) <= 40_000)
        let blocks = F.array(message["blocks"])
        #expect(!blocks.isEmpty && blocks.count <= SlackFormat.maxBlocks)
        var mrkdwn = [fallback]
        var total = 0
        for block in blocks {
            switch F.string(block["type"]) {
            case "header":
                let text = try #require(F.string(block["text"]?["text"]))
                #expect(block["text"]?["type"] == .string("plain_text"))
                #expect(!text.isEmpty && F.length(text) <= SlackFormat.maxHeaderText)
                total += F.length(text)
            case "section":
                if let text = F.string(block["text"]?["text"]) {
                    #expect(!text.isEmpty && F.length(text) <= SlackFormat.maxSectionText)
                    mrkdwn.append(text)
                    total += F.length(text)
                }
                let fields = F.array(block["fields"])
                #expect(fields.count <= SlackFormat.maxFields)
                for field in fields {
                    let text = try #require(F.string(field["text"]))
                    #expect(!text.isEmpty && F.length(text) <= SlackFormat.maxFieldText)
                    mrkdwn.append(text)
                    total += F.length(text)
                }
            case "actions":
                let button = try #require(F.array(block["elements"]).first)
                let url = try #require(F.string(button["url"]))
                #expect(url.utf8.count <= SlackFormat.maxButtonURL && url.hasPrefix("https://"))
                #expect(!url.contains { " <>|\"".contains($0) })
                total += F.length(F.string(button["text"]?["text"]))
            case "context":
                for element in F.array(block["elements"]) {
                    let text = try #require(F.string(element["text"]))
                    #expect(F.length(text) <= SlackFormat.maxSectionText)
                    mrkdwn.append(text)
                    total += F.length(text)
                }
            default:
                Issue.record("unexpected block \(block)")
            }
        }
        #expect(total <= 12_000 && total <= SlackFormat.maxBlockText)
        for text in mrkdwn {
            #expect(!text.contains("<") && !text.contains(">"), "unescaped < or > in \(text.prefix(80))")
            let ampersands = text.split(separator: "&", omittingEmptySubsequences: false).dropFirst()
            #expect(ampersands.allSatisfy { $0.hasPrefix("amp;") || $0.hasPrefix("lt;") || $0.hasPrefix("gt;") })
            #expect(!text.unicodeScalars.contains("\u{202E}") && !text.unicodeScalars.contains("\u{0}"))
        }
    }
}
