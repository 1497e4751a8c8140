import Foundation
import Testing
import TrailTestKit

/// Sinks change on SIGHUP as a real process sees it: a sink under a new name delivers every alert,
/// an added sink gets them too, a removed sink's undelivered alerts stay in the outbox (shown by
/// `trailhound status`) and go out when it comes back, and a sink that cannot be built refuses the
/// whole reload. Nothing is ever recorded without a delivery for each sink its route names.
@Suite(.serialized)
struct ReloadSinksProcessTests {
    static let stdoutSink = "  - name: stdout\n    type: stdout\n    format: json"

    @Test func aReloadToASinkUnderAnotherNameDeliversEveryAlertThroughIt() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "before"), DaemonHarness.file(eventIDs: ["before"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["before"] })

        try daemon.rewriteConfig {
            $0.replacingOccurrences(of: Self.stdoutSink, with: "  - name: console\n    type: stdout\n    format: json")
                + "\nroutes: [{sinks: [console]}]\n"
        }
        #expect(await daemon.reload())
        #expect(daemon.stderr.contains("Reloaded."), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("console added, stdout removed"))

        var expected = ["before"]
        for file in 0..<3 {
            let ids = (0..<5).map { "after-\(file)-\($0)" }
            expected += ids
            try daemon.drop(DaemonHarness.name(minute: 10 + file, tag: "a\(file)"), DaemonHarness.file(eventIDs: ids))
        }
        #expect(await daemon.waitAsync { daemon.alertedEventIDs.count >= expected.count })
        try await Task.sleep(for: .milliseconds(500))
        #expect(daemon.alertedEventIDs.sorted() == expected.sorted())

        // Every alert has its outbox row, delivered by the sink its route names.
        let status = try await daemon.status()
        #expect(
            status.contains("outbox: 0 pending, 0 held for digests, 0 in flight, 16 delivered, 0 dead"), "\(status)")
        #expect(
            status.contains(
                "  console: 0 pending, 0 held for digests, 0 in flight, 15 delivered, 0 dead; idle, last delivery"))
        #expect(
            status.contains(
                "  stdout: 0 pending, 0 held for digests, 0 in flight, 1 delivered, 0 dead; idle, last delivery"))

        // A restart has nothing left to deliver.
        await daemon.stopAsync()
        try daemon.start()
        try await Task.sleep(for: .seconds(2))
        await daemon.stopAsync()
        #expect(daemon.alertedEventIDs.count == expected.count)
    }

    @Test func aSinkAddedByAReloadGetsTheAlertsAlongsideTheOldOne() async throws {
        let hook = try await WebhookReceiver.start()
        let daemon = try DaemonHarness()
        try daemon.start()
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "one"), DaemonHarness.file(eventIDs: ["one"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["one"] })

        // No `routes:`: the default route sends every alert to every sink.
        try daemon.rewriteConfig {
            $0.replacingOccurrences(
                of: Self.stdoutSink,
                with: Self.stdoutSink
                    + "\n  - name: hook\n    type: webhook\n    url: \(hook.url())\n    allow_loopback: true"
            )
        }
        #expect(await daemon.reload())
        #expect(daemon.stderr.contains("hook added"), "\(daemon.stderr)")
        try daemon.drop(DaemonHarness.name(minute: 2, tag: "two"), DaemonHarness.file(eventIDs: ["two-a", "two-b"]))
        #expect(await hook.waitForAccepted(count: 2, timeout: .seconds(20)))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["one", "two-a", "two-b"] })
        await daemon.stopAsync()
        #expect(Self.eventIDs(hook.accepted()) == ["two-a", "two-b"])
        await hook.shutdown()
    }

    @Test func aRemovedSinkKeepsItsUndeliveredAlertsAndDeliversThemWhenItComesBack() async throws {
        let hook = try await WebhookReceiver.start(faults: ReceiverFaults(serverError: 1))
        let hookSink = "\n  - name: hook\n    type: webhook\n    url: \(hook.url())\n    allow_loopback: true"
        let daemon = try DaemonHarness(
            sinks: Self.stdoutSink + hookSink, extra: "delivery: {retry_initial: 100ms, retry_max: 500ms}")
        try daemon.start()
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "r"), DaemonHarness.file(eventIDs: ["r1", "r2", "r3"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["r1", "r2", "r3"] })
        #expect(await hook.waitForRequests(count: 2, timeout: .seconds(20)))

        try daemon.rewriteConfig { $0.replacingOccurrences(of: hookSink, with: "") }
        #expect(await daemon.reload())
        #expect(
            await daemon.waitAsync {
                daemon.stderr.contains("Sink removed with alerts undelivered") && daemon.stderr.contains("th.count=3")
            }, "\(daemon.stderr)")
        let status = try await daemon.status()
        #expect(
            status.contains("  hook: 3 pending, 0 held for digests, 0 in flight, 0 delivered, 0 dead; not configured"),
            "\(status)")
        #expect(status.contains("(3 undelivered kept until a sink named `hook` is configured again)"))
        let tried = hook.requests().count
        try await Task.sleep(for: .seconds(1))
        #expect(hook.requests().count == tried, "a removed sink is not sent to")

        // Back, and the receiver healthy: the kept alerts go out, in order.
        hook.setFaults(.none)
        try daemon.rewriteConfig { $0.replacingOccurrences(of: Self.stdoutSink, with: Self.stdoutSink + hookSink) }
        #expect(await daemon.reload(count: 2))
        #expect(await hook.waitForAccepted(count: 3, timeout: .seconds(20)))
        await daemon.stopAsync()
        #expect(Self.eventIDs(hook.accepted()) == ["r1", "r2", "r3"])
        #expect(daemon.alertedEventIDs == ["r1", "r2", "r3"])
        await hook.shutdown()
    }

    @Test func aSinkChangedByAReloadSendsItsQueuedAlertsInItsNewShape() async throws {
        let hook = try await WebhookReceiver.start(faults: ReceiverFaults(serverError: 1))
        let slack = "\n  - name: hook\n    type: slack\n    url: \(hook.url())\n    allow_loopback: true"
        let generic = "\n  - name: hook\n    type: webhook\n    url: \(hook.url())\n    allow_loopback: true"
        let daemon = try DaemonHarness(
            sinks: Self.stdoutSink + slack, extra: "delivery: {retry_initial: 100ms, retry_max: 500ms}")
        try daemon.start()
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "shape"), DaemonHarness.file(eventIDs: ["s1", "s2", "s3"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["s1", "s2", "s3"] })
        #expect(await hook.waitForRequests(count: 2, timeout: .seconds(20)))
        // Queued as Slack messages (the receiver fails them); the sink becomes a generic webhook.
        #expect(hook.requests().allSatisfy { String(decoding: $0.body, as: UTF8.self).contains("\"blocks\"") })
        // The receiver heals only once the queue is rendered again: a retry accepted before that
        // would be a Slack message, which is not what this test is about.
        try daemon.rewriteConfig { $0.replacingOccurrences(of: slack, with: generic) }
        #expect(await daemon.reload())
        #expect(
            await daemon.waitAsync(seconds: 20) {
                daemon.stderr.contains("Alerts queued for a changed sink rendered again")
            }, "\(daemon.stderr)")
        hook.setFaults(.none)
        #expect(await hook.waitForAccepted(count: 3, timeout: .seconds(20)))
        await daemon.stopAsync()
        #expect(Self.eventIDs(hook.accepted()) == ["s1", "s2", "s3"], "the queued alerts went out as Slack messages")
        await hook.shutdown()
    }

    @Test func aSinkThatCannotBeBuiltRefusesTheWholeReload() async throws {
        let daemon = try DaemonHarness()
        try daemon.start()
        // Running (and handling SIGHUP) once it has delivered something.
        try daemon.drop(DaemonHarness.name(minute: 1, tag: "first"), DaemonHarness.file(eventIDs: ["first"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["first"] })
        try daemon.rewriteConfig {
            $0.replacingOccurrences(
                of: Self.stdoutSink,
                with:
                    "  - name: chat\n    type: slack\n    url_file: \(daemon.root)/missing-secret\n    allow_loopback: true"
            )
        }
        #expect(await daemon.reload())
        #expect(daemon.stderr.contains("Reload failed"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("sink `chat`: `sinks[0].url`"))
        // The old sink still takes every alert.
        try daemon.drop(DaemonHarness.name(minute: 2, tag: "kept"), DaemonHarness.file(eventIDs: ["kept"]))
        #expect(await daemon.waitAsync { daemon.alertedEventIDs == ["first", "kept"] })
        await daemon.stopAsync()
        let status = try await daemon.status()
        #expect(status.contains("  stdout: 0 pending, 0 held for digests, 0 in flight, 2 delivered"), "\(status)")
    }

    static func eventIDs(_ requests: [ReceivedRequest]) -> [String] {
        requests.compactMap { request in
            (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["eventID"] as? String
        }
    }
}
