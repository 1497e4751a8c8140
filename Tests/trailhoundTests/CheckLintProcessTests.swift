import Foundation
import Testing

/// `trailhound check` run as an operator runs it, on a temporary rules directory: event names
/// and sources no CloudTrail event has are warnings at the literal's file:line:column with the
/// nearest real name, and the exit status stays 0.
struct CheckLintProcessTests {
    static let rule = """
        id: lambda-code-updated
        title: Lambda code updated
        severity: high
        pattern: '{ ($.eventSource = lambda.amazonaws.com) && ($.eventName = UpdateFunctionCode) }'
        suppress:
          - '{ $.eventSource = cloudtrail.amazonaws.com && $.eventName = StopLoging }'
          - '{ $.eventSource = lamda.amazonaws.com }'
        tests:
          - name: an update alerts
            alert: true
            record: {eventSource: lambda.amazonaws.com, eventName: UpdateFunctionCode}
        """

    @Test("check --rules warns at each unknown literal of a pattern or suppression, and exits 0")
    func rulesDirectory() async throws {
        let harness = try DaemonHarness()
        try Self.rule.write(toFile: harness.rules + "/lambda.yaml", atomically: true, encoding: .utf8)
        let result = try await harness.command(["check", "--rules", harness.rules])
        #expect(result.status == 0, "\(result.error)")
        let file = harness.rules + "/lambda.yaml"
        for expected in [
            #"\#(file):4:70: warning: `pattern`: no CloudTrail event of lambda.amazonaws.com is named "UpdateFunctionCode"; did you mean "UpdateFunctionCode20150331v2"?"#,
            #"\#(file):6:66: warning: `suppress[0]`: no CloudTrail event of cloudtrail.amazonaws.com is named "StopLoging"; did you mean "StopLogging"?"#,
            #"\#(file):7:24: warning: `suppress[1]`: no CloudTrail event source is named "lamda.amazonaws.com"; did you mean "lambda.amazonaws.com"?"#,
        ] {
            #expect(result.error.contains(expected), "\(result.error)")
        }
        // The caret sits under the literal in the pattern printed below the message.
        #expect(
            result.error.contains(
                "  { ($.eventSource = lambda.amazonaws.com) && ($.eventName = UpdateFunctionCode) }\n"
                    + String(repeating: " ", count: 61) + "^~~~~~~~~~~~~~~~~~"))
        // The harness's own rule has no tests: one more warning.
        #expect(result.output.contains("2 rules (2 enabled), 3 selectors, 4 warnings"), "\(result.output)")
    }

    @Test("check --pattern warns about an unknown name and still prints the canonical form with status 0")
    func pattern() async throws {
        let harness = try DaemonHarness()
        let result = try await harness.command([
            "check", "--pattern", "{ ($.eventSource = lambda.amazonaws.com) && ($.eventName = UpdateFunctionCode) }",
        ])
        #expect(result.status == 0)
        #expect(
            result.output
                == "{ ($.eventSource = \"lambda.amazonaws.com\") && ($.eventName = \"UpdateFunctionCode\") }\n")
        #expect(
            result.error.hasPrefix(
                #"warning: no CloudTrail event of lambda.amazonaws.com is named "UpdateFunctionCode"; did you mean "UpdateFunctionCode20150331v2"? (column 60)"#
            ), "\(result.error)")
    }
}
