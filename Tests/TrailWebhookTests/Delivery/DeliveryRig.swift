import Foundation
import Logging
import ServiceLifecycle
import TrailDaemon
import TrailDelivery
import TrailRules
import TrailTestKit
import TrailWebhook

/// A webhook sink, its outbox dispatcher and a loopback receiver, wired as the daemon wires them:
/// alerts are committed to a real ledger, the dispatcher runs in a `ServiceGroup`, and `stop()`
/// shuts it down gracefully.
final class DeliveryRig: Sendable {
    let receiver: WebhookReceiver
    let ledger: Ledger
    let sink: WebhookSink
    let events = DaemonEvents()
    let doorbell = Doorbell()
    let directory = TemporaryDirectory("trailhound-delivery")
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    init(
        provider: WebhookProvider = .webhook, faults: ReceiverFaults = .none,
        policy: RetryPolicy = RetryPolicy(initial: .milliseconds(50), maximum: .seconds(2)),
        noise: NoiseControl = NoiseControl(), rate: TokenBucket? = nil, timeout: Duration = .seconds(5),
        signers: [any WebhookSigner] = [], script: [ScriptedResponse] = [], receiver existing: WebhookReceiver? = nil
    ) async throws {
        if let existing {
            receiver = existing
        } else {
            receiver = try await WebhookReceiver.start(faults: faults)
        }
        receiver.enqueue(script)
        ledger = try Ledger(path: directory.path + "/state.sqlite")
        let format: any WebhookFormat =
            switch provider {
            case .slack: SlackFormat()
            case .teams: TeamsFormat()
            case .discord: DiscordFormat()
            case .pagerduty: PagerDutyFormat()
            case .webhook: GenericFormat()
            }
        sink = WebhookSink(
            name: "hook", inDoubt: .resend, provider: provider, format: format, url: Secret(receiver.url()),
            policy: DestinationPolicy(allowLoopback: true, refusePrivate: false), connectTimeout: .seconds(2),
            timeout: timeout, signers: signers, routingKey: provider == .pagerduty ? Secret("R0UT1NGKEY") : nil)
        var logger = Logger(label: "delivery-rig")
        logger.logLevel = .critical
        let dispatcher = OutboxDispatcher(
            sink: sink, ledger: ledger, policy: policy, noise: noise, rate: rate, doorbell: doorbell,
            shutdownBudget: .seconds(1), logger: logger, events: events)
        let group = ServiceGroup(services: [dispatcher], logger: logger)
        self.group = group
        running = Task { try await group.run() }
    }

    /// Alerts of `rule` with event ids `prefix-0…`, one second apart in event time.
    static func alerts(_ count: Int, rule: String = "test-rule", prefix: String = "event") -> [Alert] {
        (0..<count).map { index in
            Alert(
                notice: rule, title: "Test rule", severity: .high, key: "\(prefix)-\(index)", account: "111122223333",
                region: "us-east-1", time: Alert.isoTime(1_795_000_000 + index), file: "f.json.gz",
                details: ["n": "\(prefix)-\(index)"])
        }
    }

    /// Commits `alerts` as one file's and rings the dispatcher, as the file processor does.
    func enqueue(_ alerts: [Alert], file: String = UUID().uuidString) throws {
        var commit = FileCommit(
            identity: FileIdentity(path: file, size: 1, modified: 1, changed: 1, sha256: file), outcome: .done)
        commit.alerts = alerts.map { RoutedAlert(alert: $0, deliveries: [("hook", sink.render($0))]) }
        _ = try ledger.commit(commit, now: DaemonClock.wallMilliseconds())
        doorbell.ring()
    }

    /// The alert ids the receiver accepted, in order, read from the generic format's `id`.
    var acceptedIDs: [String] {
        receiver.accepted().compactMap { request in
            (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["id"] as? String
        }
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        await receiver.shutdown()
        directory.remove()
    }

    /// Waits until `condition` holds (true) or `timeout` passes (false).
    func wait(_ timeout: Duration, until condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }
}
