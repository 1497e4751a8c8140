import Foundation
package import TrailDelivery
import TrailRules

extension DaemonConfiguration {
    /// One destination for alerts: what every sink has (its name, in-doubt policy, how fast and
    /// how grouped alerts go to it), and its kind's own section, which only the executable's
    /// factory looks into.
    package struct Sink: Sendable, Hashable {
        package var name: String
        /// The kind's own configuration (`StdoutSection`, a webhook's section, …), validated.
        package var section: any SinkSection
        package var inDoubt: InDoubt = .resend
        /// Alerts of one rule within this window after one went out become one digest; nil: off.
        package var groupWindow: Duration?
        /// How many alerts a digest shows in full.
        package var digestEvents = NoiseControl.defaultDigestEvents
        /// The most sends per second, and how many may go at once; nil: unlimited.
        package var rate: Rate?

        /// A sink with `section`'s defaults for rate and group window.
        package init(name: String, section: any SinkSection, inDoubt: InDoubt = .resend) {
            self.name = name
            self.section = section
            self.inDoubt = inDoubt
            rate = section.defaultRate
            groupWindow = section.defaultGroupWindow
        }

        /// Equal when every setting and the section are: a reload restarts a sink that is not.
        package static func == (lhs: Sink, rhs: Sink) -> Bool {
            lhs.name == rhs.name && AnyHashable(lhs.section) == AnyHashable(rhs.section)
                && lhs.inDoubt == rhs.inDoubt && lhs.groupWindow == rhs.groupWindow
                && lhs.digestEvents == rhs.digestEvents && lhs.rate == rhs.rate
        }

        /// Hashes what `==` compares.
        package func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            hasher.combine(AnyHashable(section))
            hasher.combine(inDoubt)
            hasher.combine(groupWindow)
            hasher.combine(digestEvents)
            hasher.combine(rate)
        }
    }

    /// Rules muted for all or some sinks, for good or (a snooze) until a time.
    package struct Mute: Sendable, Hashable {
        /// Globs on rule ids.
        package var rules: [String]
        /// Empty: every sink.
        package var sinks: [String] = []
        /// ms since 1970; nil: until the entry is removed.
        package var until: Int64?
        package var reason: String?
    }

    /// The keys every sink has, whatever its kind.
    static let commonSinkKeys = ConfigurationFile.Sink.Common.CodingKeys.allCases.map(\.rawValue)

    /// The `sinks:` section: each sink checked, and no two with one name.
    mutating func apply(sinks written: [ConfigurationFile.Sink]) throws(ConfigurationError) {
        sinks = try written.enumerated().map { (index, sink) throws(ConfigurationError) in
            try Self.sink(sink, path: "sinks[\(index)]")
        }
        var names = Set<String>()
        for (index, sink) in sinks.enumerated() where !names.insert(sink.name).inserted {
            throw .invalidValue(path: "sinks[\(index)].name", reason: "`\(sink.name)` names two sinks")
        }
    }

    /// The `routes:` section: each route's sinks must exist, its globs and severities be valid.
    mutating func apply(routes written: [ConfigurationFile.Route]) throws(ConfigurationError) {
        let names = Set(sinks.map(\.name))
        routes = try written.enumerated().map { (index, route) throws(ConfigurationError) in
            try Self.route(route, path: "routes[\(index)]", sinks: names)
        }
    }

    /// The `mute:` section: each entry's rules and sinks checked (see `mute(_:path:sinks:)`).
    mutating func apply(mutes written: [ConfigurationFile.Mute]) throws(ConfigurationError) {
        let names = Set(sinks.map(\.name))
        mutes = try written.enumerated().map { (index, mute) throws(ConfigurationError) in
            try Self.mute(mute, path: "mute[\(index)]", sinks: names)
        }
    }

    /// One route: `sinks` required and each a sink's name, the rule globs and severities valid.
    private static func route(
        _ route: ConfigurationFile.Route, path: String, sinks names: Set<String>
    ) throws(ConfigurationError) -> Route {
        guard let sinks = route.sinks, !sinks.isEmpty else {
            throw .invalidValue(path: path + ".sinks", reason: "required: the sinks this route sends to")
        }
        for sink in sinks where !names.contains(sink) {
            throw .invalidValue(
                path: path + ".sinks",
                reason: "no sink is named `\(sink)` (sinks: \(names.sorted().joined(separator: ", ")))")
        }
        var result = Route(sinks: sinks)
        if let rules = route.rules { result.rules = rules }
        for (index, glob) in result.rules.enumerated() {
            try validate(glob: glob, path: path + ".rules[\(index)]")
        }
        for severity in route.severities ?? [] {
            result.severities.insert(try Self.severity(severity, path: path + ".severities"))
        }
        if let minimum = route.minSeverity {
            result.minSeverity = try Self.severity(minimum, path: path + ".min_severity")
        }
        return result
    }

    /// The second stage of one sink: the common keys here, the kind's own by its section.
    static func sink(_ written: ConfigurationFile.Sink, path: String) throws(ConfigurationError) -> Sink {
        let sink = written.common
        let types = written.sections.flatMap { Swift.type(of: $0).types }
        guard let name = sink.name, !name.isEmpty else {
            throw .invalidValue(path: path + ".name", reason: "required: routes refer to sinks by name")
        }
        guard let type = sink.type else {
            throw .invalidValue(path: path + ".type", reason: "required (\(types.joined(separator: ", ")))")
        }
        guard let section = written.sections.first(where: { Swift.type(of: $0).types.contains(type) }) else {
            throw .invalidValue(
                path: path + ".type", reason: "`\(type)` is not a sink type (\(types.joined(separator: ", ")))")
        }
        let allowed = commonSinkKeys + Swift.type(of: section).keys(for: type)
        for key in written.present.sorted() where !allowed.contains(key) {
            throw .invalidValue(path: "\(path).\(key)", reason: "does not apply to a \(type) sink")
        }
        var result = Sink(name: name, section: try section.validated(type: type, path: path))
        if let text = sink.inDoubt {
            guard let value = InDoubt(rawValue: text) else {
                throw .invalidValue(path: path + ".in_doubt", reason: "`\(text)` is not resend or drop")
            }
            result.inDoubt = value
        }
        if let window = sink.groupWindow?.duration { result.groupWindow = window == .zero ? nil : window }
        if let events = sink.digestEvents {
            guard (1...50).contains(events) else {
                throw .invalidValue(path: path + ".digest_events", reason: "must be between 1 and 50")
            }
            result.digestEvents = events
        }
        if let text = sink.rate {
            result.rate = try rate(text, burst: sink.burst ?? result.rate?.burst ?? 1, path: path + ".rate")
        } else if let burst = sink.burst {
            guard let rate = result.rate else {
                throw .invalidValue(path: path + ".burst", reason: "needs a `rate` (this sink type has none)")
            }
            result.rate = try self.rate(perSecond: rate.perSecond, burst: burst, path: path + ".burst")
        }
        return result
    }

    /// `N/s`, `N/min` or `N/h` (N may be a decimal).
    private static func rate(_ text: String, burst: Int, path: String) throws(ConfigurationError) -> Rate {
        let parts = text.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let seconds: Double? =
            parts.count == 2
            ? ["s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86_400, "day": 86_400][parts[1]] : nil
        guard let seconds, let count = Double(parts[0]), count > 0, count.isFinite else {
            throw .invalidValue(path: path, reason: "`\(text)` is not a rate (e.g. 1/s, 30/min, 100/h, 1000/day)")
        }
        return try rate(perSecond: count / seconds, burst: burst, path: path)
    }

    private static func rate(perSecond: Double, burst: Int, path: String) throws(ConfigurationError) -> Rate {
        guard burst >= 1 && burst <= 10_000 else {
            throw .invalidValue(path: path, reason: "the burst must be between 1 and 10000")
        }
        guard perSecond >= 1.0 / 86_400 && perSecond <= 10_000 else {
            throw .invalidValue(path: path, reason: "the rate must be between 1/day and 10000/s")
        }
        return Rate(perSecond: perSecond, burst: burst)
    }

    static func mute(
        _ mute: ConfigurationFile.Mute, path: String, sinks: Set<String>
    ) throws(ConfigurationError) -> Mute {
        guard let rules = mute.rules, !rules.isEmpty else {
            throw .invalidValue(path: path + ".rules", reason: "required: the rule ids (globs) to mute")
        }
        for (index, glob) in rules.enumerated() { try validate(glob: glob, path: "\(path).rules[\(index)]") }
        for sink in mute.sinks ?? [] where !sinks.contains(sink) {
            throw .invalidValue(
                path: path + ".sinks",
                reason: "no sink is named `\(sink)` (sinks: \(sinks.sorted().joined(separator: ", ")))")
        }
        var result = Mute(rules: rules, reason: mute.reason)
        if let sinks = mute.sinks { result.sinks = sinks }
        if let until = mute.until {
            guard let time = isoTime(until) else {
                throw .invalidValue(
                    path: path + ".until", reason: "`\(until)` is not a time (2026-12-01 or 2026-12-01T08:00:00Z)")
            }
            result.until = time
        }
        return result
    }

    /// ms since 1970 for `YYYY-MM-DD` (midnight UTC) or an ISO 8601 time with a zone.
    static func isoTime(_ text: String) -> Int64? {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        return nil
    }
}
