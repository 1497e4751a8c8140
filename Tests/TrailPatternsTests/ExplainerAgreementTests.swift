import Testing
import TrailJSON
import TrailPatterns

// The explainer must reach the matcher's verdict on every record: `trailhound explain` is only
// worth reading if what it says matches is what `match`, `replay` and the daemon match. Every
// conformance table of this target is replayed through both, then random patterns and records.

private func verdicts(_ pattern: String, _ record: String) throws -> (explained: Bool, matched: Bool) {
    let parsed = try FilterPattern.parse(pattern)
    let matcher = PatternMatcher(parsed)
    var context = matcher.makeContext()
    let explainer = PatternExplainer(parsed)
    return try Array(record.utf8).withUnsafeBytes { bytes in
        (try explainer.explain(bytes).matched, try matcher.matches(bytes, in: &context))
    }
}

/// One (pattern, record) pair with the verdict the spec gives.
struct AgreementCase: Sendable, CustomTestStringConvertible {
    var pattern: String
    var record: String
    var expected: Bool

    init(_ pattern: String, _ record: String, _ expected: Bool) {
        self.pattern = pattern
        self.record = record
        self.expected = expected
    }

    var testDescription: String { "\(pattern) on \(record) → \(expected)" }
}

@Suite("Explainer agrees with the matcher")
struct ExplainerAgreementTests {
    typealias A = AgreementCase

