/// The events a replay looks at, by `eventTime`: at or after `since`, before `until` (ISO 8601
/// prefixes in UTC, which order as their bytes do). A record without a time is outside any
/// bounded window.
package struct EventTimeWindow: Sendable, Hashable {
    package var since: String?
    package var until: String?

    package init(since: String? = nil, until: String? = nil) {
        self.since = since
        self.until = until
    }

    /// Every event, timed or not.
    package static let all = EventTimeWindow()

    package var isBounded: Bool { since != nil || until != nil }

    package func contains(_ time: String?) -> Bool {
        guard isBounded else { return true }
        guard let time else { return false }
        if let since, time < since { return false }
        if let until, time >= until { return false }
        return true
    }
}
