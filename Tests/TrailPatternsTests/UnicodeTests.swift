import Testing
import TrailJSON

@testable import TrailPatterns

/// Values and keys compare by UTF-8 bytes, with no Unicode normalisation, everywhere: in the
/// matcher, in OR-chain sets, in the prefilter index and in the projection's key table. A
/// precomposed `é` (U+00E9) and `e` + U+0301 are different, as they are to CloudWatch's byte-level
/// JSON comparison.
struct UnicodeTests {
    static let composed = "\u{E9}"
    static let decomposed = "e\u{301}"

    func matches(_ pattern: String, _ record: String) throws -> Bool {
        let matcher = PatternMatcher(try FilterPattern.parse(pattern))
        var context = matcher.makeContext()
        return try Array(record.utf8).withUnsafeBytes { try matcher.matches($0, in: &context) }
    }

    @Test("an OR-chain holding both spellings matches each of them (the prefilter keeps both)")
    func bothSpellingsInOrChain() throws {
        let pattern = #"{ $.a = "\#(Self.composed)" || $.a = "\#(Self.decomposed)" }"#
        #expect(try matches(pattern, #"{"a":"\#(Self.composed)"}"#))
        #expect(try matches(pattern, #"{"a":"\#(Self.decomposed)"}"#))
        let requirement = try #require(PatternRequirement(for: try FilterPattern.parse(pattern)))
        #expect(requirement.values.count == 2)
    }

    @Test("one spelling does not match the other")
    func spellingsDiffer() throws {
        #expect(try !matches(#"{ $.a = "\#(Self.composed)" }"#, #"{"a":"\#(Self.decomposed)"}"#))
        #expect(try matches(#"{ $.a = "\#(Self.composed)" }"#, #"{"a":"\u00e9"}"#))
    }

    @Test("keys with different spellings are different paths")
    func keys() throws {
        let pattern = #"{ $.['\#(Self.composed)'] = 1 || $.['\#(Self.decomposed)'] = 2 }"#
        #expect(try !matches(pattern, #"{"\#(Self.composed)":2}"#))
        #expect(try matches(pattern, #"{"\#(Self.decomposed)":2}"#))
        #expect(try matches(pattern, #"{"\#(Self.composed)":1}"#))
        #expect(JSONPath([.key(Self.composed)]) != JSONPath([.key(Self.decomposed)]))
    }

    @Test("syntax trees with different spellings are different patterns")
    func trees() throws {
        #expect(
            try FilterPattern.parse(#"{ $.a = "\#(Self.composed)" }"#)
                != FilterPattern.parse(#"{ $.a = "\#(Self.decomposed)" }"#))
    }
}
