import Foundation
import Testing
import TrailDelivery
import TrailWebhook

/// The webhook sinks' own configuration section, without the daemon: which keys each provider
/// takes, what validation refuses, and the defaults each provider brings.
struct WebhookSectionTests {
    func section(_ type: String, _ json: String) throws -> WebhookSection {
        try JSONDecoder().decode(WebhookSection.Written.self, from: Data(json.utf8))
            .validated(type: type, path: "sinks[0]")
    }

    @Test func itAnswersToEveryProviderInOrder() {
        #expect(WebhookSection.Written.types == ["slack", "teams", "discord", "pagerduty", "webhook"])
        #expect(WebhookSection.Written.keys(for: "stdout").isEmpty)
    }

    @Test(arguments: WebhookProvider.allCases)
    func eachProviderTakesItsOwnKeys(provider: WebhookProvider) {
        let keys = Set(WebhookSection.Written.keys(for: provider.rawValue))
        #expect(keys.isSubset(of: WebhookSection.Written.keys))
        #expect(keys.isSuperset(of: ["url", "url_file", "url_env", "allow_loopback", "refuse_private", "timeout"]))
        #expect(keys.contains("routing_key") == (provider == .pagerduty))
        #expect(keys.contains("secret") == (provider == .webhook))
        #expect(keys.contains("github_secret_env") == (provider == .webhook))
        // The generic webhook sends the alert as data: templates are for messages people read.
        #expect(keys.contains("title") == (provider != .webhook))
    }

    @Test func pagerDutyHasADefaultURLAndChatProvidersDigest() throws {
        let pager = try section("pagerduty", #"{"routing_key_env": "PD_KEY"}"#)
        #expect(pager.url == .value("https://events.pagerduty.com/v2/enqueue"))
        #expect(pager.routingKey == .environment("PD_KEY"))
        #expect(pager.defaultRate == Rate(perSecond: 2, burst: 10))
        #expect(pager.defaultGroupWindow == nil)
        let slack = try section("slack", #"{"url_file": "slack-url", "timeout": "90s", "connect_timeout": 2}"#)
        #expect(slack.url == .file("slack-url"))
        #expect(slack.timeout == .seconds(90) && slack.connectTimeout == .seconds(2))
        #expect(slack.defaultRate == Rate(perSecond: 1, burst: 3))
        #expect(slack.defaultGroupWindow == .seconds(60))
        let generic = try section("webhook", #"{"url": "https://h/x"}"#)
        #expect(generic.defaultRate == nil && generic.defaultGroupWindow == nil)
        #expect(generic.connectTimeout == .seconds(5) && generic.timeout == .seconds(30))
    }

    @Test(arguments: [
        ("slack", #"{}"#, "`sinks[0].url`: required: one of url, url_file or url_env"),
        (
            "slack", #"{"url": "https://h/x", "url_env": "U"}"#,
            "`sinks[0].url`: give only one of url, url_file and url_env"
        ),
        ("slack", #"{"url": ""}"#, "`sinks[0].url`: must not be empty"),
        (
            "pagerduty", #"{}"#,
            "`sinks[0].routing_key`: required: one of routing_key, routing_key_file or routing_key_env"
        ),
        ("slack", #"{"url": "https://h/x", "connect_timeout": "2m"}"#, "`sinks[0].connect_timeout`: must be between"),
        ("slack", #"{"url": "https://h/x", "timeout": "50ms"}"#, "`sinks[0].timeout`: must be between 100ms and 2m"),
    ])
    func refusedWithTheKeyAtFault(type: String, json: String, message: String) {
        #expect {
            _ = try section(type, json)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }
}
