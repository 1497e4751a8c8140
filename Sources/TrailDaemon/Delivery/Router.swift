package import TrailRules

/// Decides which sinks an alert goes to, from the configured routes: a value, so a reload swaps
/// it whole and tests need no sinks.
package struct Router: Sendable {
    let routes: [DaemonConfiguration.Route]

    package init(routes: [DaemonConfiguration.Route]) {
        self.routes = routes
    }

    /// The sinks every route that takes `alert` names, each once, in route order.
    package func sinks(for alert: Alert) -> [String] {
        var result: [String] = []
        for route in routes where Router.takes(route, alert) {
            for sink in route.sinks where !result.contains(sink) { result.append(sink) }
        }
        return result
    }

    static func takes(_ route: DaemonConfiguration.Route, _ alert: Alert) -> Bool {
        if !route.rules.isEmpty && !route.rules.contains(where: { glob($0, matches: alert.ruleID) }) { return false }
        if !route.severities.isEmpty && !route.severities.contains(alert.severity) { return false }
        if let minimum = route.minSeverity, alert.severity < minimum { return false }
        return true
    }

    /// `*` matches any run of characters, `?` one; everything else itself.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        var (pi, ti) = (0, 0)
        var (star, mark) = (-1, 0)
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
