/// Why an alert template does not compile: which template (title or text), why, and where.
///
/// Rendered as one line an operator can act on, e.g.
/// `text template, line 2, column 5: a section is opened … but never closed (near "{{#error_code}} x")`.
package struct AlertTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template that failed.
    package enum Template: String, Sendable, Hashable {
        case title
        case text
    }

    /// Which template failed to compile.
    package var template: Template
    /// What is wrong, in an operator's words.
    package var reason: String
    /// Where Mustache stopped, 1-based, when it says.
    package var line: Int?
    /// The column on that line, 1-based, counted in characters of the template as written.
    package var column: Int?
    /// The template's text on that line.
    package var excerpt: String?

    /// An error in `template` at an optional position.
    package init(template: Template, reason: String, line: Int?, column: Int?, excerpt: String?) {
        self.template = template
        self.reason = reason
        self.line = line
        self.column = column
        self.excerpt = excerpt
    }

    /// One line: which template, where, why, and the text near the problem.
    package var description: String {
        var text = "\(template.rawValue) template"
        if let line { text += ", line \(line)" }
        if let column { text += ", column \(column)" }
        text += ": \(reason)"
        if let excerpt, !excerpt.isEmpty { text += " (near \"\(PayloadText.truncate(excerpt, to: 60))\")" }
        return text
    }
}