    /// The brief's checklist, one row per construct, each with a true and a false witness.
    static let constructs: [AgreementCase] = [
        // Numeric comparisons, including exponent spellings and numeric strings (never relational).
        A("{ $.n > 10 }", #"{"n":11}"#, true), A("{ $.n > 10 }", #"{"n":10}"#, false),
        A("{ $.n >= 1e1 }", #"{"n":10}"#, true), A("{ $.n < 0.5 }", #"{"n":-1}"#, true),
        A("{ $.n <= -1 }", #"{"n":0}"#, false), A("{ $.n = 1e-3 }", #"{"n":0.001}"#, true),
        A("{ $.n != 400 }", #"{"n":404}"#, true), A("{ $.n != 400 }", #"{"n":400.0}"#, false),
        A("{ $.n > 10 }", #"{"n":"11"}"#, false), A("{ $.n = 123 }", #"{"n":"123"}"#, true),
        // Wildcards in values.
        A("{ $.e = AccessDenied* }", #"{"e":"AccessDenied"}"#, true),
        A("{ $.e = *Operation }", #"{"e":"Client.UnauthorizedOperation"}"#, true),
        A("{ $.e = *Denied* }", #"{"e":"Allowed"}"#, false), A("{ $.status = 4* }", #"{"status":404}"#, true),
        A("{ $.e = Ev*nt }", #"{"e":"Event"}"#, false), A("{ $.e = Ev*nt }", #"{"e":"Ev*nt"}"#, true),
        // Existence: `= *` (EXISTS), NOT EXISTS, IS NULL, IS TRUE/FALSE.
        A("{ $.a = * }", #"{"a":"x"}"#, true), A("{ $.a = * }", #"{"a":null}"#, false),
        A("{ $.a = * }", #"{"b":1}"#, false), A("{ $.a NOT EXISTS }", #"{"b":1}"#, true),
        A("{ $.a NOT EXISTS }", #"{"a":null}"#, false), A("{ $.a.b NOT EXISTS }", #"{"a":"x"}"#, true),
        A("{ $.a IS NULL }", #"{"a":null}"#, true), A("{ $.a IS NULL }", #"{"b":null}"#, false),
        A("{ $.r IS TRUE }", #"{"r":true}"#, true), A("{ $.r IS TRUE }", #"{"r":"true"}"#, false),
        A("{ $.r IS FALSE }", #"{"r":false}"#, true),
        // Arrays: an index, any element, a whole array (never), any member.
        A("{ $.a[0] = x }", #"{"a":["x","y"]}"#, true), A("{ $.a[1] = x }", #"{"a":["x","y"]}"#, false),
        A("{ $.a[2] = x }", #"{"a":["x","y"]}"#, false), A("{ $.a[*] = y }", #"{"a":["x","y"]}"#, true),
        A("{ $.a[*] != x }", #"{"a":["x","y"]}"#, true), A("{ $.a[*] != x }", #"{"a":["x"]}"#, false),
        A("{ $.a = x }", #"{"a":["x"]}"#, false), A("{ $.a[0][1] = 2 }", #"{"a":[[1,2]]}"#, true),
        A("{ $.r[*].ARN = *bucket }", #"{"r":[{"ARN":"a"},{"ARN":"my-bucket"}]}"#, true),
        A("{ $.* = secret }", #"{"a":"x","b":"secret"}"#, true), A("{ $.['k.dot'] = v }", #"{"k.dot":"v"}"#, true),
        // Regex values.
        A("{ $.e = %^Delete[A-Z]% }", #"{"e":"DeleteTrail"}"#, true),
        A("{ $.e = %^Delete[A-Z]% }", #"{"e":"Deleted"}"#, false), A("{ $.n = %^4% }", #"{"n":404}"#, true),
        A("{ $.e != %Trail% }", #"{"e":"StopLogging"}"#, true), A("{ $.e = %x% }", #"{"f":"x"}"#, false),
        // `!=` on a missing field, and the absent-or-different idiom.
        A(#"{ $.m != "Yes" }"#, #"{"a":1}"#, false), A(#"{ $.m != "Yes" }"#, #"{"m":"No"}"#, true),
        A(#"{ ($.m NOT EXISTS) || ($.m != "Yes") }"#, #"{"a":1}"#, true),
        A(#"{ $.m != "Yes" }"#, #"{"m":{"x":1}}"#, false), A(#"{ $.m != "Yes" }"#, #"{"m":true}"#, false),
        // Precedence: && binds tighter than ||; parentheses override.
        A("{ $.a = 1 || $.b = 2 && $.c = 3 }", #"{"a":1}"#, true),
        A("{ $.a = 1 || $.b = 2 && $.c = 3 }", #"{"b":2}"#, false),
        A("{ ($.a = 1 || $.b = 2) && $.c = 3 }", #"{"a":1}"#, false),
        A("{ ($.a = 1 || $.b = 2) && $.c = 3 }", #"{"b":2,"c":3}"#, true),
        A("{ $.e = A || $.e = B || $.e = C }", #"{"e":"B"}"#, true),
        A("{ $.e = A || $.e = B || $.e = C }", #"{"e":"D"}"#, false),
        // Escapes, duplicate keys, non-object records.
        A(#"{ $.v = "A" }"#, #"{"v":"\u0041"}"#, true), A(#"{ $.v = "q\"uote" }"#, #"{"v":"q\"uote"}"#, true),
        A("{ $.v = x }", #"{"v":"y","v":"x"}"#, true), A("{ $.a NOT EXISTS }", #"["x"]"#, false),
        A("{ $.a NOT EXISTS }", "{}", true),
        // Term patterns, standalone regexes and the empty pattern.
        A("ConsoleLogin", #"{"eventName":"ConsoleLogin"}"#, true), A("ConsoleLogin", #"{"eventName":"X"}"#, false),
        A(#"Login -"Success""#, #"{"e":"ConsoleLogin","r":"Success"}"#, false),
        A("?Stop ?Delete", #"{"e":"DeleteTrail"}"#, true), A("?Stop ?Delete", #"{"e":"Create"}"#, false),
        A("Trail ?Stop", #"{"e":"CreateTrail"}"#, true),
        A(#""a b""#, #"{"e": "a b"}"#, true), A("%\\x22e\\x22:\\x22x\\x22%", #"{ "e" : "x" }"#, true),
        A("%Trail$%", #"{"e":"StopTrail"}"#, false), A("%^\\{%", #"{"e":1}"#, true),
        A("", #"{"e":1}"#, true), A("", "[]", true), A("x", #"["x"]"#, true),
    ]

    @Test("the explainer reaches the spec's verdict, and the matcher's", arguments: constructs)
    func construct(_ row: AgreementCase) throws {
        let (explained, matched) = try verdicts(row.pattern, row.record)
        #expect(explained == matched)
        #expect(explained == row.expected)
    }

    @Test("every cell of the truth table (spec 4.3)", arguments: TruthTableTests.cells)
    func truthTable(_ cell: TruthCell) throws {
        let (explained, matched) = try verdicts(cell.pattern, cell.record)
        #expect(explained == matched)
        #expect(explained == cell.expected)
    }

    static let decisions: [DecisionCase] =
        DecisionTests.rule1 + DecisionTests.rule2 + DecisionTests.rule3 + DecisionTests.rule4 + DecisionTests.rule5
        + DecisionTests.rule6 + DecisionTests.rule7 + DecisionTests.rule9 + DecisionTests.selectors
        + DecisionTests.strings + DecisionTests.numbers + DecisionTests.duplicates

    @Test("every decision of 4.10 and every evaluation rule of section 4", arguments: decisions)
    func decision(_ row: DecisionCase) throws {
        let (explained, matched) = try verdicts(row.pattern, row.record)
        #expect(explained == matched)
        #expect(explained == row.expected)
    }

    @Test("every CIS pattern on every CloudTrail record of its table", arguments: CISPatternTests.cases)
    func cis(_ row: CISCase) throws {
        let (explained, matched) = try verdicts(row.pattern, row.record)
        #expect(explained == matched)
        #expect(explained == row.expected)
    }

    @Test("random patterns and records: the explainer and the matcher always agree")
    func differential() throws {
        var random = SplitMix64(seed: 0xE8_91A1)
        var comparisons = 0
        var matches = 0
        for _ in 0..<300 {
            var generator = PatternGenerator(random: random)
            let expression = generator.expression(depth: 0)
            random = generator.random
            guard generator.regexCount <= 2, generator.wildcardSelectors <= 3 else { continue }
            let pattern = FilterPattern(.json(expression))
            let matcher = PatternMatcher(pattern)
            var context = matcher.makeContext()
            let explainer = PatternExplainer(pattern)
            for _ in 0..<20 {
                var records = RecordGenerator(random: random)
                let record = records.record()
                random = records.random
                try Array(record.compactText.utf8).withUnsafeBytes { bytes in
                    let explanation = try explainer.explain(bytes)
                    let matched = try matcher.matches(bytes, in: &context)
                    #expect(explanation.matched == matched, "\(pattern) on \(record.compactText)")
                    // The tree's root is the verdict: no node is out of step with its operands.
                    if case .json(let node) = explanation.body { #expect(node.result == matched) }
                    comparisons += 1
                    if matched { matches += 1 }
                }
            }
        }
        #expect(comparisons > 4000)
        #expect(matches > 150)
    }

    @Test("a record that is not JSON is refused by both, as the matcher refuses it")
    func invalidJSON() throws {
        let pattern = try FilterPattern.parse("{ $.a = 1 }")
        let explainer = PatternExplainer(pattern)
        for text in [#"{"a":1"#, "{a:1}", #"{"a":1} x"#] {
            #expect(throws: JSONError.self) { try Array(text.utf8).withUnsafeBytes { try explainer.explain($0) } }
            let matcher = PatternMatcher(pattern)
            var context = matcher.makeContext()
            #expect(throws: JSONError.self) {
                try Array(text.utf8).withUnsafeBytes { try matcher.matches($0, in: &context) }
            }
        }
    }
}
