import Testing
import TrailDelivery

@testable import TrailDaemon
@testable import TrailRules

/// Retry, routing and delivery-gap decisions: values in, values out, no clock and no sockets.
struct DeliveryDecisionTests {
    let policy = RetryPolicy(initial: .seconds(1), maximum: .seconds(60), maxAge: .seconds(3600))

    @Test func backoffDoublesWithFullJitterUpToTheMaximum() {
        #expect(policy.delay(attempts: 1, hint: nil, jitter: 1) == .seconds(1))
        #expect(policy.delay(attempts: 1, hint: nil, jitter: 0) == .zero)
        #expect(policy.delay(attempts: 3, hint: nil, jitter: 0.5) == .seconds(2))
        #expect(policy.delay(attempts: 3, hint: nil, jitter: 1) == .seconds(4))
        #expect(policy.delay(attempts: 20, hint: nil, jitter: 1) == .seconds(60))
    }

    @Test func retryAfterHintWinsWhenLongerUpToAnHour() {
        #expect(policy.delay(attempts: 1, hint: .seconds(30), jitter: 1) == .seconds(30))
        #expect(policy.delay(attempts: 1, hint: .seconds(900), jitter: 1) == .seconds(900))
        #expect(policy.delay(attempts: 1, hint: .seconds(7200), jitter: 1) == .seconds(3600))
        #expect(policy.delay(attempts: 4, hint: .milliseconds(10), jitter: 1) == .seconds(8))
    }

