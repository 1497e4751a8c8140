import TrailJSON
import TrailRules

/// Microsoft Teams messages for a Workflows webhook ("When a Teams webhook request is
/// received"): one Adaptive Card 1.4 with the title, the facts as a FactSet, the rule and short
/// alert id, and an Action.OpenUrl to the CloudTrail console.
///
/// Workflows accept Adaptive Cards only, in the `{"type":"message","attachments":[…]}` envelope
/// (operations.md §2.2). The posted message is limited to about 28 KB: each text is cut to
/// `maxText`, and while the whole body is over `maxBytes` the longest text is halved.
package struct TeamsFormat: MessageFormat {
    /// The whole request body, in bytes.
    package static let maxBytes = 28_000
    /// The title's length, in scalars.
    package static let maxTitle = 500
    /// Any other single text (a fact, the note, a line), in scalars.
    package static let maxText = 4_000

    /// Templates for the alert's title and extra paragraph.
    package var templates: AlertTemplates

    /// A Teams format using `templates` for single alerts (digests use the rule title).
    package init(templates: AlertTemplates = .none) {
        self.templates = templates
    }

    static func message(_ initial: MessageParts) -> [UInt8] {
        var parts = initial
        var bytes = envelope(parts)
        while bytes.count > maxBytes, parts.shrinkLongest() { bytes = envelope(parts) }
        return bytes
    }

    private static func envelope(_ parts: MessageParts) -> [UInt8] {
        let card = JSONValue.members([
            "$schema": .string("http://adaptivecards.io/schemas/adaptive-card.json"), "type": .string("AdaptiveCard"),
            "version": .string("1.4"), "body": .array(body(parts)),
            "actions": parts.link.map { .array([openURL($0)]) },
        ])
        let attachment = JSONValue.members([
            "contentType": .string("application/vnd.microsoft.card.adaptive"), "contentUrl": .null, "content": card,
        ])
        return JSONValue.members(["type": .string("message"), "attachments": .array([attachment])]).bytes
    }

    private static func body(_ parts: MessageParts) -> [JSONValue] {
        var body = [
            textBlock(
                PayloadText.truncate(parts.heading, to: maxTitle),
                ["weight": .string("Bolder"), "size": .string("Medium"), "color": .string(color(parts.severity))])
        ]
        if let note = parts.note { body.append(textBlock(PayloadText.truncate(note, to: maxText))) }
        let facts = parts.facts.map { fact in
            JSONValue.members([
                "title": .string(fact.label), "value": .string(PayloadText.truncate(fact.value, to: maxText)),
            ])
        }
        body.append(.members(["type": .string("FactSet"), "facts": .array(facts)]))
        if let heading = parts.listHeading {
            body.append(textBlock(heading, ["weight": .string("Bolder")]))
            for line in parts.list {
                body.append(textBlock(PayloadText.truncate(line, to: maxText), ["spacing": .string("None")]))
            }
        }
        body.append(textBlock(parts.footer, ["isSubtle": .bool(true), "size": .string("Small")]))
        return body
    }

    /// A wrapping TextBlock with `style` members after the text.
    private static func textBlock(_ text: String, _ style: KeyValuePairs<String, JSONValue> = [:]) -> JSONValue {
        let members =
            [JSONValue.Member("type", .string("TextBlock")), .init("text", .string(text)), .init("wrap", .bool(true))]
            + style.map { JSONValue.Member($0.key, $0.value) }
        return .object(members)
    }

    private static func openURL(_ link: String) -> JSONValue {
        .members(["type": .string("Action.OpenUrl"), "title": .string("Open in CloudTrail"), "url": .string(link)])
    }

    /// The TextBlock colour of the title: red for critical and high, orange for medium.
    private static func color(_ severity: RuleSeverity) -> String {
        switch severity {
        case .critical, .high: "Attention"
        case .medium: "Warning"
        case .low: "Accent"
        case .info: "Default"
        }
    }
}
