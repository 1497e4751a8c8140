import Mustache
package import TrailRules

/// Optional Mustache templates for the human-readable title and an extra paragraph of an alert,
/// compiled once when the configuration loads.
///
/// A template sees the alert's fields by name: `id`, `short_id`, `rule`, `title`, `severity`,
/// `event_time`, `event_id`, `account`, `region`, `event_source`, `event_name`, `principal`
/// (ARN, else name, else type), `principal_type`, `source_ip`, `user_agent`, `error_code`,
/// `error_message`, `console_url`, `file`, and for alarm alerts `alarm_group`, `alarm_count`,
/// `alarm_window_start`, `alarm_window_end`. A field the record lacks is absent, so
/// `{{#error_code}}failed: {{error_code}}{{/error_code}}` shows only for failed calls.
///
/// Output is plain text: `{{x}}` is not HTML-escaped (the templates are compiled with Mustache's
/// `TEXT` content type), because chat text is not HTML and `&amp;` would show as such; `{{{x}}}`
/// renders the same. Each format escapes what its own markup needs (Slack's `&<>`, Discord's
/// markdown) after rendering, so a record value cannot inject markup through a template; the
/// price is that a template's own markup is shown literally too (Slack still links a bare URL
/// such as `{{console_url}}`). Partials are not available: there is no template library.
package struct AlertTemplates: Sendable {
    /// No templates: the title is the rule's, and there is no extra paragraph.
    package static let none = AlertTemplates(titleTemplate: nil, textTemplate: nil)

    /// Put before every template so that `{{x}}` renders raw text; it sits on the template's
    /// first line, so error columns on that line are shifted back by its length.
    static let textPragma = "{{% CONTENT_TYPE: TEXT }}"

    private let titleTemplate: MustacheTemplate?
    private let textTemplate: MustacheTemplate?

    /// Compiles the given templates (nil: not used); the error names the template that failed.
    package init(title: String?, text: String?) throws(AlertTemplateError) {
        titleTemplate = try title.map { (source) throws(AlertTemplateError) in try Self.compile(source, .title) }
        textTemplate = try text.map { (source) throws(AlertTemplateError) in try Self.compile(source, .text) }
    }

    private init(titleTemplate: MustacheTemplate?, textTemplate: MustacheTemplate?) {
        self.titleTemplate = titleTemplate
        self.textTemplate = textTemplate
    }

    /// The alert's title: the rule title, or the title template's output when that is not blank.
    package func title(for alert: Alert) -> String {
        guard let titleTemplate else { return alert.title }
        let rendered = PayloadText.trimmed(PayloadText.oneLine(titleTemplate.render(Self.context(for: alert))))
        return rendered.isEmpty ? alert.title : rendered
    }

    /// The extra paragraph from the text template, or nil when there is none or it renders blank.
    package func text(for alert: Alert) -> String? {
        guard let textTemplate else { return nil }
        let rendered = PayloadText.trimmed(PayloadText.paragraph(textTemplate.render(Self.context(for: alert))))
        return rendered.isEmpty ? nil : rendered
    }

    /// What a template sees: the alert's fields by their documented names, absent ones left out.
    package static func context(for alert: Alert) -> [String: String] {
        let fields: [(String, String?)] = [
            ("id", alert.id), ("short_id", String(alert.id.prefix(8))), ("rule", alert.ruleID),
            ("title", alert.title), ("severity", alert.severity.rawValue), ("event_time", alert.eventTime),
            ("event_id", alert.eventID), ("account", alert.account), ("region", alert.region),
            ("event_source", alert.eventSource), ("event_name", alert.eventName),
            ("principal", alert.principalARN ?? alert.principalName ?? alert.principalType),
            ("principal_type", alert.principalType), ("source_ip", alert.sourceIPAddress),
            ("user_agent", alert.userAgent), ("error_code", alert.errorCode), ("error_message", alert.errorMessage),
            ("console_url", alert.consoleURL), ("file", alert.file), ("alarm_group", alert.alarm?.group),
            ("alarm_count", alert.alarm.map { String($0.count) }), ("alarm_window_start", alert.alarm?.windowStart),
            ("alarm_window_end", alert.alarm?.windowEnd),
        ]
        var context: [String: String] = [:]
        for (key, value) in fields { if let value { context[key] = value } }
        return context
    }

    private static func compile(
        _ source: String, _ template: AlertTemplateError.Template
    ) throws(AlertTemplateError) -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: textPragma + source)
        } catch let error as MustacheTemplate.ParserError {
            let onFirstLine = error.context.lineNumber == 1
            let column = error.context.columnNumber - (onFirstLine ? textPragma.count : 0)
            let line = onFirstLine ? String(error.context.line.dropFirst(textPragma.count)) : error.context.line
            throw AlertTemplateError(
                template: template, reason: reason(error.error), line: error.context.lineNumber,
                column: max(1, column), excerpt: line)
        } catch {
            throw AlertTemplateError(template: template, reason: "\(error)", line: nil, column: nil, excerpt: nil)
        }
    }

    /// An operator's words for what the Mustache parser found.
    private static func reason(_ error: any Error) -> String {
        // The parser's only other error is its reader running out of input inside a tag.
        guard let error = error as? MustacheTemplate.Error else {
            return "the template ends inside a tag (a {{ without its }})"
        }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with a different name than it was opened with"
        case .unfinishedName: return "a tag is not closed with }}, or its name is not valid"
        case .expectedSectionEnd: return "a section is opened ({{#name}} or {{^name}}) but never closed ({{/name}})"
        case .invalidSetDelimiter: return "a set-delimiter tag ({{=<% %>=}}) is malformed"
        case .invalidConfigVariableSyntax: return "a pragma tag ({{% NAME: VALUE }}) is malformed"
        case .unrecognisedConfigVariable: return "an unknown pragma (only CONTENT_TYPE is known)"
        default: return "partials and template inheritance are not supported here (\(error))"
        }
    }
}
