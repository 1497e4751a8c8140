import Logging
import TrailDaemon
import TrailDelivery
import TrailWebhook

/// Lists every kind of sink and builds the configured sinks: the one place that knows them all,
/// so the daemon core stays free of HTTP and webhook sinks free of the daemon (architecture.md:
/// the executable picks concrete sinks).
///
/// A kind of sink is its folder (its sink, and its configuration section next to it) plus one
/// entry in `kinds`, which configuration loading decodes sinks with, and one case in `make`.
struct SinkFactory: Sendable {
    /// Every kind of sink a configuration may name, in the order messages list their types.
    static let kinds = SinkKinds([StdoutSection.Written.self, WebhookSection.Written.self])

    let webhooks: WebhookSinkFactory

    init(environment: [String: String], configurationDirectory: String?, logger: Logger) {
        webhooks = WebhookSinkFactory(
            secrets: SecretResolver(environment: environment, configurationDirectory: configurationDirectory),
            logger: logger)
    }

    /// One sink per configured sink, in order.
    func make(_ sinks: [DaemonConfiguration.Sink]) throws(SinkError) -> [any AlertSink] {
        var made: [any AlertSink] = []
        for (index, sink) in sinks.enumerated() {
            made.append(try make(sink, path: "sinks[\(index)]"))
        }
        return made
    }

    /// The sink for one configured sink; `path` is its key path, for errors.
    func make(_ sink: DaemonConfiguration.Sink, path: String) throws(SinkError) -> any AlertSink {
        switch sink.section {
        case let stdout as StdoutSection:
            return StdoutSink(name: sink.name, format: stdout.format, inDoubt: sink.inDoubt)
        case let webhook as WebhookSection:
            return try webhooks.make(webhook, name: sink.name, inDoubt: sink.inDoubt, path: path)
        default:
            // A kind in `kinds` without its case here.
            throw SinkError(sink: sink.name, path: path + ".type", reason: "this kind of sink cannot be built")
        }
    }
}
