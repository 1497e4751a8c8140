import Testing
import TrailDelivery
import TrailRules

@testable import TrailDaemon

/// What a reload does to the sinks, decided without running any: kept, added, restarted,
/// removed; and a pipeline never routes to a sink it does not have.
struct SinkPlanTests {
    static let delivery = DaemonConfiguration.Delivery()

    static func spec(_ name: String, format: StdoutSection.Format = .json) -> SinkPlan.Spec {
        SinkPlan.Spec(sink: .init(name: name, section: StdoutSection(format: format)), delivery: delivery)
    }

    @Test func aRenamedSinkIsAddedUnderItsNewNameAndRemovedUnderItsOld() {
        let plan = SinkPlan(running: ["stdout": Self.spec("stdout")], desired: [Self.spec("console")])
        #expect(plan.added == ["console"])
        #expect(plan.removed == ["stdout"])
        #expect(plan.kept.isEmpty && plan.changed.isEmpty)
        #expect(plan.toBuild == ["console"])
        #expect(plan.summary == "sinks: console added, stdout removed")
    }

    @Test func unchangedSinksKeepTheirDispatcherAndChangedOnesRestart() {
        let running = ["a": Self.spec("a"), "b": Self.spec("b")]
        let plan = SinkPlan(running: running, desired: [Self.spec("a"), Self.spec("b", format: .text), Self.spec("c")])
        #expect(plan.kept == ["a"])
        #expect(plan.changed == ["b"])
        #expect(plan.added == ["c"])
        #expect(plan.removed.isEmpty)
        #expect(plan.toBuild == ["b", "c"])
    }

    @Test func aChangedDeliverySettingRestartsEverySinkButTheHealthLimitRestartsNone() {
        var slower = Self.delivery
        slower.retryMax = .seconds(60)
        let restarted = SinkPlan(
            running: ["a": Self.spec("a")],
            desired: [SinkPlan.Spec(sink: .init(name: "a", section: StdoutSection(format: .json)), delivery: slower)])
        #expect(restarted.changed == ["a"])
        var laxer = Self.delivery
        laxer.unhealthyAfter = .seconds(3600)
        let kept = SinkPlan(
            running: ["a": Self.spec("a")],
            desired: [SinkPlan.Spec(sink: .init(name: "a", section: StdoutSection(format: .json)), delivery: laxer)])
        #expect(kept.changesNothing)
    }

    @Test func aReloadGivesADisabledSinkAnotherChance() {
        let plan = SinkPlan(running: ["chat": Self.spec("chat")], desired: [Self.spec("chat")], disabled: ["chat"])
        #expect(plan.changed == ["chat"])
        #expect(!plan.changesNothing)
    }

    @Test func aPipelineRefusesARouteToASinkItDoesNotHave() throws {
        #expect {
            _ = try Pipeline(
                rules: RuleSet([]), router: Router(routes: [.init(sinks: ["console"])]),
                sinks: [StdoutSink(name: "stdout")])
        } throws: { error in
            "\(error)" == "routes[0].sinks: no sink is named `console` (sinks: stdout)"
        }
        let pipeline = try Pipeline(
            rules: RuleSet([]), router: Router(routes: [.init(sinks: ["console"])]),
            sinks: [StdoutSink(name: "console", format: .json)])
        let alert = Alert(
            notice: "r", title: "T", severity: .high, key: "e1", account: "1", region: "us-east-1",
            time: Alert.isoTime(1_795_000_000), file: "f", details: [:])
        #expect(pipeline.route(alert).map(\.sink) == ["console"])
    }

    @Test func replacingThePipelineBumpsItsGeneration() throws {
        let holder = PipelineHolder(try Pipeline(rules: RuleSet([]), router: Router(routes: []), sinks: []))
        holder.replace(with: try Pipeline(rules: RuleSet([]), router: Router(routes: []), sinks: [StdoutSink()]))
        #expect(holder.pipeline.generation == 1)
        #expect(holder.pipeline.sinks.keys.sorted() == ["stdout"])
    }
}
