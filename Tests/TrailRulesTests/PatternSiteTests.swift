import Testing
import TrailPatterns

@testable import TrailRules

/// Where a rule's patterns are written, so problems found in a pattern's text later (by
/// `trailhound check`'s lint) point at the file's line and column, as parse errors do.
struct PatternSiteTests {
    static let yaml = """
        id: sites
        title: t
        severity: low
        pattern: '{ $.eventName = StopLogging }'
        suppress:
          - ConsoleLogin
          - "{ $.sourceIPAddress = \\"10.0.0.1\\" }"
          - >-
            { $.userAgent = x }
        """

    @Test("a rule keeps its pattern's and each suppression's key, text, position and style, in order")
    func sites() throws {
        let rule = try #require(RuleFileReader.read(Self.yaml, file: "r.yaml").rule)
        #expect(
            rule.patternSites == [
                PatternSite(
                    key: "pattern", text: "{ $.eventName = StopLogging }", line: 4, column: 10, style: .singleQuoted),
                PatternSite(
                    key: "suppress[0]", text: "ConsoleLogin", line: 6, column: 5, style: .plain),
                PatternSite(
                    key: "suppress[1]", text: #"{ $.sourceIPAddress = "10.0.0.1" }"#, line: 7, column: 5,
                    style: .doubleQuoted),
                PatternSite(key: "suppress[2]", text: "{ $.userAgent = x }", line: 8, column: 5, style: .block),
            ])
        #expect(rule.writtenPatterns.map(\.pattern) == [rule.pattern] + rule.suppress)
    }

    @Test(
        "a column in the pattern maps to the file: after the quote, at the plain scalar, or the line below a block",
        arguments: [
            (PatternSite.Style.singleQuoted, 1, 17, (4, 27)), (.doubleQuoted, 1, 1, (4, 11)), (.plain, 1, 17, (4, 26)),
            (.block, 1, 17, (5, 10)),
        ] as [(PatternSite.Style, Int, Int, (Int, Int))])
    func positions(style: PatternSite.Style, line: Int, column: Int, expected: (Int, Int)) {
        let site = PatternSite(key: "pattern", text: "", line: 4, column: 10, style: style)
        let position = site.position(line: line, column: column)
        #expect(position.line == expected.0 && position.column == expected.1)
    }

    @Test("a problem in a pattern becomes a rule diagnostic at its file position, naming the key")
    func diagnostic() {
        let site = PatternSite(key: "suppress[1]", text: "{ $.a = x }", line: 7, column: 5, style: .doubleQuoted)
        let diagnostic = site.ruleDiagnostic(
            .warning, file: "r.yaml", line: 1, column: 9, message: "something about x", excerpt: "excerpt")
        #expect(diagnostic.description == "r.yaml:7:14: warning: `suppress[1]`: something about x\nexcerpt")
    }

    @Test("a rule built in code has no sites, and so nothing for the lint to place")
    func builtInCode() throws {
        let rule = Rule(
            id: "x", title: "x", severity: .low, description: "", pattern: try FilterPattern.parse("{ $.a = 1 }"),
            patternText: "{ $.a = 1 }", references: .init(), runbook: "", enabled: true, suppress: [], alarm: nil,
            tests: [], file: "x.yaml")
        #expect(rule.writtenPatterns.isEmpty)
    }
}
