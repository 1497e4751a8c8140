package import TrailJSON
import TrailRules

/// Slack incoming-webhook messages in Block Kit: a header, the who/what/where/when as fields,
/// the error and alarm context, a button to the CloudTrail console, and a footer with the rule id
/// and the short alert id (so people can spot a repeat after a crash, see operations.md §1.6).
///
/// Record values are escaped for mrkdwn (`&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;`), so a
/// record cannot mention `<!channel>` or forge a link. Limits (operations.md §2.1, Block Kit
/// reference): the header's plain text ≤ 150, a section's text ≤ 3,000, a field ≤ 2,000 and ≤ 10
/// fields, ≤ 50 blocks, a button URL ≤ 3,000, the fallback `text` ≤ 40,000 (we keep it to a
/// line), and the text of all blocks together under Slack's undocumented `msg_blocks_too_long`
/// ceiling (~13 K): longer texts are halved until the total is within `maxBlockText`.
package struct SlackFormat: MessageFormat {
    /// A header block's plain text.
    package static let maxHeaderText = 150
    /// A section's text (and a context element's).
    package static let maxSectionText = 3_000
    /// One of a section's fields.
    package static let maxFieldText = 2_000
    /// Fields in a section.
    package static let maxFields = 10
    /// Blocks in a message.
    package static let maxBlocks = 50
    /// A button's URL.
    package static let maxButtonURL = 3_000
    /// Slack truncates `text` above 40,000; a notification needs one line.
    package static let maxFallbackText = 500
    /// The budget for all text in the blocks together, under the ~13 K Slack enforces.
    package static let maxBlockText = 11_000

    /// Templates for the alert's title and extra paragraph.
    package var templates: AlertTemplates

    /// A Slack format using `templates` for single alerts (digests use the rule title).
    package init(templates: AlertTemplates = .none) {
        self.templates = templates
    }

    /// `text` escaped for mrkdwn and cut so that the escaped form has at most `limit` scalars.
    package static func mrkdwn(_ text: String, limit: Int) -> String {
        PayloadText.escape(text, to: limit) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            default: nil
            }
        }
    }

    static func message(_ initial: MessageParts) -> [UInt8] {
        var parts = initial
        var blocks = Self.blocks(parts)
        while textLength(.array(blocks)) > maxBlockText, parts.shrinkLongest() {
            blocks = Self.blocks(parts)
        }
        let fallback = parts.notification(prefix: "[\(parts.severityLabel)] ", limit: maxFallbackText) {
            mrkdwn($0, limit: $1)
        }
        return JSONValue.members(["text": .string(fallback), "blocks": .array(blocks)]).bytes
    }

    private static func blocks(_ parts: MessageParts) -> [JSONValue] {
        var blocks = [header(parts.heading)]
        if let note = parts.note { blocks.append(section(mrkdwn(note, limit: maxSectionText))) }
        let columns = parts.facts.filter { !$0.wide }.prefix(maxFields)
        if !columns.isEmpty {
            let fields = columns.map { JSONValue.members(["type": .string("mrkdwn"), "text": .string(labelled($0))]) }
            blocks.append(.members(["type": .string("section"), "fields": .array(fields)]))
        }
        for fact in parts.facts where fact.wide { blocks.append(section(labelled(fact, limit: maxSectionText))) }
        if let heading = parts.listHeading { blocks.append(section(list(heading, parts.list))) }
        if let link = parts.link, link.utf8.count <= maxButtonURL { blocks.append(button(link)) }
        let footer = JSONValue.members([
            "type": .string("mrkdwn"), "text": .string(mrkdwn(parts.footer, limit: maxSectionText)),
        ])
        blocks.append(.members(["type": .string("context"), "elements": .array([footer])]))
        return blocks
    }

    private static func header(_ text: String) -> JSONValue {
        let plain = JSONValue.members([
            "type": .string("plain_text"), "text": .string(PayloadText.truncate(text, to: maxHeaderText)),
        ])
        return .members(["type": .string("header"), "text": plain])
    }

    private static func section(_ text: String) -> JSONValue {
        .members(["type": .string("section"), "text": .members(["type": .string("mrkdwn"), "text": .string(text)])])
    }

    /// `*Label*` and the escaped value on the next line, within `limit`.
    private static func labelled(_ fact: AlertFacts.Fact, limit: Int = maxFieldText) -> String {
        let label = "*\(fact.label)*\n"
        return label + mrkdwn(fact.value, limit: limit - PayloadText.length(label))
    }

    /// The heading and one bullet per line, as many as fit in a section, then how many did not.
    private static func list(_ heading: String, _ lines: [String]) -> String {
        var text = "*\(mrkdwn(heading, limit: 200))*"
        let room = maxSectionText - 40  // leaves room for the "…and N more" line
        for (index, line) in lines.enumerated() {
            let bullet = "\n• " + mrkdwn(line, limit: 600)
            if PayloadText.length(text) + PayloadText.length(bullet) > room {
                return text + "\n…and \(lines.count - index) more"
            }
            text += bullet
        }
        return text
    }

    private static func button(_ link: String) -> JSONValue {
        let button = JSONValue.members([
            "type": .string("button"),
            "text": .members(["type": .string("plain_text"), "text": .string("Open in CloudTrail")]),
            "url": .string(link),
        ])
        return .members(["type": .string("actions"), "elements": .array([button])])
    }

    /// The scalars of every `text` string in `value`: what `msg_blocks_too_long` counts, as far
    /// as anyone outside Slack can tell.
    package static func textLength(_ value: JSONValue) -> Int {
        switch value {
        case .array(let elements): return elements.reduce(0) { $0 + textLength($1) }
        case .object(let members):
            return members.reduce(0) { total, member in
                if member.key == "text", case .string(let text) = member.value {
                    return total + PayloadText.length(text)
                }
                return total + textLength(member.value)
            }
        default: return 0
        }
    }
}
