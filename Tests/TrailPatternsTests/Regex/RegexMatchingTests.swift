import Testing
import TrailPatterns

/// One search and its expected answer.
struct RegexSearchCase: Sendable, CustomTestStringConvertible {
    var pattern: String
    var input: String
    var expected: Bool

    init(_ pattern: String, _ input: String, _ expected: Bool) {
        self.pattern = pattern
        self.input = input
        self.expected = expected
    }

    var testDescription: String { "%\(pattern)% on \(input.debugDescription) → \(expected)" }
}

@Suite("Regex matching")
struct RegexMatchingTests {
    static let documentationExamples: [RegexSearchCase] = [
        RegexSearchCase("abcc|ab[^c]$", "abccX", true),
        RegexSearchCase("abcc|ab[^c]$", "xaba", true),
        RegexSearchCase("abcc|ab[^c]$", "aac", false),
        RegexSearchCase("abcc|ab[^c]$", "abc", false),
        RegexSearchCase("abcc|ab[^c]$", "abdx", false),
        RegexSearchCase("^starting|^initializing|^shutting down", "shutting down now", true),
        RegexSearchCase("^starting|^initializing|^shutting down", "initializing x", true),
        RegexSearchCase("^starting|^initializing|^shutting down", "starting", true),
        RegexSearchCase("^starting|^initializing|^shutting down", "now starting", false),
        RegexSearchCase("gra|ey", "grab", true),
        RegexSearchCase("gra|ey", "key", true),
        RegexSearchCase("gra|ey", "grey", true),
        RegexSearchCase("gra|ey", "gr", false),
        RegexSearchCase("10\\.10\\.0\\.1", "ip 10.10.0.1", true),
        RegexSearchCase("10\\.10\\.0\\.1", "10a10b0c1", false),
        RegexSearchCase("val.{2}", "value1", true),
        RegexSearchCase("val.{2}", "val1", false),
        RegexSearchCase("^\\*abc", "*abcd", true),
        RegexSearchCase("^\\*abc", "x*abc", false),
        RegexSearchCase("AUTHORIZED", "UNAUTHORIZED REQUEST", true),
    ]

    static let literalsAndEscapes: [RegexSearchCase] = [
        RegexSearchCase("abc", "ABC", false),
        RegexSearchCase("ABC", "xABCx", true),
        RegexSearchCase("a:b_c#d=e@f/g;h,i-j k", "a:b_c#d=e@f/g;h,i-j k", true),
        RegexSearchCase("arn:aws:iam::123", "arn:aws:iam::1234:role", true),
        RegexSearchCase("\\x41\\x42", "zAB", true),
        RegexSearchCase("\\x7e", "a~b", true),
        RegexSearchCase("a\\tb", "a\tb", true),
        RegexSearchCase("a\\tb", "a b", false),
        RegexSearchCase("\\n", "a\nb", true),
        RegexSearchCase("\\r\\n", "x\r\n", true),
        RegexSearchCase("\\f\\v", "\u{0C}\u{0B}", true),
        RegexSearchCase("100\\%", "100%", true),
        RegexSearchCase("f\\(\\)", "f()", true),
        RegexSearchCase("\\\\", "a\\b", true),
        RegexSearchCase("\\[x\\]", "[x]", true),
        RegexSearchCase("\\.", "a", false),
        RegexSearchCase("\\ ", " ", true),
        RegexSearchCase("\\$", "$", true),
        RegexSearchCase("\\^", "^", true),
        RegexSearchCase("\\!\\\"\\'\\&\\~\\`", "!\"'&~`", true),
        RegexSearchCase("\\d+", "abc123", true),
        RegexSearchCase("^\\d+$", "12a", false),
        RegexSearchCase("\\D", "123", false),
        RegexSearchCase("\\D", "12x", true),
        RegexSearchCase("\\w", "--- ", false),
        RegexSearchCase("\\W", "abc_09XY", false),
        RegexSearchCase("\\W", "ab-", true),
        RegexSearchCase("\\s", "a b", true),
        RegexSearchCase("\\S", " \t\n", false),
    ]

