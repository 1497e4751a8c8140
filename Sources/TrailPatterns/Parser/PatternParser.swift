import TrailJSON

/// Recursive-descent parser for filter patterns, over the pattern's UTF-8 bytes.
///
/// Lexing is driven by the parser (what a token means depends on where it stands: `TRUE` after
/// `IS` is a keyword, after `=` a string), so there is no separate token stream. Every error is a
/// `PatternDiagnostic` with the byte range of the offending text and, where one is known, a hint
/// that fixes it.
struct PatternParser {
    private let text: String
    private let bytes: [UInt8]
    private var position = 0
    private var regexCount = 0
    private var wildcardSelectorCount = 0
    private(set) var warnings: [PatternDiagnostic] = []

    /// Limits of section 3.2.
    static let maxPatternLength = 1024
    static let maxRegexes = 2
    static let maxWildcardSelectors = 3

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    // MARK: Dispatch

    mutating func parsePattern() throws(PatternDiagnostic) -> FilterPattern.Body {
        let characters = text.unicodeScalars.count
        if characters > PatternParser.maxPatternLength {
            let cut = text.unicodeScalars.prefix(PatternParser.maxPatternLength).map { String($0) }.joined().utf8.count
            throw PatternDiagnostic(
                .patternTooLong, cut..<bytes.count,
                "the pattern is \(characters) characters long; CloudWatch accepts at most \(PatternParser.maxPatternLength)",
                hint: "split it into several rules")
        }
        skipWhitespace()
        guard let lead = current else { return .matchAll }
        switch lead {
        case UInt8(ascii: "{"):
            return .json(try parseJSONPattern())
        case UInt8(ascii: "["):
            throw PatternDiagnostic(
                .spaceDelimitedUnsupported, position..<position + 1,
                "space-delimited patterns (`[field1, field2, …]`) do not apply to JSON CloudTrail records",
                hint: "write a JSON pattern such as `{ $.eventName = \"StopLogging\" }`")
        case UInt8(ascii: "%"):
            let regex = try parseRegexValue()
            skipWhitespace()
            if position < bytes.count {
                throw PatternDiagnostic(
                    .trailingInput, position..<bytes.count,
                    "a standalone regex must be the whole pattern",
                    hint: "remove the text after the closing `%`, or put the regex inside a JSON pattern")
            }
            return .regex(regex)
        case UInt8(ascii: "}"):
            throw PatternDiagnostic(
                .missingOpeningBrace, position..<position + 1, "`}` without an opening `{`",
                hint: "JSON patterns are written `{ $.field = value }`")
        default:
            let terms = try parseTerms()
            // CloudWatch documents `" "` as matching every event: a pattern of blank phrases
            // says nothing about the event.
            if terms.terms.allSatisfy({ $0.role == .required && $0.text.allSatisfy(\.isWhitespace) }) {
                return .matchAll
            }
            return .terms(terms)
        }
    }

    // MARK: JSON patterns

