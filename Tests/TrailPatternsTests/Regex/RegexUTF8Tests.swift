import Testing
import TrailPatterns

/// A search over raw bytes, for inputs that are not valid UTF-8.
struct RegexByteSearchCase: Sendable, CustomTestStringConvertible {
    var pattern: String
    var input: [UInt8]
    var expected: Bool

    init(_ pattern: String, _ input: [UInt8], _ expected: Bool) {
        self.pattern = pattern
        self.input = input
        self.expected = expected
    }

    var testDescription: String {
        "%\(pattern)% on \(input.map { String($0, radix: 16) }.joined(separator: " ")) → \(expected)"
    }
}

@Suite("Regex UTF-8 handling")
struct RegexUTF8Tests {
    static let validText: [RegexSearchCase] = [
        RegexSearchCase("^.$", "é", true),
        RegexSearchCase("^.$", "😀", true),
        RegexSearchCase("^.$", "日", true),
        RegexSearchCase("^..$", "é", false),
        RegexSearchCase("^.{3}$", "héé", true),
        RegexSearchCase("^.{3}$", "日本語", true),
        RegexSearchCase("^.{2}$", "日本語", false),
        RegexSearchCase("^.{4}$", "a😀b😀", true),
        RegexSearchCase("^[^a]$", "é", true),
        RegexSearchCase("^[^a]{2}$", "é", false),
        RegexSearchCase("^\\D$", "é", true),
        RegexSearchCase("^\\W$", "😀", true),
        RegexSearchCase("^\\S$", "é", true),
        RegexSearchCase("^\\w$", "é", false),
        RegexSearchCase("^\\s$", "\u{00A0}", false),
        RegexSearchCase("^\\d$", "٣", false),
        RegexSearchCase("caf.$", "café", true),
        RegexSearchCase("caf.$", "cafe\u{301}", false),
        RegexSearchCase("^.{2}$", "e\u{301}", true),
        RegexSearchCase("[^\\x00-\\x7f]", "plain ascii", false),
        RegexSearchCase("[^\\x00-\\x7f]", "naïve", true),
        RegexSearchCase("user=.+,", "user=José,", true),
        RegexSearchCase("^..b$", "日本b", true),
        RegexSearchCase("^.b$", "日本b", false),
    ]

    /// Invalid sequences split into characters exactly like the standard library's U+FFFD repair
    /// (one character per maximal subpart); `.` and negated classes consume each such character whole.
    static let invalidBytes: [RegexByteSearchCase] = [
        RegexByteSearchCase("^.$", [0xFF], true),
        RegexByteSearchCase("^.$", [0x80], true),
        RegexByteSearchCase("^..$", [0x80, 0x80], true),
        RegexByteSearchCase("^.$", [0xC3], true),
        RegexByteSearchCase("^.A$", [0xC3, 0x41], true),
        RegexByteSearchCase("^.$", [0xC3, 0x41], false),
        RegexByteSearchCase("^.$", [0xE2, 0x82], true),
        RegexByteSearchCase("^..$", [0xE2, 0x82], false),
        RegexByteSearchCase("^..$", [0xE0, 0x80], true),
        RegexByteSearchCase("^.{3}$", [0xED, 0xA0, 0x80], true),
        RegexByteSearchCase("^.$", [0xF0, 0x9F, 0x98], true),
        RegexByteSearchCase("^.A$", [0xF0, 0x9F, 0x98, 0x41], true),
        RegexByteSearchCase("^..$", [0xC0, 0xAF], true),
        RegexByteSearchCase("^.{4}$", [0xF4, 0x90, 0x80, 0x80], true),
        RegexByteSearchCase("^.{2}$", [0xF1, 0x80, 0x80, 0xC3, 0xA9], true),
        RegexByteSearchCase("A[^x]B", [0x41, 0xFF, 0x42], true),
        RegexByteSearchCase("^[^a]$", [0xC3], true),
        RegexByteSearchCase("^\\W$", [0xC3], true),
        RegexByteSearchCase("^\\w", [0xC3], false),
        RegexByteSearchCase("^a", [0xC3], false),
        RegexByteSearchCase("[^a]{2}$", [0x61, 0xEF, 0xAC, 0x80], false),
        RegexByteSearchCase("[^a]{2}$", [0x61, 0xEF, 0xAC], false),
        RegexByteSearchCase("b$", [0x62, 0xC3], false),
        RegexByteSearchCase("b.$", [0x62, 0xC3], true),
        RegexByteSearchCase("b.c", [0x62, 0xE2, 0x82, 0x63], true),
        RegexByteSearchCase("b..c", [0x62, 0xE2, 0x82, 0x63], false),
        RegexByteSearchCase("^.*$", [0x61, 0xFF, 0xFE, 0xC3], true),
        RegexByteSearchCase("x", [0xFF, 0xFF, 0x78], true),
        RegexByteSearchCase("x", [0xFF, 0xFF, 0xC3], false),
    ]

    @Test("valid UTF-8 text", arguments: validText)
    func validUTF8(_ test: RegexSearchCase) throws {
        #expect(try regexSearch(test.pattern, test.input) == test.expected)
    }

    @Test("invalid UTF-8 bytes", arguments: invalidBytes)
    func invalidUTF8(_ test: RegexByteSearchCase) throws {
        #expect(try regexSearch(test.pattern, bytes: test.input) == test.expected)
    }

    @Test("character counting agrees with the standard library's decoder on random bytes")
    func segmentationMatchesStandardLibrary() throws {
        var random = RegexSplitMix64(seed: 0x5EED_0001)
        let interesting: [UInt8] = [
            0x41, 0x0A, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        let exact = try (0...12).map { count in try FilterRegex("^[\\s\\S]{\(count)}$").makeMatcher() }
        for _ in 0..<3000 {
            let length = random.int(0...10)
            let bytes = (0..<length).map { _ in
                random.chance(70) ? random.pick(interesting) : UInt8(truncatingIfNeeded: random.next())
            }
            let characters = String(decoding: bytes, as: UTF8.self).unicodeScalars.count
            for count in 0...12 {
                #expect(exact[count].matches(bytes: bytes) == (count == characters), "\(bytes) has \(characters)")
            }
        }
    }
}
