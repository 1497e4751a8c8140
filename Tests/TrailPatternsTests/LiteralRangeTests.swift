import Testing
import TrailPatterns

/// String literals remember where they are written, so advice about a value (the event-name
/// lint of `trailhound check`) can point at it; the position is not part of the value.
struct LiteralRangeTests {
    /// The ranges of the pattern's string literals, left to right, as the text they cover.
    func literals(_ text: String) throws -> [String] {
        guard case .json(let expression) = try FilterPattern.parse(text).body else { return [] }
        let bytes = Array(text.utf8)
        return expression.predicates.compactMap { predicate in
            guard case .compare(_, .string(let literal)) = predicate.test, let range = literal.range else { return nil }
            return String(decoding: bytes[range], as: UTF8.self)
        }
    }

    @Test(
        "a parsed string literal's range covers it as written, quotes included",
        arguments: [
            ("{ $.eventName = StopLogging }", ["StopLogging"]),
            (#"{ $.eventName = "Stop Logging" && $.a = "x\"y" }"#, [#""Stop Logging""#, #""x\"y""#]),
            ("{ $.eventName = Delete* || $.b = 42 || $.c = %ab% }", ["Delete*"]),
            ("{ $.a = \"é\" &&\n  $.b = x }", ["\"é\"", "x"]),
        ])
    func ranges(text: String, expected: [String]) throws {
        #expect(try literals(text) == expected)
    }

    @Test("the range is not part of the value: patterns that differ only in spacing are equal")
    func equality() throws {
        #expect(try FilterPattern.parse("{ $.a = x }") == FilterPattern.parse("{   $.a   =   x }"))
        #expect(StringLiteral("x", range: 3..<4) == StringLiteral("x"))
        #expect(Set([StringLiteral("x", range: 0..<1), StringLiteral("x", range: 5..<6)]).count == 1)
    }
}
