import Testing
import TrailPatterns

/// Random small regexes compared against `ReferenceRegex`, plus random garbage bodies for robustness.
@Suite("Regex differential and robustness")
struct RegexDifferentialTests {
    private typealias Predicate = @Sendable (Unicode.Scalar) -> Bool

    /// Fixed atoms with predicates written out by hand.
    private static let atoms: [(String, Predicate)] = [
        ("a", { $0 == "a" }),
        ("b", { $0 == "b" }),
        ("1", { $0 == "1" }),
        (" ", { $0 == " " }),
        (".", { $0 != "\n" }),
        ("\\.", { $0 == "." }),
        ("[ab]", { $0 == "a" || $0 == "b" }),
        ("[a-b]", { $0 == "a" || $0 == "b" }),
        ("[^a]", { $0 != "a" }),
        ("[^ab]", { $0 != "a" && $0 != "b" }),
        ("[^\\n]", { $0 != "\n" }),
        ("[.]", { $0 == "." }),
        ("[^.]", { $0 != "." }),
        ("\\n", { $0 == "\n" }),
        ("\\x61", { $0 == "a" }),
        ("\\s", ReferenceRegex.Classes.isSpace),
        ("\\S", { !ReferenceRegex.Classes.isSpace($0) }),
        ("\\d", ReferenceRegex.Classes.isDigit),
        ("\\D", { !ReferenceRegex.Classes.isDigit($0) }),
        ("\\w", ReferenceRegex.Classes.isWord),
        ("\\W", { !ReferenceRegex.Classes.isWord($0) }),
        ("[\\D]", { !ReferenceRegex.Classes.isDigit($0) }),
        ("[^\\w]", { !ReferenceRegex.Classes.isWord($0) }),
        ("[\\s\\S]", { _ in true }),
        ("[^\\s\\S]", { _ in false }),
    ]

