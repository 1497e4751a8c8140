import Logging
import Testing
import TrailDelivery
import TrailWebhook

@testable import TrailDaemon
@testable import trailhound

/// Sinks of every kind as the executable composes them: the daemon's common keys, each kind's
/// own section (stdout in the daemon, webhooks in `TrailWebhook`), the messages that name the key
/// at fault, and the factory that builds each kind.
struct SinkConfigurationTests {
    func load(_ yaml: String) throws(ConfigurationError) -> DaemonConfiguration {
        try DaemonConfiguration(
            DaemonConfiguration.parse(yaml, name: "test.yaml", sinkKinds: SinkFactory.kinds),
            environment: ["STATE_DIRECTORY": "/var/lib/th"])
    }

    @Test func everyKindIsListedInOrder() {
        #expect(SinkFactory.kinds.types == ["stdout", "slack", "teams", "discord", "pagerduty", "webhook"])
    }

    @Test(arguments: [
        (
            "spool: {directory: /s}\nsinks: [{name: a, type: carrier-pigeon}]\n",
            "`sinks[0].type`: `carrier-pigeon` is not a sink type (stdout, slack, teams, discord, pagerduty, webhook)"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: a}]\n",
            "`sinks[0].type`: required (stdout, slack, teams, discord, pagerduty, webhook)"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', routing_key: k}]\n",
            "`sinks[0].routing_key`: does not apply to a slack sink"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', url_env: U}]\n",
            "`sinks[0].url`: give only one of url, url_file and url_env"
        ),
        ("spool: {directory: /s}\nsinks: [{name: c, type: slack}]\n", "`sinks[0].url`: required"),
        ("spool: {directory: /s}\nsinks: [{name: p, type: pagerduty}]\n", "`sinks[0].routing_key`: required"),
        ("spool: {directory: /s}\nsinks: [{name: s, type: stdout, url: 'https://h'}]\n", "does not apply to a stdout"),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', format: json}]\n",
            "`sinks[0].format`: does not apply to a slack sink"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: w, type: webhook, url: 'https://h/x', title: t}]\n",
            "`sinks[0].title`: does not apply to a webhook sink"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', rate: fast}]\n",
            "`sinks[0].rate`: `fast` is not a rate"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: discord, url: 'https://h/x', digest_events: 500}]\n",
            "`sinks[0].digest_events`: must be between 1 and 50"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', timeout: 5m}]\n",
            "`sinks[0].timeout`: must be between 100ms and 2m"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', connect_timeout: soon}]\n",
            "`sinks[0].connect_timeout`: `soon` is not a duration"
        ),
        (
            "spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'https://h/x', url_fil: u}]\n",
            "unknown key `sinks[0].url_fil` (did you mean `url_file`?)"
        ),
    ])
    func refusedWithTheKeyAtFault(yaml: String, message: String) {
        #expect {
            try load(yaml)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func webhookSinksTakeTheirProvidersRatesAndDigestDefaults() throws {
        let configuration = try load(
            """
            spool: {directory: /s}
            sinks:
              - {name: chat, type: slack, url_file: slack-url}
              - {name: pager, type: pagerduty, routing_key_env: PD_KEY, group_window: 5m}
              - {name: soar, type: webhook, url: 'https://soar.example/h', secret: whsec_x, rate: 30/min, burst: 2}
              - {name: quiet, type: discord, url: 'https://discord.com/api/webhooks/1/t', group_window: 0}
            mute:
              - {rules: ['cis-4.*'], sinks: [chat], until: 2026-12-01, reason: migration}
            delivery: {max_age: 2h}
            """)
        let sinks = Dictionary(uniqueKeysWithValues: configuration.sinks.map { ($0.name, $0) })
        #expect(sinks["chat"]?.rate == .init(perSecond: 1, burst: 3))
        #expect(sinks["chat"]?.groupWindow == .seconds(60))
        #expect(sinks["pager"]?.rate == .init(perSecond: 2, burst: 10))
        #expect(sinks["pager"]?.groupWindow == .seconds(300))
        #expect(sinks["soar"]?.rate == .init(perSecond: 0.5, burst: 2))
        #expect(sinks["soar"]?.groupWindow == nil)
        #expect(sinks["quiet"]?.groupWindow == nil)
        let pager = try #require(sinks["pager"]?.section as? WebhookSection)
        #expect(pager.url == .value("https://events.pagerduty.com/v2/enqueue"))
        #expect(pager.routingKey == .environment("PD_KEY"))
        #expect(
            configuration.mutes == [
                .init(rules: ["cis-4.*"], sinks: ["chat"], until: 1_796_083_200_000, reason: "migration")
            ])
        #expect(configuration.delivery.maxAge == .seconds(7200))
        #expect(configuration.delivery.maxAttempts == nil)
    }

    @Test func aSinkChangedFromSlackToTeamsIsAnotherSink() throws {
        let slack = try load("spool: {directory: /s}\nsinks: [{name: chat, type: slack, url: 'https://h/x'}]\n")
        let teams = try load("spool: {directory: /s}\nsinks: [{name: chat, type: teams, url: 'https://h/x'}]\n")
        let again = try load("spool: {directory: /s}\nsinks: [{name: chat, type: slack, url: 'https://h/x'}]\n")
        #expect(slack.sinks == again.sinks)
        #expect(slack.sinks != teams.sinks)
    }

    @Test func theFactoryBuildsEveryKind() throws {
        let configuration = try load(
            """
            spool: {directory: /s}
            sinks:
              - {name: console, type: stdout, format: json, in_doubt: drop}
              - {name: relay, type: webhook, url: 'http://127.0.0.1:9/hook', allow_loopback: true}
            """)
        var logger = Logger(label: "sink-configuration-tests")
        logger.logLevel = .critical
        let factory = SinkFactory(environment: [:], configurationDirectory: nil, logger: logger)
        let sinks = try factory.make(configuration.sinks)
        #expect(sinks.map(\.name) == ["console", "relay"])
        #expect(sinks[0] is StdoutSink && sinks[0].inDoubt == .drop)
        #expect(sinks[1] is WebhookSink && sinks[1].inDoubt == .resend)
        #expect {
            _ = try factory.make(
                load("spool: {directory: /s}\nsinks: [{name: c, type: slack, url: 'http://h.example/x'}]\n").sinks)
        } throws: { error in
            "\(error)".hasPrefix("sink `c`: `sinks[0].url`: ")
        }
    }
}
