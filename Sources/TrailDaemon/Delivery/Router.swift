package import TrailRules

/// Decides which sinks an alert goes to, from the configured routes: a value, so a reload swaps
/// it whole and tests need no sinks.
package struct Router: Sendable {
    /// Each route with its rule-id globs compiled (the configuration stage has validated them).
    let routes: [(route: DaemonConfiguration.Route, rules: [SpoolGlob])]

    package init(routes: [DaemonConfiguration.Route]) {
        self.routes = routes.map { route in (route, route.rules.compactMap { try? SpoolGlob($0) }) }
    }

    /// The sinks every route that takes `alert` names, each once, in route order.
    package func sinks(for alert: Alert) -> [String] {
        var result: [String] = []
        for (route, rules) in routes where Router.takes(route, rules, alert) {
            for sink in route.sinks where !result.contains(sink) { result.append(sink) }
        }
        return result
    }

    static func takes(_ route: DaemonConfiguration.Route, _ rules: [SpoolGlob], _ alert: Alert) -> Bool {
        if !rules.isEmpty && !rules.contains(where: { $0.matches(alert.ruleID) }) { return false }
        if !route.severities.isEmpty && !route.severities.contains(alert.severity) { return false }
        if let minimum = route.minSeverity, alert.severity < minimum { return false }
        return true
    }
}