    private mutating func parseJSONPattern() throws(PatternDiagnostic) -> PatternExpression {
        let open = position
        position += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            throw PatternDiagnostic(
                .emptyExpression, open..<position + 1, "the JSON pattern `{ }` has no predicate",
                hint: "use an empty pattern to match every event, or add a predicate such as `$.eventName = X`")
        }
        if current == nil {
            throw PatternDiagnostic(
                .missingClosingBrace, open..<open + 1, "`{` is never closed", hint: "add a predicate and `}`")
        }
        let expression = try parseOr()
        skipWhitespace()
        guard let next = current else {
            throw PatternDiagnostic(
                .missingClosingBrace, bytes.count..<bytes.count, "the JSON pattern is not closed",
                hint: "add `}` at the end")
        }
        if next == UInt8(ascii: ")") {
            throw PatternDiagnostic(
                .unbalancedParenthesis, position..<position + 1, "`)` has no matching `(`",
                hint: "remove this `)` or add a `(` before the predicates it closes")
        }
        guard next == UInt8(ascii: "}") else { throw connectiveError() }
        position += 1
        skipWhitespace()
        if position < bytes.count {
            throw PatternDiagnostic(
                .trailingInput, position..<bytes.count, "text after the closing `}`",
                hint: "a JSON pattern cannot be combined with terms; move the condition inside the braces")
        }
        return expression
    }

    private mutating func parseOr() throws(PatternDiagnostic) -> PatternExpression {
        var operands = [try parseAnd()]
        while true {
            skipWhitespace()
            guard startsWith("||") else { break }
            position += 2
            operands.append(try parseAnd())
        }
        return PatternParser.flatten(operands, or: true)
    }

    private mutating func parseAnd() throws(PatternDiagnostic) -> PatternExpression {
        var operands = [try parsePrimary()]
        while true {
            skipWhitespace()
            guard startsWith("&&") else { break }
            position += 2
            operands.append(try parsePrimary())
        }
        return PatternParser.flatten(operands, or: false)
    }

    /// Joins operands, merging nested operands of the same operator.
    private static func flatten(_ operands: [PatternExpression], or: Bool) -> PatternExpression {
        guard operands.count > 1 else { return operands[0] }
        var merged: [PatternExpression] = []
        for operand in operands {
            switch (operand, or) {
            case (.or(let inner), true), (.and(let inner), false): merged.append(contentsOf: inner)
            default: merged.append(operand)
            }
        }
        return or ? .or(merged) : .and(merged)
    }

    private mutating func parsePrimary() throws(PatternDiagnostic) -> PatternExpression {
        skipWhitespace()
        guard let lead = current else {
            throw PatternDiagnostic(
                .expectedPredicate, bytes.count..<bytes.count, "the pattern ends where a predicate was expected",
                hint: "add a predicate such as `$.eventName = X` and close with `}`")
        }
        switch lead {
        case UInt8(ascii: "("):
            let open = position
            position += 1
            let inner = try parseOr()
            skipWhitespace()
            guard current == UInt8(ascii: ")") else {
                if current == nil || current == UInt8(ascii: "}") {
                    throw PatternDiagnostic(
                        .unbalancedParenthesis, open..<open + 1, "`(` is never closed",
                        hint: current == nil ? "add `)` and `}` at the end" : "add `)` before `}`")
                }
                throw connectiveError()
            }
            position += 1
            return inner
        case UInt8(ascii: "$"):
            return .predicate(try parsePredicate())
        case UInt8(ascii: "!"):
            throw PatternDiagnostic(
                .unsupportedNegation, position..<position + 1, "filter patterns have no negation operator",
                hint: "negate each predicate instead: `!=` for values, `NOT EXISTS` for absent fields")
        case UInt8(ascii: ")"):
            throw PatternDiagnostic(
                .unbalancedParenthesis, position..<position + 1, "`)` has no matching `(`", hint: "remove this `)`")
        case UInt8(ascii: "}"):
            throw PatternDiagnostic(
                .expectedPredicate, position..<position + 1, "expected a predicate before `}`",
                hint: "remove the dangling `&&`/`||` or add a predicate")
        case UInt8(ascii: "&"), UInt8(ascii: "|"):
            throw PatternDiagnostic(
                .expectedPredicate, position..<min(position + 2, bytes.count),
                "expected a predicate, found an operator",
                hint: "each `&&` and `||` needs a predicate on both sides")
        default:
            let word = wordRange(at: position)
            let name = String(decoding: bytes[word], as: UTF8.self)
            let fix =
                JSONPath.isPlainName(name) ? "write `$.\(name)`" : "selectors start with `$.`, as in `$.eventName`"
            throw PatternDiagnostic(
                .expectedSelector, word.isEmpty ? position..<position + 1 : word,
                "expected a selector such as `$.eventName`, found \(describe(word.isEmpty ? position..<position + 1 : word))",
                hint: fix)
        }
    }

    // MARK: Predicates

    private mutating func parsePredicate() throws(PatternDiagnostic) -> Predicate {
        let selectorStart = position
        let selector = try parseSelector()
        let selectorRange = selectorStart..<position
        if selector.wildcardCount > 0 {
            wildcardSelectorCount += 1
            if wildcardSelectorCount > PatternParser.maxWildcardSelectors {
                throw PatternDiagnostic(
                    .tooManyWildcardSelectors, selectorRange,
                    "a pattern may use at most \(PatternParser.maxWildcardSelectors) selectors with a wildcard",
                    hint: "name the fields or indexes instead of `*` in some selectors")
            }
        }
        skipWhitespace()
        let operatorStart = position
        if let comparison = scanOperator() {
            return Predicate(selector, .compare(comparison, try parseValue(for: comparison, operatorAt: operatorStart)))
        }
        guard let lead = current else {
            throw PatternDiagnostic(
                .expectedOperator, bytes.count..<bytes.count, "the pattern ends after the selector",
                hint: "add a comparison such as `= value`, or `IS NULL` / `NOT EXISTS`")
        }
        if PatternParser.isLetter(lead) {
            return Predicate(selector, try parseKeywordTest(selector: selectorRange))
        }
        if startsWith("==") {
            throw PatternDiagnostic(
                .expectedOperator, position..<position + 2, "`==` is not an operator", hint: "write `=`")
        }
        if startsWith("<>") {
            throw PatternDiagnostic(
                .expectedOperator, position..<position + 2, "`<>` is not an operator", hint: "write `!=`")
        }
        throw PatternDiagnostic(
            .expectedOperator, position..<position + 1,
            "expected a comparison operator (`=`, `!=`, `<`, `>`, `<=`, `>=`), `IS` or `NOT EXISTS` after the selector, found \(describe(position..<position + 1))"
        )
    }

    private mutating func scanOperator() -> ComparisonOperator? {
        for candidate in [ComparisonOperator.notEqual, .greaterOrEqual, .lessOrEqual]
        where startsWith(candidate.rawValue) {
            position += 2
            return candidate
        }
        if startsWith("==") || startsWith("<>") { return nil }
        for candidate in [ComparisonOperator.equal, .greater, .less] where startsWith(candidate.rawValue) {
            position += 1
            return candidate
        }
        return nil
    }

    /// `IS TRUE|FALSE|NULL` or `NOT EXISTS`, with the diagnostics for near misses.
    private mutating func parseKeywordTest(selector: Range<Int>) throws(PatternDiagnostic) -> PredicateTest {
        let first = wordRange(at: position)
        let word = String(decoding: bytes[first], as: UTF8.self)
        let selectorText = String(decoding: bytes[selector], as: UTF8.self)
        position = first.upperBound
        switch word {
        case "IS":
            let secondRange = try nextWord(after: "IS", at: first)
            let second = String(decoding: bytes[secondRange], as: UTF8.self)
            switch second {
            case "TRUE": return .isTrue
            case "FALSE": return .isFalse
            case "NULL": return .isNull
            case "NOT":
                let third = wordRange(at: skippingWhitespace(from: secondRange.upperBound))
                let thirdWord = String(decoding: bytes[third], as: UTF8.self).uppercased()
                let whole = first.lowerBound..<max(secondRange.upperBound, third.upperBound)
                let hint =
                    switch thirdWord {
                    case "NULL":
                        "write `\(selectorText) = *` to match a string or number value (null, objects and arrays never match `=`)"
                    case "TRUE": "write `\(selectorText) IS FALSE`"
                    case "FALSE": "write `\(selectorText) IS TRUE`"
                    default: "test the opposite condition instead, e.g. `IS FALSE` for `IS NOT TRUE`"
                    }
                throw PatternDiagnostic(
                    .unsupportedIsNot, whole, "`IS NOT` is not supported by CloudWatch filter patterns", hint: hint)
            default:
                if ["TRUE", "FALSE", "NULL", "NOT"].contains(second.uppercased()) {
                    throw lowercaseKeyword(second, at: secondRange)
                }
                throw PatternDiagnostic(
                    .expectedOperator, secondRange.isEmpty ? position..<position + 1 : secondRange,
                    "`IS` must be followed by `TRUE`, `FALSE` or `NULL`")
            }
        case "NOT":
            let secondRange = try nextWord(after: "NOT", at: first)
            let second = String(decoding: bytes[secondRange], as: UTF8.self)
            if second == "EXISTS" { return .notExists }
            if second.uppercased() == "EXISTS" { throw lowercaseKeyword(second, at: secondRange) }
            throw PatternDiagnostic(
                .expectedOperator, secondRange.isEmpty ? position..<position + 1 : secondRange,
                "`NOT` must be followed by `EXISTS`", hint: "there is no general negation; use `!=` for values")
        case "EXISTS":
            throw PatternDiagnostic(
                .unsupportedExists, first, "`EXISTS` is not supported by CloudWatch filter patterns",
                hint: "write `\(selectorText) = *` for a field that is present with a string or number value")
        case "IN":
            throw unsupportedIn(selectorText: selectorText, keyword: first)
        default:
            switch word.uppercased() {
            case "IN": throw unsupportedIn(selectorText: selectorText, keyword: first)
            case "EXISTS":
                throw PatternDiagnostic(
                    .unsupportedExists, first, "`EXISTS` is not supported by CloudWatch filter patterns",
                    hint: "write `\(selectorText) = *` for a field that is present with a string or number value")
            case "IS", "NOT": throw lowercaseKeyword(word, at: first)
            default: break
            }
            throw PatternDiagnostic(
                .expectedOperator, first,
                "expected a comparison operator (`=`, `!=`, `<`, `>`, `<=`, `>=`), `IS` or `NOT EXISTS` after the selector, found `\(word)`"
            )
        }
    }

    /// The word after a keyword, which must be separated from it by whitespace.
    private mutating func nextWord(after keyword: String, at range: Range<Int>) throws(PatternDiagnostic) -> Range<Int>
    {
        let start = skippingWhitespace(from: range.upperBound)
        let word = wordRange(at: start)
        guard start > range.upperBound, !word.isEmpty else {
            let expectation = keyword == "IS" ? "`TRUE`, `FALSE` or `NULL`" : "`EXISTS`"
            throw PatternDiagnostic(.expectedOperator, range, "`\(keyword)` must be followed by \(expectation)")
        }
        position = word.upperBound
        return word
    }

    private func lowercaseKeyword(_ word: String, at range: Range<Int>) -> PatternDiagnostic {
        PatternDiagnostic(
            .lowercaseKeyword, range, "keywords are upper case: `\(word)` is not recognised",
            hint: "write `\(word.uppercased())`")
    }

    /// `IN (a, b)`: rejected, with the `||` chain that says the same as the hint.
    private mutating func unsupportedIn(selectorText: String, keyword: Range<Int>) -> PatternDiagnostic {
        var end = keyword.upperBound
        var values: [String] = []
        var index = skippingWhitespace(from: keyword.upperBound)
        if index < bytes.count, bytes[index] == UInt8(ascii: "(") {
            var item: [UInt8] = []
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: ")") {
                if bytes[index] == UInt8(ascii: ",") {
                    values.append(String(decoding: item, as: UTF8.self).trimmingWhitespace())
                    item = []
                } else {
                    item.append(bytes[index])
                }
                index += 1
            }
            if index < bytes.count {
                values.append(String(decoding: item, as: UTF8.self).trimmingWhitespace())
                end = index + 1
            } else {
                values = []
            }
        }
        let chain = values.filter { !$0.isEmpty }.map { "(\(selectorText) = \($0))" }.joined(separator: " || ")
        return PatternDiagnostic(
            .unsupportedIn, keyword.lowerBound..<end, "`IN` lists are not supported by CloudWatch filter patterns",
            hint: chain.isEmpty ? "write one comparison per value joined by `||`" : "write \(chain)")
    }

    // MARK: Selectors

    private mutating func parseSelector() throws(PatternDiagnostic) -> JSONPath {
        let start = position
        position += 1  // `$`
        var steps: [JSONPath.Step] = []
        while let byte = current {
            let stepStart = position
            if byte == UInt8(ascii: ".") {
                position += 1
                guard let next = current else {
                    throw PatternDiagnostic(
                        .invalidSelector, stepStart..<position, "expected a property name after `.`")
                }
                if next == UInt8(ascii: "*") {
                    position += 1
                    steps.append(.anyMember)
                } else if next == UInt8(ascii: "[") {
                    steps.append(.key(try parseBracketKey()))
                } else if JSONPath.isNameByte(next) {
                    let nameStart = position
                    while let byte = current, JSONPath.isNameByte(byte) { position += 1 }
                    steps.append(.key(String(decoding: bytes[nameStart..<position], as: UTF8.self)))
                } else {
                    throw PatternDiagnostic(
                        .invalidSelector, position..<position + 1,
                        "expected a property name after `.`, found \(describe(position..<position + 1))",
                        hint: "property names use letters, digits, `_` and `-`; quote other keys as `$.['name']`")
                }
            } else if byte == UInt8(ascii: "[") {
                if steps.isEmpty {
                    throw PatternDiagnostic(
                        .arrayIndexFirst, stepStart..<closingBracket(from: stepStart),
                        "an array index must follow a property: the root of a CloudTrail record is an object",
                        hint: "write `$.field[0]`")
                }
                steps.append(try parseBracketStep())
            } else {
                break
            }
        }
        guard !steps.isEmpty else {
            throw PatternDiagnostic(
                .invalidSelector, start..<position, "`$` must be followed by a property, as in `$.eventName`")
        }
        if let byte = current, !PatternParser.endsSelector(byte) {
            var end = position
            while end < bytes.count, !PatternParser.endsSelector(bytes[end]) { end += 1 }
            let suggestion = String(decoding: bytes[start..<end], as: UTF8.self)
            throw PatternDiagnostic(
                .invalidSelector, position..<end,
                "\(describe(position..<position + 1)) cannot appear in a property name",
                hint:
                    "quote the key with bracket notation, e.g. `$.['\(suggestion.dropFirst(2))']`, or check the selector `\(suggestion)`"
            )
        }
        let path = JSONPath(steps)
        if path.wildcardCount > 1 {
            throw PatternDiagnostic(
                .tooManyWildcardsInSelector, start..<position,
                "a selector may contain at most one wildcard (`*` or `[*]`)",
                hint: "name all but one of the levels")
        }
        return path
    }

    private static func endsSelector(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: ")"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "}"):
            true
        default:
            false
        }
    }

    /// `[n]`, `[*]` or `['key']` with the cursor on `[`.
    private mutating func parseBracketStep() throws(PatternDiagnostic) -> JSONPath.Step {
        let open = position
        guard position + 1 < bytes.count else {
            throw PatternDiagnostic(
                .invalidSelector, open..<bytes.count, "`[` is never closed", hint: "write `[0]`, `[*]` or `['key']`")
        }
        let next = bytes[position + 1]
        if next == UInt8(ascii: "'") { return .key(try parseBracketKey()) }
        if next == UInt8(ascii: "*") {
            guard position + 2 < bytes.count, bytes[position + 2] == UInt8(ascii: "]") else {
                throw PatternDiagnostic(.invalidSelector, open..<closingBracket(from: open), "expected `[*]`")
            }
            position += 3
            return .anyElement
        }
        var index = position + 1
        var value = 0
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
            value = value &* 10 &+ Int(bytes[index] - UInt8(ascii: "0"))
            guard value <= 1_000_000 else {
                throw PatternDiagnostic(.invalidSelector, open..<closingBracket(from: open), "array index is too large")
            }
            index += 1
        }
        guard index > position + 1, index < bytes.count, bytes[index] == UInt8(ascii: "]") else {
            throw PatternDiagnostic(
                .invalidSelector, open..<closingBracket(from: open),
                "expected an array index (`[0]`), `[*]` or a quoted key (`['key']`)")
        }
        position = index + 1
        return .index(value)
    }

    /// `['key']` (after an optional `.`), with the cursor on `[`.
    private mutating func parseBracketKey() throws(PatternDiagnostic) -> String {
        let open = position
        guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "'") else {
            throw PatternDiagnostic(
                .invalidSelector, open..<closingBracket(from: open), "expected a quoted key such as `['cluster.name']`")
        }
        var index = position + 2
        while index < bytes.count, bytes[index] != UInt8(ascii: "'") { index += 1 }
        guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "]") else {
            throw PatternDiagnostic(
                .invalidSelector, open..<min(index + 1, bytes.count), "a bracketed key must be closed with `']`",
                hint: "write `$.['key.with.dots']`")
        }
        let key = String(decoding: bytes[(position + 2)..<index], as: UTF8.self)
        position = index + 2
        return key
    }

    private func closingBracket(from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] != UInt8(ascii: "]") { index += 1 }
        return min(index + 1, bytes.count)
    }

    // MARK: Values

    private mutating func parseValue(for comparison: ComparisonOperator, operatorAt operatorStart: Int)
        throws(PatternDiagnostic) -> PatternValue
    {
        skipWhitespace()
        let start = position
        guard let lead = current, !PatternParser.endsValue(lead) || lead == UInt8(ascii: "\"") else {
            throw PatternDiagnostic(
                .expectedValue, operatorStart..<position, "expected a value after `\(comparison.rawValue)`",
                hint: "for example `\(comparison.rawValue) \(comparison.isRelational ? "100" : "\"value\"")`")
        }
        var value: PatternValue
        if lead == UInt8(ascii: "\"") {
            value = .string(StringLiteral(try parseQuoted()))
        } else if lead == UInt8(ascii: "%") {
            value = .regex(try parseRegexValue())
        } else {
            value = try parseBare()
        }
        let range = start..<position
        if case .string(var literal) = value {
            literal.range = range
            value = .string(literal)
        }
        if comparison.isRelational {
            guard case .number = value else {
                throw PatternDiagnostic(
                    .relationalNeedsNumber, range,
                    "`\(comparison.rawValue)` compares numbers, and \(describe(range)) is not a number",
                    hint: "use `=` or `!=` for strings, or write a number such as `100`")
            }
        }
        if case .string(let literal) = value { warnAboutString(literal, quoted: lead == UInt8(ascii: "\""), at: range) }
        return value
    }

    private mutating func warnAboutString(_ literal: StringLiteral, quoted: Bool, at range: Range<Int>) {
        let inner = literal.text.dropFirst().dropLast()
        if literal.text.count > 2, inner.contains("*") {
            warnings.append(
                PatternDiagnostic(
                    .middleWildcard, range, "`*` in the middle of a value is a literal character, not a wildcard",
                    hint: PatternParser.middleWildcardHint(literal.text), severity: .warning))
        }
        guard !quoted else { return }
        if literal.text == "true" || literal.text == "false" {
            warnings.append(
                PatternDiagnostic(
                    .booleanAsString, range,
                    "`\(literal.text)` here is the string \"\(literal.text)\", which never equals a JSON boolean",
                    hint: "write `IS \(literal.text.uppercased())` to test a boolean field", severity: .warning))
        } else if literal.text == "null" {
            warnings.append(
                PatternDiagnostic(
                    .nullAsString, range, "`null` here is the string \"null\", which never equals a JSON null",
                    hint: "write `IS NULL` to test for null", severity: .warning))
        }
    }

    /// A regex that means what a value with a middle `*` was probably meant to: every `*` a
    /// wildcard. Regexes are ASCII-only, so a value with other characters gets a plainer hint.
    static func middleWildcardHint(_ text: String) -> String {
        guard text.unicodeScalars.allSatisfy(\.isASCII) else {
            return
                "wildcards work only at the start or end of a value; split the condition, or match the ASCII parts with a regex"
        }
        var regex = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "*": regex += ".*"
            case "a"..."z", "A"..."Z", "0"..."9", "_", ":", "#", "=", "@", "/", ";", ",", "-", " ":
                regex.unicodeScalars.append(scalar)
            default:
                let hex = String(scalar.value, radix: 16)
                regex += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return "use a regex such as `%^\(regex)$%` for a wildcard in the middle"
    }

    /// A double-quoted string; `\"` and `\\` are the only escapes (rule 7 of 4.10), any other
    /// backslash is a literal character.
    private mutating func parseQuoted() throws(PatternDiagnostic) -> String {
        let open = position
        position += 1
        var decoded: [UInt8] = []
        while let byte = current {
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\"), position + 1 < bytes.count,
                bytes[position + 1] == UInt8(ascii: "\"") || bytes[position + 1] == UInt8(ascii: "\\")
            {
                decoded.append(bytes[position + 1])
                position += 2
                continue
            }
            decoded.append(byte)
            position += 1
        }
        throw PatternDiagnostic(
            .unterminatedString, open..<bytes.count, "the string that starts here is never closed",
            hint: "add a closing `\"`; write `\\\"` for a quote inside the string")
    }

    /// A bare token: letters, digits, `_ . - + *`; ends at whitespace or `) & | }`.
    private mutating func parseBare() throws(PatternDiagnostic) -> PatternValue {
        let start = position
        while let byte = current, !PatternParser.endsValue(byte) {
            guard PatternParser.isBareByte(byte) else {
                var end = position
                while end < bytes.count, !PatternParser.endsValue(bytes[end]) { end += 1 }
                let whole = String(decoding: bytes[start..<end], as: UTF8.self)
                throw PatternDiagnostic(
                    .invalidBareValue, position..<position + PatternParser.scalarLength(bytes[position]),
                    "\(describe(position..<position + PatternParser.scalarLength(bytes[position]))) is not allowed in an unquoted value",
                    hint: "quote the value: `\"\(whole.escapedForQuotes())\"`")
            }
            position += 1
        }
        let token = String(decoding: bytes[start..<position], as: UTF8.self)
        // A bare value followed by another word is a phrase that lost its quotes.
        let after = skippingWhitespace(from: position)
        if after > position, after < bytes.count, !PatternParser.endsValue(bytes[after]) {
            let word = wordRange(at: after)
            let spelled = String(decoding: bytes[word], as: UTF8.self).uppercased()
            if spelled == "AND" || spelled == "OR" {
                throw PatternDiagnostic(
                    .expectedConnective, word, "`\(String(decoding: bytes[word], as: UTF8.self))` is not an operator",
                    hint: "write `\(spelled == "AND" ? "&&" : "||")`")
            }
            var end = after
            while end < bytes.count, !PatternParser.endsPhrase(bytes, end) { end += 1 }
            while end > after, PatternParser.isWhitespace(bytes[end - 1]) { end -= 1 }
            let phrase = String(decoding: bytes[start..<end], as: UTF8.self)
            throw PatternDiagnostic(
                .bareValueWithSpaces, start..<end, "a value with spaces must be quoted",
                hint: "write `\"\(phrase.escapedForQuotes())\"`")
        }
        if let number = NumberLiteral(token) { return .number(number) }
        return .string(StringLiteral(token))
    }

    /// `%regex%` with the cursor on the opening `%`.
    private mutating func parseRegexValue() throws(PatternDiagnostic) -> FilterRegex {
        let open = position
        var index = position + 1
        while index < bytes.count, bytes[index] != UInt8(ascii: "%") {
            index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard index < bytes.count else {
            throw PatternDiagnostic(
                .unterminatedRegex, open..<bytes.count, "the regex that starts here is never closed",
                hint: "end it with `%`; write `\\x25` for a literal `%` inside")
        }
        let body = bytes[(open + 1)..<index]
        position = index + 1
        regexCount += 1
        if regexCount > PatternParser.maxRegexes {
            throw PatternDiagnostic(
                .tooManyRegexes, open..<position, "a pattern may contain at most \(PatternParser.maxRegexes) regexes",
                hint: "combine alternatives into one regex with `|`, or use wildcards such as `Prefix*`")
        }
        do throws(RegexSyntaxError) {
            return try FilterRegex(body: body)
        } catch {
            let from = open + 1 + min(error.offset, body.count)
            let to = min(from + max(error.length, 1), index)
            throw PatternDiagnostic(
                .regexSyntax, from..<max(to, from), "invalid regex: " + error.message, hint: error.hint)
        }
    }

    // MARK: Term patterns

    private mutating func parseTerms() throws(PatternDiagnostic) -> TermPattern {
        var terms: [TermPattern.Term] = []
        while true {
            skipWhitespace()
            guard let lead = current else { break }
            var role = TermPattern.Role.required
            let start = position
            if lead == UInt8(ascii: "-") || lead == UInt8(ascii: "?") {
                role = lead == UInt8(ascii: "-") ? .excluded : .optional
                position += 1
            }
            guard let first = current, !PatternParser.isWhitespace(first) else {
                throw PatternDiagnostic(
                    .invalidTerm, start..<position, "`\(Character(Unicode.Scalar(lead)))` must be followed by a term",
                    hint: "write `-DEBUG` or `?ERROR` with no space")
            }
            if first == UInt8(ascii: "\"") {
                terms.append(TermPattern.Term(try parseQuoted(), role))
                continue
            }
            let wordStart = position
            while let byte = current, !PatternParser.isWhitespace(byte) {
                if byte == UInt8(ascii: "\"") {
                    throw PatternDiagnostic(
                        .invalidTerm, position..<position + 1, "a quote inside a term",
                        hint: "quote the whole phrase: `\"…\"`")
                }
                position += 1
            }
            terms.append(TermPattern.Term(String(decoding: bytes[wordStart..<position], as: UTF8.self), role))
        }
        return TermPattern(terms)
    }

    // MARK: Helpers

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func startsWith(_ literal: String) -> Bool {
        var index = position
        for byte in literal.utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    private mutating func skipWhitespace() { position = skippingWhitespace(from: position) }

    private func skippingWhitespace(from start: Int) -> Int {
        var index = start
        while index < bytes.count, PatternParser.isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    private func wordRange(at start: Int) -> Range<Int> {
        var index = start
        while index < bytes.count, PatternParser.isLetter(bytes[index]) || bytes[index] == UInt8(ascii: "_") {
            index += 1
        }
        return start..<index
    }

    /// The error for a predicate followed by something that is not `&&`, `||`, `)` or `}`.
    private func connectiveError() -> PatternDiagnostic {
        if current == UInt8(ascii: "&") || current == UInt8(ascii: "|") {
            let symbol = Character(Unicode.Scalar(current!))
            return PatternDiagnostic(
                .singleAmpersandOrBar, position..<position + 1, "a single `\(symbol)` is not an operator",
                hint: "write `\(symbol)\(symbol)`")
        }
        guard position < bytes.count else {
            return PatternDiagnostic(
                .missingClosingBrace, bytes.count..<bytes.count, "the JSON pattern is not closed",
                hint: "add `}` at the end")
        }
        let length = PatternParser.scalarLength(bytes[position])
        return PatternDiagnostic(
            .expectedConnective, position..<min(position + length, bytes.count),
            "expected `&&`, `||`, `)` or `}` after a predicate, found \(describe(position..<position + length))")
    }

    /// A short quotation of the text in `range`, for messages.
    private func describe(_ range: Range<Int>) -> String {
        let clipped = min(range.lowerBound, bytes.count)..<min(range.upperBound, bytes.count)
        guard !clipped.isEmpty else { return "the end of the pattern" }
        return "`" + String(decoding: bytes[clipped], as: UTF8.self) + "`"
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- UInt8(ascii: "a") < 26 }

    private static func isBareByte(_ byte: UInt8) -> Bool {
        JSONPath.isNameByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "*")
    }

    /// Bytes that end a bare value (section 3.4): whitespace and `) & | }`.
    private static func endsValue(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "|")
            || byte == UInt8(ascii: "}")
    }

    /// Where an unquoted phrase stops: at `)`, `}`, `&&` or `||`.
    private static func endsPhrase(_ bytes: [UInt8], _ index: Int) -> Bool {
        let byte = bytes[index]
        if byte == UInt8(ascii: ")") || byte == UInt8(ascii: "}") { return true }
        guard byte == UInt8(ascii: "&") || byte == UInt8(ascii: "|"), index + 1 < bytes.count else { return false }
        return bytes[index + 1] == byte
    }

    private static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}

extension String {
    /// The text with `"` and `\` escaped, for suggesting a quoted value.
    func escapedForQuotes() -> String {
        // Scalar by scalar, not by `Character`: a quote or backslash followed by a combining mark
        // is one `Character` (`"\u{8E3}`), which `replacing("\"", …)` would leave unescaped.
        var escaped = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == "\\" || scalar == "\"" { escaped.append("\\") }
            escaped.append(scalar)
        }
        return String(escaped)
    }

    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }
            .reversed()
        return String(String.UnicodeScalarView(scalars))
    }
}
