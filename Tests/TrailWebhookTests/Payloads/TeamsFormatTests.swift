import Testing
import TrailJSON
import TrailRules
import TrailWebhook

/// Teams Workflows payloads: the Adaptive Card envelope, the 28 KB body limit, digests.
struct TeamsFormatTests {
    typealias F = PayloadFixtures

    @Test("an alert renders as an Adaptive Card with a title, a FactSet, a footer and a console action")
    func goldenAlert() throws {
        let rendered = String(decoding: TeamsFormat().render(F.consoleLogin), as: UTF8.self)
        let expected = #"""
            {
                "type": "message",
                "attachments": [
                    {
                        "contentType": "application/vnd.microsoft.card.adaptive",
                        "contentUrl": null,
                        "content": {
                            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                            "type": "AdaptiveCard",
                            "version": "1.4",
                            "body": [
                                {
                                    "type": "TextBlock",
                                    "text": "HIGH · Console sign-in without MFA",
                                    "wrap": true,
                                    "weight": "Bolder",
                                    "size": "Medium",
                                    "color": "Attention"
                                },
                                {
                                    "type": "FactSet",
                                    "facts": [
                                        {
                                            "title": "Who",
                                            "value": "arn:aws:iam::111122223333:user/alice (IAMUser)"
                                        },
                                        {
                                            "title": "What",
                                            "value": "signin.amazonaws.com ConsoleLogin"
                                        },
                                        {
                                            "title": "Where",
                                            "value": "account 111122223333 · us-east-1 · from 198.51.100.7"
                                        },
                                        {
                                            "title": "When",
                                            "value": "2026-11-22T10:01:12Z"
                                        }
                                    ]
                                },
                                {
                                    "type": "TextBlock",
                                    "text": "rule cis-3.2-console-login-without-mfa · alert 387cd7b3",
                                    "wrap": true,
                                    "isSubtle": true,
                                    "size": "Small"
                                }
                            ],
                            "actions": [
                                {
                                    "type": "Action.OpenUrl",
                                    "title": "Open in CloudTrail",
                                    "url": "https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/3b1a5c2e-8f4d-4e6a-9c1b-2d7e5f8a9b0c"
                                }
                            ]
                        }
                    }
                ]
            }
            """#
        #expect(rendered == (try F.compact(expected)))
    }

    @Test("a hostile record is cut until the whole body fits in 28 KB, as valid JSON")
    func hostileLimits() throws {
        let bytes = TeamsFormat(templates: F.hostileTemplates).render(F.hostile())
        #expect(bytes.count <= TeamsFormat.maxBytes && bytes.count <= 28_000)
        // The texts were long enough that the body had to be shrunk, not merely cut per field.
        #expect(bytes.count > TeamsFormat.maxBytes / 2)
        let card = try Self.expectEnvelope(try F.parse(bytes))
        let body = F.array(card["body"])
        let facts = F.array(body.first { $0["type"] == .string("FactSet") }?["facts"])
        #expect(facts.compactMap { F.string($0["title"]) } == ["Who", "What", "Where", "When", "Error"])
        #expect(facts.contains { F.string($0["value"])?.hasSuffix("…") == true })
        for text in F.allStrings(card) {
            #expect(F.length(text) <= TeamsFormat.maxText)
            #expect(!text.unicodeScalars.contains("\u{202E}") && !text.unicodeScalars.contains("\u{0}"))
        }
    }

    @Test("a digest of hostile alerts fits in 28 KB")
    func hostileDigest() throws {
        let digest = AlertDigest(alerts: Array(repeating: F.hostile(), count: 50), shown: 50)
        let bytes = TeamsFormat().render(digest)
        #expect(bytes.count <= TeamsFormat.maxBytes)
        let card = try Self.expectEnvelope(try F.parse(bytes))
        #expect(F.array(card["body"]).filter { $0["spacing"] == .string("None") }.count == DigestFacts.maxListed)
    }

    @Test("a digest of 500 alerts shown 10 has 10 line blocks and counts all 500")
    func digestOfFiveHundred() throws {
        let digest = AlertDigest(alerts: F.manyAlerts(), shown: 10)
        let bytes = TeamsFormat().render(digest)
        #expect(bytes.count <= TeamsFormat.maxBytes)
        let card = try Self.expectEnvelope(try F.parse(bytes))
        let texts = F.array(card["body"]).compactMap { F.string($0["text"]) }
        #expect(texts.first == "HIGH · 500× Console sign-in without MFA")
        #expect(texts.contains("First 10 of 500 alerts"))
        #expect(texts.filter { $0.hasPrefix("2026-11-22T11:00:0") }.count == 10)
        #expect(texts.last == "rule cis-3.2-console-login-without-mfa · digest \(digest.id.prefix(8)) of 500 alerts")
        #expect(card["actions"] == nil)
    }

    /// The Workflows envelope around one Adaptive Card 1.4; returns the card.
    static func expectEnvelope(_ message: JSONValue) throws -> JSONValue {
        typealias F = PayloadFixtures
        #expect(F.keys(message) == ["type", "attachments"] && message["type"] == .string("message"))
        let attachments = F.array(message["attachments"])
        #expect(attachments.count == 1)
        let attachment = try #require(attachments.first)
        #expect(attachment["contentType"] == .string("application/vnd.microsoft.card.adaptive"))
        #expect(attachment["contentUrl"] == .null)
        let card = try #require(attachment["content"])
        #expect(card["$schema"] == .string("http://adaptivecards.io/schemas/adaptive-card.json"))
        #expect(card["type"] == .string("AdaptiveCard") && card["version"] == .string("1.4"))
        #expect(!F.array(card["body"]).isEmpty)
        return card
    }
}
