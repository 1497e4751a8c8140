/// What a reload does to the running sinks, decided from what runs and what the new configuration
/// asks for: a value, so `DispatcherSupervisor` only carries it out and tests need no sinks.
///
/// A sink whose settings are unchanged keeps its dispatcher (and its pace: a `Retry-After` pause
/// holds across the reload). A new name starts a dispatcher; a name gone stops its dispatcher
/// after the delivery in flight and leaves its undelivered alerts in the outbox; changed
/// settings, or a sink its destination had disabled, rebuild the sink and restart its dispatcher.
package struct SinkPlan: Sendable, Hashable {
    /// What a dispatcher runs with: when any of it changes, its sink is rebuilt and restarted.
    package struct Spec: Sendable, Hashable {
        package var sink: DaemonConfiguration.Sink
        package var policy: RetryPolicy
        package var shutdownBudget: Duration

        package init(sink: DaemonConfiguration.Sink, delivery: DaemonConfiguration.Delivery) {
            self.sink = sink
            policy = RetryPolicy(
                initial: delivery.retryInitial, maximum: delivery.retryMax, maxAge: delivery.maxAge,
                maxAttempts: delivery.maxAttempts)
            shutdownBudget = delivery.shutdownBudget
        }

        package var name: String { sink.name }
    }

    /// Running and unchanged.
    package var kept: [String] = []
    /// New names.
    package var added: [String] = []
    /// Rebuilt and restarted: their settings changed, or their destination had disabled them.
    package var changed: [String] = []
    /// No longer configured: stopped, their undelivered alerts kept.
    package var removed: [String] = []

    /// The plan for going from `running` to `desired` (in configuration order); `disabled` names
    /// sinks whose destination answered that it is gone, which a reload gives another chance.
    package init(running: [String: Spec], desired: [Spec], disabled: Set<String> = []) {
        for spec in desired {
            switch running[spec.name] {
            case nil: added.append(spec.name)
            case spec? where !disabled.contains(spec.name): kept.append(spec.name)
            default: changed.append(spec.name)
            }
        }
        let names = Set(desired.map(\.name))
        removed = running.keys.filter { !names.contains($0) }.sorted()
    }

    /// The names whose sink must be built.
    package var toBuild: Set<String> { Set(added + changed) }

    /// Whether the reload leaves every dispatcher as it is.
    package var changesNothing: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }

    /// `sinks: console added, stdout removed`, or `sinks unchanged`.
    package var summary: String {
        let parts =
            added.map { "\($0) added" } + changed.map { "\($0) restarted" } + removed.map { "\($0) removed" }
        return parts.isEmpty ? "sinks unchanged" : "sinks: " + parts.joined(separator: ", ")
    }
}