    @Test func outcomes() {
        #expect(policy.outcome(of: .delivered, attempts: 1, enqueued: 0, now: 1000, jitter: 0) == .delivered)
        #expect(
            policy.outcome(of: .rejected(reason: "HTTP 404"), attempts: 1, enqueued: 0, now: 0, jitter: 0)
                == .dead(error: "HTTP 404"))
        #expect(
            policy.outcome(of: .retry(after: nil, reason: "HTTP 503"), attempts: 2, enqueued: 0, now: 10_000, jitter: 1)
                == .retry(at: 12_000, error: "HTTP 503"))
        // A gone destination keeps the alert pending: the dispatcher stops instead.
        #expect(
            policy.outcome(of: .disable(reason: "HTTP 410"), attempts: 1, enqueued: 0, now: 5, jitter: 0)
                == .retry(at: 5, error: "destination disabled: HTTP 410"))
    }

    @Test func retriesStopAtTheMaximumAgeNotAtACount() {
        // Attempt 40 of an alert enqueued 50 minutes ago still retries; past the hour it is dead.
        let young = policy.outcome(
            of: .retry(after: nil, reason: "HTTP 503"), attempts: 40, enqueued: 0, now: 3_000_000, jitter: 1)
        #expect(young == .retry(at: 3_060_000, error: "HTTP 503"))
        let old = policy.outcome(
            of: .retry(after: nil, reason: "HTTP 503"), attempts: 41, enqueued: 0, now: 3_590_000, jitter: 1)
        #expect(old == .dead(error: "gave up after 41 attempts over 3590 s: HTTP 503"))
        var counted = policy
        counted.maxAttempts = 3
        #expect(
            counted.outcome(of: .retry(after: nil, reason: "reset"), attempts: 3, enqueued: 0, now: 0, jitter: 0)
                == .dead(error: "gave up after 3 attempts: reset"))
    }

    @Test func theTokenBucketAllowsABurstThenTheRate() {
        var bucket = TokenBucket(perSecond: 2, burst: 3)
        #expect((0..<3).map { _ in bucket.take(now: 0) } == [0, 0, 0])
        #expect(bucket.take(now: 0) == 500)
        #expect(bucket.wait(now: 499) == 2)
        #expect(bucket.take(now: 499) == 2)
        #expect(bucket.take(now: 500) == 0)
        // Idle for a minute refills only up to the burst.
        #expect((0..<4).map { _ in bucket.take(now: 60_000) } == [0, 0, 0, 500])
    }

    @Test func noiseControlSendsTheFirstAlertAndGroupsTheRepeats() {
        let noise = NoiseControl(groupWindow: .seconds(60))
        #expect(noise.decide(lastDelivered: nil, now: 1_000) == .send)
        #expect(noise.decide(lastDelivered: 1_000, now: 1_500) == .group(until: 61_000))
        #expect(noise.decide(lastDelivered: 1_000, now: 61_000) == .send)
        #expect(NoiseControl().decide(lastDelivered: 1_000, now: 1_001) == .send)
    }

    @Test func mutesAndSnoozesSilenceRulesPerSink() {
        let router = Router(
            routes: [.init(sinks: ["chat", "pager"])],
            mutes: [
                .init(rules: ["cis-3.1*"], sinks: ["chat"]),
                .init(rules: ["noisy-*"], until: 10_000),
            ])
        #expect(router.sinks(for: alert("cis-3.1-unauthorized", .high), now: 0) == ["pager"])
        #expect(router.sinks(for: alert("noisy-scan", .high), now: 9_999) == [])
        #expect(router.sinks(for: alert("noisy-scan", .high), now: 10_000) == ["chat", "pager"])
        #expect(router.sinks(for: alert("cis-3.3", .high), now: 0) == ["chat", "pager"])
    }

    func alert(_ rule: String, _ severity: RuleSeverity) -> Alert {
        Alert(
            notice: rule, title: rule, severity: severity, key: rule, account: nil, region: nil,
            time: "2026-11-22T10:00:00Z", file: "f", details: [:])
    }

    @Test func routesTakeAlertsByRuleGlobAndSeverity() {
        let router = Router(routes: [
            .init(sinks: ["pager"], minSeverity: .high),
            .init(sinks: ["chat", "pager"], rules: ["cis-*"]),
            .init(sinks: ["audit"], severities: [.info, .low]),
        ])
        #expect(router.sinks(for: alert("cis-3.1", .medium), now: 0) == ["chat", "pager"])
        #expect(router.sinks(for: alert("cis-3.3", .critical), now: 0) == ["pager", "chat"])
        #expect(router.sinks(for: alert("iam-x", .low), now: 0) == ["audit"])
        #expect(router.sinks(for: alert("iam-x", .medium), now: 0) == [])
    }

    @Test(arguments: [
        ("*", "anything", true), ("cis-*", "cis-3.1", true), ("cis-*", "iam-3.1", false), ("cis-3.?", "cis-3.1", true),
        ("cis-3.?", "cis-3.10", false), ("*-root-*", "iam-root-login", true), ("a*b*c", "axxbyyc", true),
        ("a*b*c", "axxbyy", false),
    ])
    func ruleGlobs(pattern: String, text: String, matches: Bool) throws {
        #expect(try SpoolGlob(pattern).matches(text) == matches)
    }

    @Test func deliveryGapOpensOnceAndClosesWhenFilesResume() {
        let gaps = DeliveryGapPolicy(.init(after: .seconds(7200), regions: ["us-east-1"]))
        let quiet = DeliveryGapPolicy.Stream(account: "1", region: "us-east-1", lastDelivery: 1_000)
        #expect(gaps.decide([quiet], now: 1_000 + 7_199) == [])
        #expect(gaps.decide([quiet], now: 1_000 + 7_200) == [.open(quiet)])
        var open = quiet
        open.gapSince = 1_000
        #expect(gaps.decide([open], now: 50_000) == [])  // already raised: not again
        var resumed = open
        resumed.lastDelivery = 60_000
        #expect(gaps.decide([resumed], now: 60_100) == [.close(resumed)])
        let elsewhere = DeliveryGapPolicy.Stream(account: "1", region: "eu-west-1", lastDelivery: 0)
        #expect(gaps.decide([elsewhere], now: 1_000_000) == [])  // not a watched region
    }

    @Test func gapAndRecoveryNoticesHaveStableDistinctIDs() {
        let stream = DeliveryGapPolicy.Stream(account: "1", region: "us-east-1", lastDelivery: 1_000, gapSince: 1_000)
        let gap = DeliveryGapPolicy.Decision.open(stream).alert(severity: .high, now: 9_000)
        let again = DeliveryGapPolicy.Decision.open(stream).alert(severity: .high, now: 9_060)
        #expect(gap.id == again.id)
        #expect(gap.ruleID == "trailhound-delivery-gap")
        #expect(gap.title.contains("1970-01-01T00:16:40Z"))
        var resumed = stream
        resumed.lastDelivery = 20_000
        let notice = DeliveryGapPolicy.Decision.close(resumed).alert(severity: .high, now: 20_100)
        #expect(notice.severity == .info)
        #expect(notice.id != gap.id)
    }
}
