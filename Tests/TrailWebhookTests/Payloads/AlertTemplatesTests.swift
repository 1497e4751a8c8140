import Testing
import TrailJSON
import TrailRules
import TrailWebhook

/// Title and text templates: what they see, that they render raw text, and errors that name
/// the template.
struct AlertTemplatesTests {
    typealias F = PayloadFixtures

    @Test("a title template renders the alert's fields by name")
    func titleRenders() throws {
        let templates = try AlertTemplates(
            title: "{{severity}}: {{event_name}} by {{principal}} in {{account}}/{{region}} ({{short_id}})", text: nil)
        let alert = F.consoleLogin
        #expect(
            templates.title(for: alert)
                == "high: ConsoleLogin by arn:aws:iam::111122223333:user/alice in 111122223333/us-east-1 (\(alert.id.prefix(8)))"
        )
        #expect(templates.text(for: alert) == nil)
    }

    @Test("templates render raw text: no HTML escaping of & < > \" '")
    func rawText() throws {
        let templates = try AlertTemplates(title: "{{title}}", text: "{{error_message}} & {{{error_code}}}")
        var alert = F.deniedIngress
        alert.errorMessage = #"a < b && c > "d" 'e'"#
        #expect(templates.text(for: alert) == #"a < b && c > "d" 'e' & Client.UnauthorizedOperation"#)
    }

    @Test("a section over an absent field renders only when the record has it")
    func absentFields() throws {
        let templates = try AlertTemplates(title: nil, text: "{{#error_code}}Failed: {{error_code}}{{/error_code}}")
        #expect(templates.text(for: F.consoleLogin) == nil)  // blank: no paragraph at all
        #expect(templates.text(for: F.deniedIngress) == "Failed: Client.UnauthorizedOperation")
        #expect(templates.title(for: F.deniedIngress) == "Unauthorized API calls")  // no title template
    }

    @Test("a title that renders blank falls back to the rule title; line breaks become spaces")
    func blankAndMultilineTitle() throws {
        let blank = try AlertTemplates(title: "{{#alarm_group}}x{{/alarm_group}}  ", text: nil)
        #expect(blank.title(for: F.consoleLogin) == "Console sign-in without MFA")
        let twoLines = try AlertTemplates(title: "{{event_name}}\n{{account}}", text: "{{event_name}}\n{{account}}")
        #expect(twoLines.title(for: F.consoleLogin) == "ConsoleLogin 111122223333")
        #expect(twoLines.text(for: F.consoleLogin) == "ConsoleLogin\n111122223333")
    }

    @Test("the context names every documented field, and alarm fields for an alarm alert")
    func contextFields() throws {
        let alert = F.deniedIngress.firing(group: "g", windowStart: 0, windowEnd: 300, count: 3)
        let context = AlertTemplates.context(for: alert)
        let documented = [
            "id", "short_id", "rule", "title", "severity", "event_time", "event_id", "account", "region",
            "event_source", "event_name", "principal", "principal_type", "source_ip", "user_agent", "error_code",
            "error_message", "console_url", "file", "alarm_group", "alarm_count", "alarm_window_start",
            "alarm_window_end",
        ]
        #expect(Set(context.keys) == Set(documented))
        #expect(context["principal"] == "arn:aws:sts::111122223333:assumed-role/Deployer/bob")
        #expect(context["alarm_count"] == "3" && context["alarm_window_end"] == "1970-01-01T00:05:00Z")
    }

    @Test("a broken title template throws an error naming the title template and the column")
    func brokenTitle() throws {
        let error = try #require(throws: AlertTemplateError.self) {
            try AlertTemplates(title: "Alert {{rule", text: "fine")
        }
        #expect(error.template == .title)
        #expect(error.line == 1)
        #expect(error.column.map { (7...13).contains($0) } == true)  // within `{{rule`, not past the pragma
        #expect(error.description.hasPrefix("title template, line 1, column "))
        #expect(error.description.contains("ends inside a tag"))
        #expect(!error.description.contains("CONTENT_TYPE"))
    }

    @Test("a broken text template throws an error naming the text template")
    func brokenText() throws {
        let error = try #require(throws: AlertTemplateError.self) {
            try AlertTemplates(title: "{{title}}", text: "Details:\n{{#error_code}}failed")
        }
        #expect(error.template == .text)
        #expect(error.line == 2)
        #expect(error.reason.contains("never closed"))
        #expect(error.description.hasPrefix("text template"))
    }

    @Test("formats use the title template for an alert and the rule title for a digest")
    func formatsUseTemplates() throws {
        let templates = try AlertTemplates(title: "{{event_name}} by {{principal}}", text: "Runbook: ask {{principal}}")
        let alert = F.consoleLogin
        let slack = try F.parse(SlackFormat(templates: templates).render(alert))
        let blocks = F.array(slack["blocks"])
        #expect(F.string(blocks[0]["text"]?["text"]) == "HIGH · ConsoleLogin by arn:aws:iam::111122223333:user/alice")
        #expect(F.string(blocks[1]["text"]?["text"]) == "Runbook: ask arn:aws:iam::111122223333:user/alice")
        let pager = try F.parse(PagerDutyFormat(templates: templates).render(alert))
        #expect(F.string(pager["payload"]?["summary"])?.hasPrefix("ConsoleLogin by arn:") == true)
        #expect(
            pager["payload"]?["custom_details"]?["details"]
                == .string("Runbook: ask arn:aws:iam::111122223333:user/alice"))
        let digest = try F.parse(DiscordFormat(templates: templates).render(AlertDigest(alerts: [alert], shown: 1)))
        #expect(F.string(F.array(digest["embeds"]).first?["title"]) == "HIGH · 1× Console sign-in without MFA")
    }
}