    /// Input fragments: ASCII, multi-byte characters and several kinds of invalid UTF-8.
    private static let fragments: [[UInt8]] = [
        Array("a".utf8), Array("a".utf8), Array("b".utf8), Array("b".utf8), Array("é".utf8), Array("\n".utf8),
        Array(" ".utf8), Array("1".utf8), Array(".".utf8), Array("😀".utf8), Array("日".utf8),
        [0xFF], [0x80], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF],
    ]

    private static func randomAtom(_ random: inout RegexSplitMix64) -> (String, Predicate) {
        guard random.chance(30) else {
            return random.pick(atoms)
        }
        // A random class over a few members, possibly negated, possibly with a range.
        let members: [(String, [Unicode.Scalar])] = [
            ("a", ["a"]), ("b", ["b"]), ("1", ["1"]), (" ", [" "]), (".", ["."]), ("\\n", ["\n"]),
            ("a-b", ["a", "b"]), ("0-9", (0x30...0x39).map { Unicode.Scalar(UInt8($0)) }),
        ]
        var text = ""
        var set = Set<Unicode.Scalar>()
        for _ in 0..<random.int(1...3) {
            let member = random.pick(members)
            text += member.0
            set.formUnion(member.1)
        }
        let negated = random.chance(40)
        let frozen = set
        let predicate: Predicate
        if negated {
            predicate = { scalar in !frozen.contains(scalar) }
        } else {
            predicate = { scalar in frozen.contains(scalar) }
        }
        return ("[\(negated ? "^" : "")\(text)]", predicate)
    }

    private static func randomRegex(_ random: inout RegexSplitMix64) -> ReferenceRegex {
        var alternatives: [[ReferenceRegex.Term]] = []
        var texts: [String] = []
        for _ in 0..<random.int(1...3) {
            var terms: [ReferenceRegex.Term] = []
            var text = ""
            if random.chance(20) {
                terms.append(ReferenceRegex.Term(kind: .start))
                text += "^"
            }
            for _ in 0..<random.int(0...4) {
                if random.chance(5) {
                    let start = random.chance(50)
                    terms.append(ReferenceRegex.Term(kind: start ? .start : .end))
                    text += start ? "^" : "$"
                    continue
                }
                let (atomText, predicate) = randomAtom(&random)
                var term = ReferenceRegex.Term(kind: .atom(predicate))
                text += atomText
                switch random.int(0...9) {
                case 0: (term.minCount, term.maxCount, text) = (0, 1, text + "?")
                case 1: (term.minCount, term.maxCount, text) = (0, nil, text + "*")
                case 2: (term.minCount, term.maxCount, text) = (1, nil, text + "+")
                case 3:
                    let count = random.int(0...3)
                    (term.minCount, term.maxCount, text) = (count, count, text + "{\(count)}")
                case 4:
                    let lower = random.int(0...3)
                    (term.minCount, term.maxCount, text) = (lower, nil, text + "{\(lower),}")
                case 5:
                    let upper = random.int(0...3)
                    (term.minCount, term.maxCount, text) = (0, upper, text + "{,\(upper)}")
                case 6:
                    let lower = random.int(0...3)
                    let upper = random.int(lower...4)
                    (term.minCount, term.maxCount, text) = (lower, upper, text + "{\(lower),\(upper)}")
                default:
                    break
                }
                if term.minCount != 1 || term.maxCount != 1, random.chance(15) {
                    text += "?"
                }
                terms.append(term)
            }
            if random.chance(20) {
                terms.append(ReferenceRegex.Term(kind: .end))
                text += "$"
            }
            alternatives.append(terms)
            texts.append(text)
        }
        let source = texts.joined(separator: "|")
        // An empty body is a syntax error, not a regex; draw again.
        return source.isEmpty ? randomRegex(&random) : ReferenceRegex(alternatives: alternatives, source: source)
    }

    private static func randomInput(_ random: inout RegexSplitMix64, maxFragments: Int) -> [UInt8] {
        (0..<random.int(0...maxFragments)).flatMap { _ in random.pick(fragments) }
    }

    @Test("engine agrees with a backtracking reference on thousands of random regexes")
    func differential() throws {
        var random = RegexSplitMix64(seed: 0xC0FF_EE00_1234_5678)
        var comparisons = 0
        var positives = 0
        for _ in 0..<4000 {
            let reference = Self.randomRegex(&random)
            let regex = try FilterRegex(reference.source)
            #expect(regex.source == reference.source)
            // One matcher per regex across all inputs, so cached DFA states are reused and must stay correct.
            let matcher = regex.makeMatcher()
            for _ in 0..<12 {
                let input = Self.randomInput(&random, maxFragments: 8)
                let expected = reference.matches(input)
                let actual = matcher.matches(bytes: input)
                #expect(actual == expected, "%\(reference.source)% on \(input)")
                if actual != expected {
                    return
                }
                comparisons += 1
                positives += expected ? 1 : 0
            }
        }
        // Guard against a degenerate generator: both answers must be well represented.
        #expect(comparisons == 48_000)
        #expect(positives > comparisons / 5 && positives < comparisons * 4 / 5)
    }

    @Test("longer inputs agree with the reference too")
    func differentialLongerInputs() throws {
        var random = RegexSplitMix64(seed: 0x0BAD_F00D)
        for _ in 0..<300 {
            let reference = Self.randomRegex(&random)
            let matcher = try FilterRegex(reference.source).makeMatcher()
            for _ in 0..<4 {
                let input = Self.randomInput(&random, maxFragments: 40)
                #expect(matcher.matches(bytes: input) == reference.matches(input), "%\(reference.source)% on \(input)")
            }
        }
    }

    @Test("random garbage bodies never crash: they compile or throw an in-bounds error")
    func garbageBodies() {
        var random = RegexSplitMix64(seed: 0xDEAD_BEEF)
        let alphabet: [UInt8] =
            Array("ab^$.*+?{}[]()|\\-,0123456789xdDsSwWntrfv ".utf8)
            + [0x00, 0x09, 0x21, 0x25, 0x7F, 0xC3, 0xA9, 0xFF, 0x80]
        var compiled = 0
        for _ in 0..<30_000 {
            let body = (0..<random.int(0...14)).map { _ in random.pick(alphabet) }
            do {
                let regex = try FilterRegex(body: body)
                compiled += 1
                let matcher = regex.makeMatcher()
                for _ in 0..<3 {
                    _ = matcher.matches(bytes: Self.randomInput(&random, maxFragments: 12))
                }
            } catch {
                #expect(error.offset >= 0 && error.length >= 0)
                #expect(error.offset + error.length <= body.count, "\(error) for \(body)")
                #expect(!error.message.isEmpty)
                if body.isEmpty {
                    #expect(error.kind == .empty)
                } else {
                    #expect(error.offset < body.count && error.length >= 1, "\(error) for \(body)")
                }
            }
        }
        #expect(compiled > 1000)
    }
}