    static let anchors: [RegexSearchCase] = [
        RegexSearchCase("^abc", "abcdef", true),
        RegexSearchCase("^abc", "xabc", false),
        RegexSearchCase("abc$", "xxabc", true),
        RegexSearchCase("abc$", "abc\n", false),
        RegexSearchCase("abc$", "abcx", false),
        RegexSearchCase("^abc$", "abc", true),
        RegexSearchCase("^abc$", "abcabc", false),
        RegexSearchCase("^$", "", true),
        RegexSearchCase("^$", "a", false),
        RegexSearchCase("^$", "\n", false),
        RegexSearchCase("^", "", true),
        RegexSearchCase("^", "abc", true),
        RegexSearchCase("$", "abc", true),
        RegexSearchCase("a^b", "ab", false),
        RegexSearchCase("a$b", "ab", false),
        RegexSearchCase("^abc|xyz$", "abc...", true),
        RegexSearchCase("^abc|xyz$", "..xyz", true),
        RegexSearchCase("^abc|xyz$", "xabc", false),
        RegexSearchCase("^abc|xyz$", "xyzx", false),
        RegexSearchCase("^^a", "a", true),
        RegexSearchCase("a$$", "ba", true),
        RegexSearchCase("$^", "", true),
        RegexSearchCase("$^", "a", false),
        RegexSearchCase("^a|b", "cb", true),
        RegexSearchCase("^a|b", "ca", false),
        RegexSearchCase("^b", "a\nb", false),
        RegexSearchCase("a$", "a\nb", false),
        RegexSearchCase("^a*$", "", true),
        RegexSearchCase("^a*$", "aaab", false),
    ]

    static let dotAndQuantifiers: [RegexSearchCase] = [
        RegexSearchCase(".", "", false),
        RegexSearchCase(".", "\n", false),
        RegexSearchCase(".", "\r", true),
        RegexSearchCase(".", "a", true),
        RegexSearchCase("a.c", "a\nc", false),
        RegexSearchCase("a.c", "abc", true),
        RegexSearchCase("a.c", "a c", true),
        RegexSearchCase("ab?c", "ac", true),
        RegexSearchCase("ab?c", "abc", true),
        RegexSearchCase("ab?c", "abbc", false),
        RegexSearchCase("ab*c", "abbbc", true),
        RegexSearchCase("ab*c", "ac", true),
        RegexSearchCase("ab+c", "ac", false),
        RegexSearchCase("ab+c", "abbc", true),
        RegexSearchCase("^a{3}$", "aaa", true),
        RegexSearchCase("^a{3}$", "aa", false),
        RegexSearchCase("^a{3}$", "aaaa", false),
        RegexSearchCase("^a{2,}$", "a", false),
        RegexSearchCase("^a{2,}$", "aaaaa", true),
        RegexSearchCase("^a{,2}$", "", true),
        RegexSearchCase("^a{,2}$", "aa", true),
        RegexSearchCase("^a{,2}$", "aaa", false),
        RegexSearchCase("^a{2,3}$", "aaa", true),
        RegexSearchCase("^a{2,3}$", "aaaa", false),
        RegexSearchCase("^a{2,3}$", "a", false),
        RegexSearchCase("^a{0}$", "", true),
        RegexSearchCase("^a{0}b$", "b", true),
        RegexSearchCase("^a{0,0}$", "a", false),
        RegexSearchCase("^a{1,1}$", "a", true),
        RegexSearchCase("^a{007}$", "aaaaaaa", true),
        RegexSearchCase("x{1000}", String(repeating: "x", count: 1000), true),
        RegexSearchCase("x{1000}", String(repeating: "x", count: 999), false),
        RegexSearchCase("^.{1000}$", String(repeating: "é", count: 1000), true),
        RegexSearchCase("^.{1000}$", String(repeating: "é", count: 1001), false),
        RegexSearchCase("a.*b", "a\nb", false),
        RegexSearchCase("a.*b", "a xx b", true),
        RegexSearchCase("a[^x]*b", "a\nb", true),
        // Lazy quantifiers only change match preference, never whether a match exists.
        RegexSearchCase("^a*?$", "aaa", true),
        RegexSearchCase("a+?b", "aab", true),
        RegexSearchCase("a+?b", "b", false),
        RegexSearchCase("^a??$", "a", true),
        RegexSearchCase("^a??$", "aa", false),
        RegexSearchCase("^a{2,3}?$", "aaa", true),
        RegexSearchCase("^a{2,3}?$", "a", false),
        RegexSearchCase("^a{2,}?$", "aaaa", true),
    ]

