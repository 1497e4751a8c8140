package import TrailJSON
import TrailRules

/// Discord webhook messages: a short `content` line and one embed with the title, a link to the
/// CloudTrail console, a colour by severity, the facts as fields, and a footer with the rule id
/// and the short alert id.
///
/// `allowed_mentions` is `{"parse": []}`, so nothing in a record can ping `@everyone`, a role or
/// a user; record values are also escaped for Discord's markdown (`\*_~`|[]<>#`), so an ARN's
/// underscores do not turn into italics and a record cannot forge a masked link. Limits
/// (discord-api-docs, embed limits): `content` ≤ 2,000, title ≤ 256, description ≤ 4,096,
/// ≤ 25 fields with name ≤ 256 and value ≤ 1,024, footer ≤ 2,048, and all embed texts together
/// ≤ 6,000 (the longest text is halved until they fit).
package struct DiscordFormat: MessageFormat {
    /// `content`, in characters.
    package static let maxContent = 2_000
    /// An embed title.
    package static let maxTitle = 256
    /// An embed description.
    package static let maxDescription = 4_096
    /// Fields in an embed.
    package static let maxFields = 25
    /// A field name.
    package static let maxFieldName = 256
    /// A field value.
    package static let maxFieldValue = 1_024
    /// The footer text.
    package static let maxFooterText = 2_048
    /// Title, description, field names and values, and footer text together.
    package static let maxEmbedTotal = 6_000
    /// `content` shows above the embed as the notification line; it needs far less than 2,000.
    package static let maxContentUsed = 500

    /// Templates for the alert's title and extra paragraph.
    package var templates: AlertTemplates

    /// A Discord format using `templates` for single alerts (digests use the rule title).
    package init(templates: AlertTemplates = .none) {
        self.templates = templates
    }

    /// `text` with Discord's markdown characters escaped by a backslash, cut so that the escaped
    /// form has at most `limit` scalars.
    package static func markdown(_ text: String, limit: Int) -> String {
        PayloadText.escape(text, to: limit) { scalar in
            "\\*_~`|[]<>#".unicodeScalars.contains(scalar) ? "\\" + String(scalar) : nil
        }
    }

    /// The characters Discord counts against the 6,000 shared by an embed: title, description,
    /// field names and values, footer text (and author name, which we do not use).
    package static func embedLength(_ embed: JSONValue) -> Int {
        func length(_ value: JSONValue?) -> Int {
            if case .string(let text)? = value { return PayloadText.length(text) }
            return 0
        }
        var total = length(embed["title"]) + length(embed["description"]) + length(embed["footer"]?["text"])
        if case .array(let fields)? = embed["fields"] {
            total += fields.reduce(0) { $0 + length($1["name"]) + length($1["value"]) }
        }
        return total
    }

    static func message(_ initial: MessageParts) -> [UInt8] {
        var parts = initial
        var embed = Self.embed(parts)
        while embedLength(embed) > maxEmbedTotal, parts.shrinkLongest() { embed = Self.embed(parts) }
        let content = parts.notification(prefix: "**\(parts.severityLabel)** ", limit: maxContentUsed) {
            markdown($0, limit: $1)
        }
        return JSONValue.members([
            "content": .string(content), "embeds": .array([embed]),
            "allowed_mentions": .members(["parse": .array([])]),
        ]).bytes
    }

    private static func embed(_ parts: MessageParts) -> JSONValue {
        let fields = parts.facts.prefix(maxFields).map { fact in
            JSONValue.members([
                "name": .string(PayloadText.truncate(fact.label, to: maxFieldName)),
                "value": .string(markdown(fact.value, limit: maxFieldValue)), "inline": .bool(!fact.wide),
            ])
        }
        return .members([
            "title": .string(markdown(parts.heading, limit: maxTitle)), "description": .text(description(parts)),
            "url": .text(parts.link), "color": .number(String(color(parts.severity))), "fields": .array(fields),
            "footer": .members(["text": .string(PayloadText.truncate(parts.footer, to: maxFooterText))]),
            "timestamp": .text(parts.timestamp),
        ])
    }

    /// The note, or a digest's heading and list (as many lines as fit, then how many did not).
    private static func description(_ parts: MessageParts) -> String? {
        guard let heading = parts.listHeading else { return parts.note.map { markdown($0, limit: maxDescription) } }
        var text = "**\(markdown(heading, limit: 200))**"
        let room = maxDescription - 40  // leaves room for the "…and N more" line
        for (index, line) in parts.list.enumerated() {
            let bullet = "\n• " + markdown(line, limit: 600)
            if PayloadText.length(text) + PayloadText.length(bullet) > room {
                return text + "\n…and \(parts.list.count - index) more"
            }
            text += bullet
        }
        return text
    }

    /// The embed's colour bar: red, orange, yellow, blue, grey from critical down.
    private static func color(_ severity: RuleSeverity) -> Int {
        switch severity {
        case .critical: 0xB0_0020
        case .high: 0xE0_1E5A
        case .medium: 0xEC_B22E
        case .low: 0x1D_9BD1
        case .info: 0x9E_9E9E
        }
    }
}
