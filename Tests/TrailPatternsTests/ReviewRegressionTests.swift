import Testing

@testable import TrailPatterns

/// Guards for problems found in review, each named after what it guards.
struct ReviewRegressionTests {
    @Test("a first term that starts like another kind of pattern is quoted when printed", arguments: [
        #""{x" y"#, #""[x" y"#, #""%x%" y"#, #""}" y"#, #""-x" y"#, #"y "{x""#, #""" y"#,
    ])
    func termQuoting(_ text: String) throws {
        let pattern = try FilterPattern.parse(text)
        guard case .terms = pattern.body else {
            Issue.record("\(text) is not a term pattern")
            return
        }
        #expect(try FilterPattern.parse(pattern.description) == pattern)
    }

    @Test("diagnostics in patterns with CRLF line endings point at the right line")
    func crlf() throws {
        let text = "{ $.a = 1\r\n && $.b = }"
        do {
            _ = try FilterPattern.parse(text)
            Issue.record("accepted")
        } catch {
            #expect(error.diagnostic.location(in: text).line == 2)
            #expect(error.rendered == """
                error: expected a value after `=` (line 2, column 9)
                   && $.b = }
                          ^~
                  hint: for example `= "value"`
                """)
        }
    }

    @Test("the middle-wildcard hint is a regex that compiles and means the wildcard", arguments: [
        ("Ev*ent", "Event", "Evxxent"),
        ("a.b*c", "a.bc", "a.bzzc"),
        ("x(1)*y", "x(1)y", "x(1)--y"),
    ])
    func middleWildcardHint(_ value: String, _ short: String, _ long: String) throws {
        let pattern = try FilterPattern.parse("{ $.a = \"\(value)\" }")
        let hint = try #require(pattern.warnings.first?.hint)
        let body = try #require(hint.split(separator: "`").dropFirst().first).dropFirst().dropLast()
        let regex = try FilterRegex(String(body))
        #expect(regex.matches(Array(short.utf8)))
        #expect(regex.matches(Array(long.utf8)))
        #expect(!regex.matches(Array("zz".utf8)))
    }

    @Test("a non-ASCII value gets a middle-wildcard hint without an invalid regex")
    func middleWildcardNonASCII() throws {
        let pattern = try FilterPattern.parse("{ $.a = \"é*b\" }")
        #expect(pattern.warnings.first?.hint?.contains("%") == false)
    }
}
