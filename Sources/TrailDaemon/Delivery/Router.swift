package import TrailRules

/// Decides which sinks an alert goes to, from the configured routes and mutes: a value, so a
/// reload swaps it whole and tests need no sinks.
package struct Router: Sendable {
    /// Each route with its rule-id globs compiled (the configuration stage has validated them).
    let routes: [(route: DaemonConfiguration.Route, rules: [SpoolGlob])]
    let mutes: [(mute: DaemonConfiguration.Mute, rules: [SpoolGlob])]

    package init(routes: [DaemonConfiguration.Route], mutes: [DaemonConfiguration.Mute] = []) {
        self.routes = routes.map { route in (route, route.rules.compactMap { try? SpoolGlob($0) }) }
        self.mutes = mutes.map { mute in (mute, mute.rules.compactMap { try? SpoolGlob($0) }) }
    }

    /// The sinks every route that takes `alert` names, each once, in route order, less those a
    /// mute (or a snooze still running at `now`, ms since 1970) silences for the alert's rule.
    package func sinks(for alert: Alert, now: Int64) -> [String] {
        var result: [String] = []
        for (route, rules) in routes where Router.takes(route, rules, alert) {
            for sink in route.sinks where !result.contains(sink) && !muted(alert.ruleID, sink: sink, now: now) {
                result.append(sink)
            }
        }
        return result
    }

    /// Whether a mute in force at `now` covers `rule` on `sink`.
    package func muted(_ rule: String, sink: String, now: Int64) -> Bool {
        mutes.contains { mute, rules in
            (mute.until.map { now < $0 } ?? true) && (mute.sinks.isEmpty || mute.sinks.contains(sink))
                && rules.contains { $0.matches(rule) }
        }
    }

    static func takes(_ route: DaemonConfiguration.Route, _ rules: [SpoolGlob], _ alert: Alert) -> Bool {
        if !rules.isEmpty && !rules.contains(where: { $0.matches(alert.ruleID) }) { return false }
        if !route.severities.isEmpty && !route.severities.contains(alert.severity) { return false }
        if let minimum = route.minSeverity, alert.severity < minimum { return false }
        return true
    }
}
