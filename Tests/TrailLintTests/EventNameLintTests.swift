import Testing
import TrailPatterns

@testable import TrailLint

/// The lint over patterns: which literals it checks, under which sources, and what it says.
struct EventNameLintTests {
    let lint = EventNameLint(catalogue: LintFixtures.catalogue)

    /// One finding, as the table spells it: the literal, the sources it was looked up under
    /// (empty: all), and the suggestion.
    struct Expected: CustomStringConvertible, Sendable {
        var kind: EventNameFinding.Kind = .unknownEventName
        var literal: String
        var sources: [String] = []
        var suggestion: String?
        var description: String { "\(kind) \(literal) \(sources) \(suggestion ?? "-")" }
    }

    static func name(_ literal: String, in sources: [String] = [], _ suggestion: String? = nil) -> Expected {
        Expected(literal: literal, sources: sources, suggestion: suggestion)
    }

    static func source(_ literal: String, _ suggestion: String? = nil) -> Expected {
        Expected(kind: .unknownEventSource, literal: literal, suggestion: suggestion)
    }

    static let lambda = "lambda.amazonaws.com"

    static let table: [(String, String, [Expected])] = [
        (
            "the issue's example: Lambda logs UpdateFunctionCode with its API version",
            "{ ($.eventSource = lambda.amazonaws.com) && ($.eventName = UpdateFunctionCode) }",
            [name("UpdateFunctionCode", in: [lambda], "UpdateFunctionCode20150331v2")]
        ),
        (
            "known names and sources are clean", "{ $.eventName = StopLogging || $.eventName = ConsoleLogin }",
            []
        ),
        (
            "a derived name with any revision is known",
            "{ $.eventSource = lambda.amazonaws.com && ($.eventName = UpdateFunctionCode20150331v7 || $.eventName = PublishLayerVersion20181031v2) }",
            []
        ),
        ("!= is linted like =", "{ $.eventName != StopLoging }", [name("StopLoging", "StopLogging")]),
        (
            "unpinned names are looked up under every source",
            "{ $.eventName = CreateUser || $.eventName = GetObject }",
            []
        ),
        (
            "a pinned source limits names, and says where the name is",
            "{ $.eventSource = s3.amazonaws.com && $.eventName = CreateUser }",
            [name("CreateUser", in: ["s3.amazonaws.com"])]
        ),
        (
            "an || of source equalities pins to all of them",
            "{ ($.eventSource = iam.amazonaws.com || $.eventSource = s3.amazonaws.com) && $.eventName = StopLogging }",
            [name("StopLogging", in: ["iam.amazonaws.com", "s3.amazonaws.com"])]
        ),
        (
            "a source != pins nothing", "{ $.eventSource != cloudtrail.amazonaws.com && $.eventName = CreateUser }", []
        ),
        (
            "each || branch has its own pin",
            "{ ($.eventSource = cloudtrail.amazonaws.com && ($.eventName = StopLogging || $.eventName = DeleteTrial)) || ($.eventSource = iam.amazonaws.com && $.eventName = CreateUser) }",
            [name("DeleteTrial", in: ["cloudtrail.amazonaws.com"], "DeleteTrail")]
        ),
        (
            "an unknown source is reported and pins nothing",
            "{ $.eventSource = lamda.amazonaws.com && $.eventName = UpdateFunctionCode20150331v2 }",
            [source("lamda.amazonaws.com", "lambda.amazonaws.com")]
        ),
        ("a bare service name is not a source", "{ $.eventSource = iam }", [source("iam", "iam.amazonaws.com")]),
        (
            "wildcard sources pin the sources they match",
            "{ $.eventSource = \"*.amazonaws.com\" && $.eventName = Delete* }", []
        ),
        ("a wildcard source that matches nothing", "{ $.eventSource = \"*.example.com\" }", [source("*.example.com")]),
        (
            "names are case-sensitive; the catalogue spelling is suggested",
            "{ $.eventName = consolelogin || $.eventName = delete* }",
            [name("consolelogin", "ConsoleLogin"), name("delete*", "Delete*")]
        ),
        (
            "wildcards are unknown only when nothing matches",
            "{ $.eventSource = ec2.amazonaws.com && ($.eventName = *Snapshot* || $.eventName = Delte*) }",
            [name("Delte*", in: ["ec2.amazonaws.com"])]
        ),
        (
            "a suffix wildcard with the wrong case",
            "{ $.eventSource = ec2.amazonaws.com && $.eventName = *snapshot }",
            [name("*snapshot", in: ["ec2.amazonaws.com"], "*Snapshot")]
        ),
        (
            "CloudFront's names carry their API version",
            "{ $.eventSource = cloudfront.amazonaws.com && $.eventName = UpdateDistribution }",
            [name("UpdateDistribution", in: ["cloudfront.amazonaws.com"], "UpdateDistribution2020_05_31")]
        ),
        (
            "other selectors, operators and values are not names",
            "{ $.userIdentity.type = Rooot || $.eventName = %Stop% || $.eventName = * || $.eventName = 42 || $.requestParameters.eventName = Nope || $.eventName NOT EXISTS }",
            []
        ),
        ("term patterns are not linted", "StopLoging", []),
        ("the empty pattern is not linted", "", []),
    ]

