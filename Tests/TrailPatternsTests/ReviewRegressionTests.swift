import Testing

@testable import TrailPatterns

/// Guards for problems found in review, each named after what it guards.
struct ReviewRegressionTests {
    @Test(
        "a first term that starts like another kind of pattern is quoted when printed",
        arguments: [
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
            #expect(
                error.rendered == """
                    error: expected a value after `=` (line 2, column 9)
                       && $.b = }
                              ^~
                      hint: for example `= "value"`
                    """)
        }
    }

    @Test(
        "the middle-wildcard hint is a regex that compiles and means the wildcard",
        arguments: [
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

/// Substring search (KMP) agrees with a naive search, borders and repeats included.
struct ByteSearchTests {
    @Test("KMP agrees with naive search on random texts over a tiny alphabet")
    func differential() {
        var random = SplitMix64(seed: 0xB17E)
        for _ in 0..<5000 {
            let needle = (0..<(1 + random.next(below: 6))).map { _ in UInt8(ascii: "a") + UInt8(random.next(below: 2)) }
            let haystack = (0..<random.next(below: 30)).map { _ in UInt8(ascii: "a") + UInt8(random.next(below: 2)) }
            let table = ByteSearch.failureTable(needle)
            let found = haystack.withUnsafeBytes { text in
                needle.withUnsafeBytes { pattern in
                    table.withUnsafeBufferPointer { ByteSearch.contains(text, pattern, failure: $0) }
                }
            }
            #expect(found == haystack.containsSubsequence(needle), "\(needle) in \(haystack)")
        }
    }

    @Test(
        "failure tables",
        arguments: [("aab", [0, 1, 0]), ("abab", [0, 0, 1, 2]), ("aaaa", [0, 1, 2, 3]), ("abc", [0, 0, 0])])
    func tables(_ needle: String, _ expected: [Int32]) {
        #expect(ByteSearch.failureTable(Array(needle.utf8)) == expected)
    }
}
