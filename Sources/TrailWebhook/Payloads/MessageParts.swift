import TrailRules

/// The human-readable pieces of one message (an alert or a digest) before a chat format lays
/// them out: Slack, Teams and Discord arrange the same parts, each within its own limits.
///
/// Per-element limits are the layout's job (it cuts each text as it places it); aggregate limits
/// (Slack's total block text, Teams' bytes, Discord's embed total) are met by laying out again
/// after `shrinkLongest`, which halves the longest text until the whole fits.
struct MessageParts: Sendable, Hashable {
    var severity: RuleSeverity
    var title: String
    /// An extra paragraph (the operator's text template).
    var note: String?
    var facts: [AlertFacts.Fact]
    /// A digest's list of alerts, one line each, under its heading.
    var listHeading: String?
    var list: [String]
    var footer: String
    var link: String?
    /// The one-line version, for notifications and fallbacks (see `notification`).
    var summary: String
    /// What follows the summary: `(1a2b3c4d)` or `(digest 1a2b3c4d)`.
    var tag: String
    var timestamp: String?

    /// The parts of one alert.
    init(_ alert: AlertFacts) {
        severity = alert.severity
        title = alert.title
        note = alert.note
        facts = alert.facts
        listHeading = nil
        list = []
        footer = alert.footer
        link = alert.consoleLink
        summary = alert.summary
        tag = "(\(alert.shortID))"
        timestamp = alert.timestamp
    }

    /// The parts of a digest: its span and spread as facts, its first alerts as the list.
    init(_ digest: DigestFacts) {
        severity = digest.severity
        title = digest.headline
        note = nil
        facts = digest.facts
        listHeading = digest.listHeading
        list = digest.alerts.map(\.line)
        footer = digest.footer
        link = nil
        summary = digest.headline
        tag = "(digest \(digest.shortID))"
        timestamp = digest.timestamp
    }

    /// `prefix`, the summary escaped and cut by `escape` to what leaves room, and the tag: a
    /// notification line of at most `limit` scalars that always ends with the short id.
    func notification(prefix: String, limit: Int, escape: (String, Int) -> String) -> String {
        let room = limit - PayloadText.length(prefix) - PayloadText.length(tag) - 1
        return prefix + escape(summary, room) + " " + tag
    }

    /// `HIGH`.
    var severityLabel: String { severity.rawValue.uppercased() }

    /// `HIGH · Console login without MFA`.
    var heading: String { "\(severityLabel) · \(title)" }

    /// Halves the longest of the note, the fact values and the list lines. Returns false when none
    /// is longer than `floor` scalars, which ends a caller's fitting loop.
    mutating func shrinkLongest(floor: Int = 32) -> Bool {
        let lengths = slots.map { (slot: $0, length: PayloadText.length(self[$0])) }
        guard let longest = lengths.max(by: { $0.length < $1.length }), longest.length > floor else { return false }
        self[longest.slot] = PayloadText.truncate(self[longest.slot], to: max(floor, longest.length / 2))
        return true
    }

    /// A text `shrinkLongest` may cut.
    private enum Slot: Hashable {
        case note
        case fact(Int)
        case line(Int)
    }

    private var slots: [Slot] {
        (note == nil ? [] : [.note]) + facts.indices.map(Slot.fact) + list.indices.map(Slot.line)
    }

    private subscript(slot: Slot) -> String {
        get {
            switch slot {
            case .note: note ?? ""
            case .fact(let index): facts[index].value
            case .line(let index): list[index]
            }
        }
        set {
            switch slot {
            case .note: note = newValue
            case .fact(let index): facts[index].value = newValue
            case .line(let index): list[index] = newValue
            }
        }
    }
}
