import Testing
import TrailJSON
import TrailRules
import TrailWebhook

/// Truncation, escaping within a limit, one-line safety, console links, and the facts formats share.
struct PayloadTextTests {
    typealias F = PayloadFixtures

    @Test("a text within the limit is unchanged; a longer one is cut to exactly the limit, ending with …")
    func truncate() {
        #expect(PayloadText.truncate("abcdef", to: 6) == "abcdef")
        #expect(PayloadText.truncate("abcdefg", to: 6) == "abcde…")
        #expect(PayloadText.truncate("abc", to: 0) == "")
        let long = String(repeating: "é", count: 5_000)  // 2 UTF-8 bytes each: the fast path must not decide
        #expect(PayloadText.truncate(long, to: 5_000) == long)
        #expect(PayloadText.length(PayloadText.truncate(long, to: 4_999)) == 4_999)
    }

    @Test("limits count Unicode scalars and a cut never splits a grapheme cluster")
    func graphemes() {
        let family = "👩‍👩‍👧‍👦"  // 7 scalars, 1 grapheme
        let text = "ab" + family + "cd"
        #expect(PayloadText.length(text) == 11)
        #expect(PayloadText.truncate(text, to: 9) == "ab…")  // the family does not fit whole: left out
        #expect(PayloadText.truncate(text, to: 10) == "ab" + family + "…")
        #expect(PayloadText.truncate(text, to: 11) == text)
        let accented = "e\u{301}e\u{301}e\u{301}"  // 6 scalars, 3 graphemes
        #expect(PayloadText.truncate(accented, to: 5) == "e\u{301}e\u{301}…")
    }

    @Test("escaping within a limit never cuts an escape sequence in half")
    func escapeWithinLimit() {
        #expect(SlackFormat.mrkdwn("a&b<c>", limit: 100) == "a&amp;b&lt;c&gt;")
        #expect(SlackFormat.mrkdwn("&&&&", limit: 12) == "&amp;&amp;…")
        #expect(PayloadText.length(SlackFormat.mrkdwn(String(repeating: "&", count: 1_000), limit: 3_000)) <= 3_000)
        #expect(DiscordFormat.markdown("a_b*c", limit: 100) == #"a\_b\*c"#)
        #expect(DiscordFormat.markdown("____", limit: 5) == #"\_\_…"#)
    }

    @Test("one-line text turns breaks into spaces and controls and bidi overrides into �")
    func oneLine() {
        #expect(PayloadText.oneLine("a\nb\r\nc\td") == "a b  c d")
        #expect(PayloadText.oneLine("x\u{202E}txt.exe\u{0}\u{7}\u{85}") == "x\u{FFFD}txt.exe\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(PayloadText.paragraph("a\nb\u{2066}") == "a\nb\u{FFFD}")
        #expect(PayloadText.oneLine("plain é 👩‍👩‍👧‍👦") == "plain é 👩‍👩‍👧‍👦")
    }

    @Test("console links are percent-encoded where the record put odd characters, and dropped when too long")
    func safeLinks() {
        let base = "https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/"
        #expect(AlertFacts.safeLink(base + "3b1a5c2e-8f4d") == base + "3b1a5c2e-8f4d")
        #expect(AlertFacts.safeLink(base + "a b<c>|\"#%é") == base + "a%20b%3Cc%3E%7C%22%23%25%C3%A9")
        #expect(AlertFacts.safeLink(base + String(repeating: "x", count: 3_000)) == nil)
        #expect(AlertFacts.safeLink("javascript:alert(1)") == nil)
    }

    @Test("the facts of an alert: who, what, where, when, the error, the short id and the footer")
    func alertFacts() {
        let facts = AlertFacts(F.deniedIngress)
        #expect(facts.shortID == String(F.deniedIngress.id.prefix(8)) && facts.shortID.count == 8)
        #expect(
            facts.facts == [
                .init("Who", "arn:aws:sts::111122223333:assumed-role/Deployer/bob (AssumedRole)"),
                .init("What", "ec2.amazonaws.com AuthorizeSecurityGroupIngress"),
                .init("Where", "account 111122223333 · eu-west-1 · from 203.0.113.9"),
                .init("When", "2026-11-22T10:05:00Z"),
                .init(
                    "Error", "Client.UnauthorizedOperation: You are not authorized to perform this operation.",
                    wide: true),
            ])
        #expect(facts.footer == "rule cis-3.1-unauthorized-api-calls · alert \(facts.shortID)")
        #expect(facts.timestamp == "2026-11-22T10:05:00Z")
    }

    @Test("a notice alert (no principal, no link) renders valid JSON in every format")
    func noticeInEveryFormat() throws {
        let notice = Alert(
            notice: "trailhound-delivery-gap", title: "No CloudTrail files for 30 minutes", severity: .critical,
            key: "gap-2026-11-22T10", account: "111122223333", region: nil, time: "2026-11-22T10:30:00Z",
            file: "-", details: ["last_file": "111122223333_CloudTrail_us-east-1_20261122T1000Z.json.gz"])
        let facts = AlertFacts(notice)
        #expect(facts.who == "unknown principal" && facts.consoleLink == nil)
        #expect(facts.location == "account 111122223333")
        let formats: [any WebhookFormat] = [
            SlackFormat(), TeamsFormat(), DiscordFormat(), PagerDutyFormat(), GenericFormat(),
        ]
        for format in formats {
            let value = try F.parse(format.render(notice))
            #expect(!F.allStrings(value).isEmpty)
            #expect(F.allStrings(value).allSatisfy { !$0.contains("null") })
        }
        let pager = try F.parse(PagerDutyFormat().render(notice))
        #expect(pager["payload"]?["source"] == .string("111122223333"))
        #expect(pager["payload"]?["custom_details"]?["record"]?["notice"] == .string("trailhound-delivery-gap"))
        #expect(F.array(pager["links"]).isEmpty)
    }
}
