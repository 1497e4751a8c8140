import ArgumentParser
import Foundation
import Logging
import TrailDaemon
import TrailDelivery
import TrailRules
import TrailWebhook

/// `trailhound test-sink NAME`: send a sample alert through one configured sink.
struct TestSinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-sink",
        abstract: "Send a sample alert through a configured sink and print what came back.",
        discussion: """
            Builds the sink NAME from the configuration exactly as `run` does (secrets, destination checks, signing, templates), sends one sample alert (a StopLogging by an IAM user) straight to it, bypassing the outbox, routes and mutes, and prints the HTTP status, the time taken, the start of the answer and what the daemon would make of it (delivered, retry, dead, or disable). The URL is shown redacted.

            Exit status: 0 if the sink accepted the alert, 1 if not.
            """
    )

    @Argument(help: "The sink's name in the configuration.")
    var name: String

    @OptionGroup var daemon: DaemonOptions

    func run() async throws {
        let configuration = try daemon.load()
        guard let index = configuration.sinks.firstIndex(where: { $0.name == name }) else {
            throw ValidationError(
                "no sink is named `\(name)` (sinks: \(configuration.sinks.map(\.name).joined(separator: ", ")))")
        }
        var logger = Logger(label: "trailhound")
        logger.logLevel = .warning
        let factory = SinkFactory(
            environment: ProcessInfo.processInfo.environment,
            configurationDirectory: configuration.configurationDirectory, logger: logger)
        let sink: any AlertSink
        do {
            sink = try factory.make(configuration.sinks[index], path: "sinks[\(index)]")
        } catch {
            StandardStream.error.writeLine("trailhound: \(error)")
            StandardStream.error.flush()
            throw ExitCode(1)
        }
        let alert = Alert.sample(nonce: String(UInt64.random(in: 0...UInt64.max), radix: 16))
        let payload = sink.render(alert)
        let output = StandardStream.output
        output.writeLine("sink \(name): sending a sample alert (\(payload.count) bytes, id \(alert.id.prefix(8)))")
        let result: DeliveryResult
        if let webhook = sink as? WebhookSink {
            let attempt = await webhook.send(payload, alertID: alert.id)
            let milliseconds = attempt.duration.milliseconds
            switch attempt.outcome {
            case .response(let response):
                output.writeLine("HTTP \(response.status) in \(milliseconds) ms")
                let body = BodySnippet.summarize(response.bodyPrefix, limit: 400)
                if !body.isEmpty { output.writeLine("answer: \(body)") }
            case .failure(let failure):
                output.writeLine("no answer after \(milliseconds) ms: \(failure)")
            case .refused(let error):
                output.writeLine("not sent: \(error)")
            }
            result = webhook.deliverResult(of: attempt)
        } else {
            result = await sink.deliver(payload, alertID: alert.id)
        }
        await sink.shutdown()
        switch result {
        case .delivered:
            output.writeLine("result: delivered")
        case .retry(let after, let reason):
            output.writeLine("result: the daemon would retry\(after.map { " after \($0)" } ?? ""): \(reason)")
        case .rejected(let reason):
            output.writeLine("result: the daemon would dead-letter the alert: \(reason)")
        case .disable(let reason):
            output.writeLine("result: the daemon would disable this sink: \(reason)")
        }
        output.flush()
        if result != .delivered { throw ExitCode(1) }
    }
}
