import Testing
import TrailPatterns

/// Inputs that make backtracking engines explode; these finish quickly only because matching is linear.
@Suite("Regex linear-time behaviour")
struct RegexLinearityTests {
    @Test("a*a*a*a*a*b against 200,000 a's completes with no match")
    func nestedStars() throws {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 200_000)
        let matcher = try FilterRegex("a*a*a*a*a*b").makeMatcher()
        #expect(!matcher.matches(bytes: input))
        #expect(matcher.matches(bytes: input + [UInt8(ascii: "b")]))
    }

    @Test("bounded repetitions against long near-miss inputs")
    func boundedRepetitions() throws {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        #expect(try !FilterRegex("a{0,30}a{0,30}a{0,30}b").matches(input))
        #expect(try !FilterRegex(".*.*.*=.*").matches(input))
        #expect(try !FilterRegex("^a?b").matches(input))
    }

    @Test("an exponential-size DFA forces cache flushes without changing answers")
    func cacheFlushing() throws {
        // `a[ab]{12}c` needs a DFA state per combination of the last 13 letters: more than the cache holds.
        var random = RegexSplitMix64(seed: 42)
        let matcher = try FilterRegex("a[ab]{12}c").makeMatcher()
        for _ in 0..<4 {
            var input = (0..<150_000).map { _ in random.chance(50) ? UInt8(ascii: "a") : UInt8(ascii: "b") }
            input.append(UInt8(ascii: "c"))
            let expected = input[input.count - 14] == UInt8(ascii: "a")
            #expect(matcher.matches(bytes: input) == expected)
            input[input.count - 14] = UInt8(ascii: expected ? "b" : "a")
            #expect(matcher.matches(bytes: input) == !expected)
        }
    }

    @Test("large NFA state sets stay correct under memory-driven flushes")
    func largeStateSets() throws {
        var random = RegexSplitMix64(seed: 7)
        let input = (0..<20_000).map { _ in random.chance(50) ? UInt8(ascii: "a") : UInt8(ascii: "b") }
        let matcher = try FilterRegex("a.{200}c").makeMatcher()
        #expect(!matcher.matches(bytes: input))
        var hit = input
        hit[19_000] = UInt8(ascii: "a")
        hit[19_201] = UInt8(ascii: "c")
        #expect(matcher.matches(bytes: hit))
        // With a single `c`, the search matches exactly when the character 201 positions earlier is `a`.
        var miss = input
        miss[19_000] = UInt8(ascii: "a")
        miss[18_999] = UInt8(ascii: "b")
        miss[19_200] = UInt8(ascii: "c")
        #expect(!matcher.matches(bytes: miss))
    }
}