    @Test("the lint table", arguments: table)
    func row(_ row: (String, String, [Expected])) throws {
        let (_, text, expected) = row
        let findings = lint.findings(in: try FilterPattern.parse(text))
        #expect(
            findings.map { "\($0.kind) \($0.literal) \($0.sources) \($0.suggestion ?? "-")" }
                == expected.map(\.description), "\(text)")
    }

    @Test("a finding points at its literal, quotes included, and renders with a caret under it")
    func location() throws {
        let text = #"{ ($.eventSource = lambda.amazonaws.com) && ($.eventName = "UpdateFunctionCode") }"#
        let finding = try #require(lint.findings(in: try FilterPattern.parse(text)).first)
        #expect(finding.location(in: text) == (1, 60...79))
        #expect(
            finding.rendered(in: text) == """
                warning: no CloudTrail event of lambda.amazonaws.com is named "UpdateFunctionCode"; did you mean "UpdateFunctionCode20150331v2"? (column 60)
                  \(text)
                                                                             ^~~~~~~~~~~~~~~~~~~~
                """)
    }

    @Test("a multi-line pattern's finding is on its line")
    func multiline() throws {
        let text = "{ $.eventSource = cloudtrail.amazonaws.com &&\n  $.eventName = StopLoging }"
        let finding = try #require(lint.findings(in: try FilterPattern.parse(text)).first)
        #expect(finding.location(in: text) == (2, 17...26))
        #expect(
            finding.rendered(in: text).hasPrefix(
                "warning: no CloudTrail event of cloudtrail.amazonaws.com is named \"StopLoging\"; did you mean \"StopLogging\"? (line 2, column 17)"
            ))
    }

    @Test("without a range (a pattern built in code) a finding points at the whole pattern")
    func noRange() {
        let pattern = FilterPattern(
            .json(
                .predicate(Predicate(EventNameLint.eventName, .compare(.equal, .string(StringLiteral("StopLoging")))))))
        let findings = lint.findings(in: pattern)
        #expect(findings.count == 1 && findings.first?.range == nil)
        let location = findings.first?.location(in: "{ $.eventName = StopLoging }")
        #expect(location?.line == 1 && location?.columns == 1...28)
    }

    @Test(
        "messages say what is unknown, where it was looked up, and what to write",
        arguments: [
            (
                EventNameFinding(
                    .unknownEventName, literal: "CreateUser", range: nil, sources: ["s3.amazonaws.com"],
                    elsewhere: ["iam.amazonaws.com"]),
                #"no CloudTrail event of s3.amazonaws.com is named "CreateUser" (iam.amazonaws.com has one)"#
            ),
            (
                EventNameFinding(.unknownEventName, literal: "stoplogging", range: nil, suggestion: "StopLogging"),
                #"no CloudTrail event is named "stoplogging"; did you mean "StopLogging"? (names are case-sensitive)"#
            ),
            (
                EventNameFinding(.unknownEventName, literal: "Delte*", range: nil, sources: ["a", "b", "c", "d", "e"]),
                #"no CloudTrail event name of a, b, c or 2 more matches "Delte*""#
            ),
            (
                EventNameFinding(.unknownEventSource, literal: "iam", range: nil, suggestion: "iam.amazonaws.com"),
                #"no CloudTrail event source is named "iam"; did you mean "iam.amazonaws.com"?"#
            ),
            (
                EventNameFinding(
                    .unknownEventName, literal: "X", range: nil, sources: ["a", "b"], elsewhere: ["c", "d"]),
                #"no CloudTrail event of a or b is named "X" (c or d have one)"#
            ),
        ])
    func messages(finding: EventNameFinding, message: String) {
        #expect(finding.message == message)
    }
}