    static let classes: [RegexSearchCase] = [
        RegexSearchCase("[abc]", "xbx", true),
        RegexSearchCase("[abc]", "xyz", false),
        RegexSearchCase("[a-c]", "b", true),
        RegexSearchCase("[a-cx-z]", "y", true),
        RegexSearchCase("[a-cx-z]", "m", false),
        RegexSearchCase("[^a-c]", "abc", false),
        RegexSearchCase("[^a-c]", "abcd", true),
        RegexSearchCase("[]a]", "]", true),
        RegexSearchCase("[]]", "x]", true),
        RegexSearchCase("[^]a]", "]a", false),
        RegexSearchCase("[^]a]", "b", true),
        RegexSearchCase("[]-a]", "_", true),
        RegexSearchCase("[-a]", "-", true),
        RegexSearchCase("[a-]", "-", true),
        RegexSearchCase("[^-]", "---", false),
        RegexSearchCase("[]-]", "-", true),
        RegexSearchCase("[.]", "a", false),
        RegexSearchCase("[.]", ".", true),
        RegexSearchCase("^[.*+?{}|$()^]+$", ".*+?{}|$()^", true),
        RegexSearchCase("[a^]", "^", true),
        RegexSearchCase("[^^]", "^", false),
        RegexSearchCase("[\\d]", "5", true),
        RegexSearchCase("[\\D]", "5", false),
        RegexSearchCase("[\\w.]", ".", true),
        RegexSearchCase("[\\s]", " ", true),
        RegexSearchCase("[\\S]", " ", false),
        RegexSearchCase("[^\\d]", "123", false),
        RegexSearchCase("[^\\D]", "a1", true),
        RegexSearchCase("[\\x41-\\x43]", "B", true),
        RegexSearchCase("[\\x41-\\x43]", "D", false),
        RegexSearchCase("[\\]]", "]", true),
        RegexSearchCase("[\\[]", "[", true),
        RegexSearchCase("[\\\\]", "\\", true),
        RegexSearchCase("[\\-]", "-", true),
        RegexSearchCase("[+-/]", ",", true),
        RegexSearchCase("[+-/]", "a", false),
        RegexSearchCase("[\\n]", "\n", true),
        RegexSearchCase("a[^b]c", "a\nc", true),
        RegexSearchCase("[^\\s\\S]", "anything at all", false),
        RegexSearchCase("[\\s\\S]", "\n", true),
        RegexSearchCase("[A-Z][a-z]+Error", "AccessDeniedError", true),
        RegexSearchCase("^[A-Z][a-z]+Error", "accessDeniedError", false),
    ]

    static let emptyAlternatives: [RegexSearchCase] = [
        RegexSearchCase("a|", "zzz", true),
        RegexSearchCase("|a", "", true),
        RegexSearchCase("a||b", "c", true),
        RegexSearchCase("|", "", true),
        RegexSearchCase("^x|", "y", true),
    ]

    @Test("documentation examples", arguments: documentationExamples)
    func documentation(_ test: RegexSearchCase) throws {
        #expect(try regexSearch(test.pattern, test.input) == test.expected)
    }

    @Test("literals and escapes", arguments: literalsAndEscapes)
    func literals(_ test: RegexSearchCase) throws {
        #expect(try regexSearch(test.pattern, test.input) == test.expected)
    }

    @Test("anchors", arguments: anchors)
    func anchor(_ test: RegexSearchCase) throws {
        #expect(try regexSearch(test.pattern, test.input) == test.expected)
    }

