import Testing
import TrailJSON
import TrailRules
import TrailWebhook

/// Discord webhook payloads: the embed layout, Discord's limits and mention safety, digests.
struct DiscordFormatTests {
    typealias F = PayloadFixtures

    @Test("an alert renders as a content line and one embed with fields, footer and timestamp")
    func goldenAlert() throws {
        let rendered = String(decoding: DiscordFormat().render(F.deniedIngress), as: UTF8.self)
        let expected = #"""
            {
                "content": "**MEDIUM** Unauthorized API calls: ec2.amazonaws.com AuthorizeSecurityGroupIngress by arn:aws:sts::111122223333:assumed-role/Deployer/bob in 111122223333 eu-west-1 (8dca5d3b)",
                "embeds": [
                    {
                        "title": "MEDIUM · Unauthorized API calls",
                        "url": "https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/9f8e7d6c-5b4a-4321-8fed-cba987654321",
                        "color": 15512110,
                        "fields": [
                            {
                                "name": "Who",
                                "value": "arn:aws:sts::111122223333:assumed-role/Deployer/bob (AssumedRole)",
                                "inline": true
                            },
                            {
                                "name": "What",
                                "value": "ec2.amazonaws.com AuthorizeSecurityGroupIngress",
                                "inline": true
                            },
                            {
                                "name": "Where",
                                "value": "account 111122223333 · eu-west-1 · from 203.0.113.9",
                                "inline": true
                            },
                            {
                                "name": "When",
                                "value": "2026-11-22T10:05:00Z",
                                "inline": true
                            },
                            {
                                "name": "Error",
                                "value": "Client.UnauthorizedOperation: You are not authorized to perform this operation.",
                                "inline": false
                            }
                        ],
                        "footer": {
                            "text": "rule cis-3.1-unauthorized-api-calls · alert 8dca5d3b"
                        },
                        "timestamp": "2026-11-22T10:05:00Z"
                    }
                ],
                "allowed_mentions": {
                    "parse": []
                }
            }
            """#
        #expect(rendered == (try F.compact(expected)))
    }

    @Test("a hostile record stays within every Discord limit, pings nobody and forges no link")
    func hostileLimits() throws {
        let message = try F.parse(DiscordFormat(templates: F.hostileTemplates).render(F.hostile()))
        let embed = try Self.expectWithinLimits(message)
        // The texts were long enough that the embed total had to be shrunk to 6,000.
        #expect(DiscordFormat.embedLength(embed) > DiscordFormat.maxEmbedTotal - 1_000)
        #expect(embed["timestamp"] == nil)  // "yesterday …" is not a time Discord accepts
        for text in F.allStrings(message) {
            #expect(!text.contains("[x](https"), "a masked link survived: \(text.prefix(80))")
            #expect(!text.unicodeScalars.contains("\u{202E}") && !text.unicodeScalars.contains("\u{0}"))
        }
        #expect(F.string(message["content"])?.hasSuffix("(\(F.hostile().id.prefix(8)))") == true)
    }

    @Test("a digest of hostile alerts stays within every Discord limit")
    func hostileDigest() throws {
        let digest = AlertDigest(alerts: Array(repeating: F.hostile(), count: 50), shown: 50)
        let embed = try Self.expectWithinLimits(try F.parse(DiscordFormat().render(digest)))
        #expect(F.string(embed["description"])?.hasPrefix("**First 20 of 50 alerts**") == true)
    }

    @Test("a digest of 500 alerts shown 10 lists 10 lines and counts all 500")
    func digestOfFiveHundred() throws {
        let digest = AlertDigest(alerts: F.manyAlerts(), shown: 10)
        let embed = try Self.expectWithinLimits(try F.parse(DiscordFormat().render(digest)))
        #expect(F.string(embed["title"]) == "HIGH · 500× Console sign-in without MFA")
        let description = try #require(F.string(embed["description"]))
        #expect(description.hasPrefix("**First 10 of 500 alerts**\n"))
        #expect(description.split(separator: "\n").filter { $0.hasPrefix("• ") }.count == 10)
        #expect(F.string(embed["footer"]?["text"])?.hasSuffix("digest \(digest.id.prefix(8)) of 500 alerts") == true)
        #expect(embed["timestamp"] == .string("2026-11-22T11:00:00Z"))
    }

    /// Every documented Discord limit and `allowed_mentions`; returns the one embed.
    static func expectWithinLimits(_ message: JSONValue) throws -> JSONValue {
        typealias F = PayloadFixtures
        #expect(message["allowed_mentions"] == .object([.init("parse", .array([]))]))
        let content = try #require(F.string(message["content"]))
        #expect(!content.isEmpty && F.length(content) <= DiscordFormat.maxContent)
        let embeds = F.array(message["embeds"])
        #expect(embeds.count == 1)
        let embed = try #require(embeds.first)
        #expect(F.length(F.string(embed["title"])) <= DiscordFormat.maxTitle)
        #expect(F.length(F.string(embed["description"])) <= DiscordFormat.maxDescription)
        #expect(F.length(F.string(embed["footer"]?["text"])) <= DiscordFormat.maxFooterText)
        let fields = F.array(embed["fields"])
        #expect(!fields.isEmpty && fields.count <= DiscordFormat.maxFields)
        var total = F.length(F.string(embed["title"])) + F.length(F.string(embed["description"]))
        total += F.length(F.string(embed["footer"]?["text"]))
        for field in fields {
            let name = try #require(F.string(field["name"]))
            let value = try #require(F.string(field["value"]))
            #expect(!name.isEmpty && F.length(name) <= DiscordFormat.maxFieldName)
            #expect(!value.isEmpty && F.length(value) <= DiscordFormat.maxFieldValue)
            total += F.length(name) + F.length(value)
        }
        #expect(total <= DiscordFormat.maxEmbedTotal && total == DiscordFormat.embedLength(embed))
        if let url = F.string(embed["url"]) { #expect(url.hasPrefix("https://") && !url.contains(" ")) }
        if case .number(let color)? = embed["color"] {
            #expect(Int(color).map { (0...0xFF_FFFF).contains($0) } == true)
        } else {
            Issue.record("no colour")
        }
        return embed
    }
}
