import Testing
import TrailJSON
import TrailPatterns

// What an explanation holds: the pattern's own grouping, every clause evaluated (no short
// circuit), the values each selector found, which one satisfied a wildcard, and the notes that
// say why a clause is false when the values alone would not.

private func explain(_ pattern: String, _ record: String) throws -> PatternExplanation {
    let explainer = PatternExplainer(try FilterPattern.parse(pattern))
    return try Array(record.utf8).withUnsafeBytes { try explainer.explain($0) }
}

private func tree(_ explanation: PatternExplanation) throws -> PatternExplanation.Node {
    guard case .json(let node) = explanation.body else {
        Issue.record("not a JSON explanation: \(explanation.body)")
        throw ExplainerTestError.notJSON
    }
    return node
}

private enum ExplainerTestError: Error { case notJSON }

@Suite("Explanations")
struct ExplainerTests {
    @Test("&& binds tighter than ||: `A || B && C` is OR(A, AND(B, C)), with every node's result")
    func grouping() throws {
        let explanation = try explain("{ $.a = 1 || $.b = 2 && $.c = 3 }", #"{"b":2,"c":4}"#)
        #expect(!explanation.matched)
        guard case .or(let operands, let result) = try tree(explanation) else {
            Issue.record("root is not an OR")
            return
        }
        #expect(!result)
        #expect(operands.count == 2)
        guard case .clause(let a) = operands[0], case .and(let conjuncts, let andResult) = operands[1] else {
            Issue.record("operands are not (clause, AND): \(operands)")
            return
        }
        #expect(a.text == "$.a = 1" && !a.result && a.note == .missing)
        #expect(!andResult)
        #expect(conjuncts.map(\.result) == [true, false])
        #expect(conjuncts.flatMap(\.clauses).map(\.text) == ["$.b = 2", "$.c = 3"])
    }

    @Test("every clause is evaluated, also after the first false one of an AND")
    func noShortCircuit() throws {
        let explanation = try explain(#"{ $.a = 1 && $.b = "x" && $.c NOT EXISTS }"#, #"{"b":"x"}"#)
        let clauses = try tree(explanation).clauses
        #expect(clauses.map(\.result) == [false, true, true])
        #expect(clauses[1].values == [.init(kind: .string, bytes: Array("x".utf8))])
        #expect(clauses[1].satisfiedBy == 0)
        #expect(clauses[2].values.isEmpty && clauses[2].satisfiedBy == nil)
    }

    @Test("`!=` on a missing field is false, and says so")
    func notEqualOnMissing() throws {
        let clause = try tree(try explain(#"{ $.m != "Yes" }"#, #"{"a":1}"#)).clauses[0]
        #expect(!clause.result)
        #expect(clause.values.isEmpty)
        #expect(clause.note == .notEqualOnMissing)
    }

    @Test("a wildcard selector lists every candidate and points at the one that satisfies it")
    func wildcardCandidates() throws {
        let clause = try tree(try explain("{ $.a[*] = y }", #"{"a":["x","y","y"]}"#)).clauses[0]
        #expect(clause.result)
        #expect(clause.values.map(\.text) == ["x", "y", "y"])
        #expect(clause.satisfiedBy == 1)
    }

    @Test("values keep their kind: a boolean against a string, a string against IS TRUE, strings against <")
    func notes() throws {
        let boolean = try tree(try explain(#"{ $.r = "true" }"#, #"{"r":true}"#)).clauses[0]
        #expect(boolean.values == [.init(kind: .true, bytes: Array("true".utf8))])
        #expect(boolean.note == .notComparable(.true))
        let string = try tree(try explain("{ $.r IS TRUE }", #"{"r":"true"}"#)).clauses[0]
        #expect(string.note == .literalIsString)
        let relational = try tree(try explain("{ $.n > 1 }", #"{"n":"42"}"#)).clauses[0]
        #expect(relational.note == .relationalOnString)
        let plain = try tree(try explain("{ $.n > 100 }", #"{"n":42}"#)).clauses[0]
        #expect(plain.note == nil && !plain.result)
    }

    @Test("strings are shown decoded, as they are compared; containers keep a prefix and their length")
    func values() throws {
        let decoded = try tree(try explain("{ $.v = A* }", #"{"v":"\u0041\nB"}"#)).clauses[0]
        #expect(decoded.values.map(\.text) == ["A\nB"])
        #expect(decoded.result)
        let long = String(repeating: "x", count: 2000)
        let container = try tree(try explain("{ $.o = x }", #"{"o":{"k":"\#(long)"}}"#)).clauses[0]
        let value = try #require(container.values.first)
        #expect(value.kind == .object)
        #expect(value.bytes.count == PatternExplanation.FoundValue.containerPrefix)
        #expect(value.byteCount == 2000 + #"{"k":""}"#.utf8.count)
        #expect(container.note == .notComparable(.object))
    }

    @Test("a JSON pattern on a record that is not an object says so, even for NOT EXISTS")
    func notAnObject() throws {
        let explanation = try explain("{ $.a NOT EXISTS }", #"["x"]"#)
        #expect(!explanation.matched)
        #expect(explanation.body == .notAnObject(.array))
    }

    @Test("term patterns: each term found or not, and ? terms ignored next to plain ones")
    func terms() throws {
        let explanation = try explain(#"Login -DEBUG ?WARN"#, #"{"e":"ConsoleLogin","w":"WARN"}"#)
        #expect(explanation.matched)
        guard case .terms(let terms) = explanation.body else {
            Issue.record("not a term explanation")
            return
        }
        #expect(terms.map(\.term.text) == ["Login", "DEBUG", "WARN"])
        #expect(terms.map(\.found) == [true, false, true])
        #expect(terms.map(\.counts) == [true, true, false])
        #expect(terms.map(\.satisfied) == [true, true, true])
    }

    @Test("a standalone regex and the empty pattern")
    func otherKinds() throws {
        #expect(try explain("%Stop[A-Z]%", #"{"e":"StopLogging"}"#).body == .regex(source: "Stop[A-Z]", found: true))
        #expect(try explain("", "{}").body == .matchAll)
    }
}