    @Test("dot and quantifiers", arguments: dotAndQuantifiers)
    func quantifier(_ test: RegexSearchCase) throws {
        #expect(try regexSearch(test.pattern, test.input) == test.expected)
    }

    @Test("character classes", arguments: classes)
    func characterClass(_ test: RegexSearchCase) throws {
        #expect(try regexSearch(test.pattern, test.input) == test.expected)
    }

    @Test("empty alternatives match everywhere", arguments: emptyAlternatives)
    func emptyAlternative(_ test: RegexSearchCase) throws {
        #expect(try regexSearch(test.pattern, test.input) == test.expected)
    }

    @Test("escape classes contain exactly the specified ASCII characters", arguments: 0..<128)
    func escapeClassMembership(_ value: Int) throws {
        let byte = UInt8(value)
        let isSpace = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20].contains(byte)
        let isDigit = (0x30...0x39).contains(byte)
        let isWord = isDigit || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
        let input = [byte]
        #expect(try regexSearch("^\\s$", bytes: input) == isSpace)
        #expect(try regexSearch("^\\S$", bytes: input) == !isSpace)
        #expect(try regexSearch("^[\\s]$", bytes: input) == isSpace)
        #expect(try regexSearch("^[^\\s]$", bytes: input) == !isSpace)
        #expect(try regexSearch("^\\d$", bytes: input) == isDigit)
        #expect(try regexSearch("^\\D$", bytes: input) == !isDigit)
        #expect(try regexSearch("^\\w$", bytes: input) == isWord)
        #expect(try regexSearch("^\\W$", bytes: input) == !isWord)
        #expect(try regexSearch("^.$", bytes: input) == (byte != 0x0A))
        #expect(try regexSearch("^[^a]$", bytes: input) == (byte != 0x61))
        // \xhh reaches every ASCII byte, including ones with no other spelling.
        let hex = String(value, radix: 16)
        #expect(try regexSearch("^\\x\(hex.count == 1 ? "0" + hex : hex)$", bytes: input))
    }

    @Test("a lazy quantifier compiles to the same match set as the greedy one")
    func lazyEqualsGreedy() throws {
        let inputs = ["", "a", "aa", "aaa", "aaaa", "ab", "ba", "aab", "b"]
        for (greedy, lazy) in [("^a*$", "^a*?$"), ("a+b", "a+?b"), ("^a?$", "^a??$"), ("^a{2,3}$", "^a{2,3}?$")] {
            let greedyRegex = try FilterRegex(greedy)
            let lazyRegex = try FilterRegex(lazy)
            for input in inputs {
                #expect(greedyRegex.matches(input.utf8) == lazyRegex.matches(input.utf8), "\(greedy) vs \(lazy)")
            }
        }
    }

    @Test("source is kept verbatim and equality compares sources")
    func sourceAndEquality() throws {
        let regex = try FilterRegex(body: Array("ab[^c]$".utf8))
        #expect(regex.source == "ab[^c]$")
        #expect(regex == (try FilterRegex("ab[^c]$")))
        #expect(regex != (try FilterRegex("ab[^c]")))
        // Same language, different spelling: still different values.
        #expect((try FilterRegex("a")) != (try FilterRegex("\\x61")))
    }

    @Test("one matcher gives the same answers as fresh ones across many inputs")
    func matcherReuse() throws {
        let regex = try FilterRegex("^[A-Z][a-z]+ [a-z]|ok$|[^\\x00-\\x7f]")
        let matcher = regex.makeMatcher()
        let inputs = ["Access denied", "access denied", "Ok ok", "X", "Xy ", "Xy", "", "Éa ", "Zz zz", "Aa \n"]
        for _ in 0..<3 {
            for input in inputs {
                #expect(matcher.matches(bytes: Array(input.utf8)) == regex.matches(input.utf8), "\(input)")
            }
        }
    }

    @Test("non-contiguous collections are accepted by the convenience matcher")
    func nonContiguousInput() throws {
        let regex = try FilterRegex("b.d")
        #expect(regex.matches(Array("abcde".utf8).lazy.map { $0 }))
        #expect(!regex.matches(Array("abde".utf8).lazy.map { $0 }))
    }
}
