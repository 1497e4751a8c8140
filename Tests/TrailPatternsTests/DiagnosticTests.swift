import Testing
import TrailPatterns

// Every `PatternDiagnostic.Kind`, with the input that produces it, where it points (column range)
// and, for most, the exact text an operator sees. Rows cite the spec rule the diagnostic enforces
// (shared/docs/filter-patterns.md sections 2, 3.1–3.4, 4.10 rules 6 and 8, 5, 6).

/// Joins the lines of a rendered diagnostic.
private func lines(_ lines: String...) -> String { lines.joined(separator: "\n") }

struct DiagnosticCase: Sendable, CustomTestStringConvertible {
    var pattern: String
    var kind: PatternDiagnostic.Kind
    var line: Int
    var columns: ClosedRange<Int>
    /// The exact `rendered` text, when pinned.
    var rendered: String?
    var basis: String

    init(
        _ basis: String, _ pattern: String, _ kind: PatternDiagnostic.Kind, line: Int = 1, _ columns: ClosedRange<Int>,
        _ rendered: String? = nil
    ) {
        self.basis = basis
        self.pattern = pattern
        self.kind = kind
        self.line = line
        self.columns = columns
        self.rendered = rendered
    }

    var isWarning: Bool { [.middleWildcard, .booleanAsString, .nullAsString].contains(kind) }

    var testDescription: String {
        let shown = pattern.count > 80 ? String(pattern.prefix(40)) + "…(\(pattern.count) chars)" : pattern
        return "\(kind) ← \(shown.debugDescription) (\(basis))"
    }
}

/// A pattern of exactly `length` characters: `{ $.a = "xxx…" }`.
private func longPattern(_ length: Int, filler: Character = "x") -> String {
    "{ $.a = \"" + String(repeating: filler, count: length - 12) + "\" }"
}

@Suite("Diagnostics")
struct DiagnosticTests {
    typealias D = DiagnosticCase

    static let cases: [DiagnosticCase] = [
        // MARK: section 2 / 3.2: pattern kinds and length
        D("3.2 length ≤ 1024", longPattern(1025), .patternTooLong, 1025...1025),
        D("3.2 length ≤ 1024", longPattern(1100), .patternTooLong, 1025...1100),
        D(
            "2 space-delimited patterns are out of scope", "[ip, user, status = 401]", .spaceDelimitedUnsupported,
            1...1,
            lines(
                "error: space-delimited patterns (`[field1, field2, …]`) do not apply to JSON CloudTrail records (column 1)",
                "  [ip, user, status = 401]",
                "  ^",
                "  hint: write a JSON pattern such as `{ $.eventName = \"StopLogging\" }`")),
        D("2 space-delimited `[a, b]`", "  [a, b]", .spaceDelimitedUnsupported, 3...3),

        // MARK: braces (3.1 `pattern`)
        D(
            "3.1 pattern = { … }", "} $.a = 1", .missingOpeningBrace, 1...1,
            lines(
                "error: `}` without an opening `{` (column 1)",
                "  } $.a = 1",
                "  ^",
                "  hint: JSON patterns are written `{ $.field = value }`")),
        D(
            "3.1 pattern = { … }", "{ $.a = 1", .missingClosingBrace, 10...10,
            lines(
                "error: the JSON pattern is not closed (column 10)",
                "  { $.a = 1",
                "           ^",
                "  hint: add `}` at the end")),
        D(
            "3.1 pattern = { … }", "{", .missingClosingBrace, 1...1,
            lines(
                "error: `{` is never closed (column 1)",
                "  {",
                "  ^",
                "  hint: add a predicate and `}`")),
        D(
            "3.1 a JSON pattern cannot be mixed with terms", "{ $.a = 1 } ERROR", .trailingInput, 13...17,
            lines(
                "error: text after the closing `}` (column 13)",
                "  { $.a = 1 } ERROR",
                "              ^~~~~",
                "  hint: a JSON pattern cannot be combined with terms; move the condition inside the braces")),
        D(
            "2 a standalone regex is the whole pattern", "%ERROR% WARN", .trailingInput, 9...12,
            lines(
                "error: a standalone regex must be the whole pattern (column 9)",
                "  %ERROR% WARN",
                "          ^~~~",
                "  hint: remove the text after the closing `%`, or put the regex inside a JSON pattern")),
        D(
            "3.1 or_expr needs a predicate", "{ }", .emptyExpression, 1...3,
            lines(
                "error: the JSON pattern `{ }` has no predicate (column 1)",
                "  { }",
                "  ^~~",
                "  hint: use an empty pattern to match every event, or add a predicate such as `$.eventName = X`")),
        D("3.1 or_expr needs a predicate", "{}", .emptyExpression, 1...2),

        // MARK: parentheses (3.1 `primary`)
        D(
            "3.1 unbalanced (", "{ ($.eventName = StopLogging }", .unbalancedParenthesis, 3...3,
            lines(
                "error: `(` is never closed (column 3)",
                "  { ($.eventName = StopLogging }",
                "    ^",
                "  hint: add `)` before `}`")),
        D(
            "3.1 unbalanced (", "{ ($.a = 1", .unbalancedParenthesis, 3...3,
            lines(
                "error: `(` is never closed (column 3)",
                "  { ($.a = 1",
                "    ^",
                "  hint: add `)` and `}` at the end")),
        D(
            "3.1 unbalanced )", "{ $.a = 1) }", .unbalancedParenthesis, 10...10,
            lines(
                "error: `)` has no matching `(` (column 10)",
                "  { $.a = 1) }",
                "           ^",
                "  hint: remove this `)` or add a `(` before the predicates it closes")),
        D(
            "3.1 unbalanced )", "{ $.a = 1 && ) }", .unbalancedParenthesis, 14...14,
            lines(
                "error: `)` has no matching `(` (column 14)",
                "  { $.a = 1 && ) }",
                "               ^",
                "  hint: remove this `)`")),

        // MARK: predicates and selectors (3.1 `predicate`, `selector`, `step`, `name`)
        D(
            "3.1 && needs a right operand", "{ $.a = 1 && }", .expectedPredicate, 14...14,
            lines(
                "error: expected a predicate before `}` (column 14)",
                "  { $.a = 1 && }",
                "               ^",
                "  hint: remove the dangling `&&`/`||` or add a predicate")),
        D(
            "3.1 && needs a left operand", "{ && $.a = 1 }", .expectedPredicate, 3...4,
            lines(
                "error: expected a predicate, found an operator (column 3)",
                "  { && $.a = 1 }",
                "    ^~",
                "  hint: each `&&` and `||` needs a predicate on both sides")),
        D(
            "3.1 || needs a right operand", "{ $.a = 1 ||", .expectedPredicate, 13...13,
            lines(
                "error: the pattern ends where a predicate was expected (column 13)",
                "  { $.a = 1 ||",
                "              ^",
                "  hint: add a predicate such as `$.eventName = X` and close with `}`")),
        D(
            "3.1 selectors start with $ (CDK #15047)", #"{ status = "401" }"#, .expectedSelector, 3...8,
            lines(
                "error: expected a selector such as `$.eventName`, found `status` (column 3)",
                #"  { status = "401" }"#,
                "    ^~~~~~",
                "  hint: write `$.status`")),
        D(
            "3.1 selectors start with $", #"{ "eventName" = X }"#, .expectedSelector, 3...3,
            lines(
                "error: expected a selector such as `$.eventName`, found `\"` (column 3)",
                #"  { "eventName" = X }"#,
                "    ^",
                "  hint: selectors start with `$.`, as in `$.eventName`")),
        D(
            "3.1 selector = $ step {step}", "{ $ = 1 }", .invalidSelector, 3...3,
            lines(
                "error: `$` must be followed by a property, as in `$.eventName` (column 3)",
                "  { $ = 1 }",
                "    ^")),
        D(
            "3.1 name = ALPHA/DIGIT/_/-", "{ $.a:b = 1 }", .invalidSelector, 6...7,
            lines(
                "error: `:` cannot appear in a property name (column 6)",
                "  { $.a:b = 1 }",
                "       ^~",
                "  hint: quote the key with bracket notation, e.g. `$.['a:b']`, or check the selector `$.a:b`")),
        D(
            "3.1 step [digits]", "{ $.a[x] = 1 }", .invalidSelector, 6...8,
            lines(
                "error: expected an array index (`[0]`), `[*]` or a quoted key (`['key']`) (column 6)",
                "  { $.a[x] = 1 }",
                "       ^~~")),
        D(
            "3.1 first step is a property", "{ $[0] = 1 }", .arrayIndexFirst, 4...6,
            lines(
                "error: an array index must follow a property: the root of a CloudTrail record is an object (column 4)",
                "  { $[0] = 1 }",
                "     ^~~",
                "  hint: write `$.field[0]`")),
        D(
            "3.2 ≤ 1 wildcard per selector", "{ $.*[*] = 1 }", .tooManyWildcardsInSelector, 3...8,
            lines(
                "error: a selector may contain at most one wildcard (`*` or `[*]`) (column 3)",
                "  { $.*[*] = 1 }",
                "    ^~~~~~",
                "  hint: name all but one of the levels")),
        D("3.2 ≤ 1 wildcard per selector", "{ $.a[*].b[*] = 1 }", .tooManyWildcardsInSelector, 3...13),
        D(
            "3.2 ≤ 3 wildcard selectors per pattern", "{ $.a[*] = 1 || $.b[*] = 2 || $.c.* = 3 || $.d[*] = 4 }",
            .tooManyWildcardSelectors, 44...49,
            lines(
                "error: a pattern may use at most 3 selectors with a wildcard (column 44)",
                "  { $.a[*] = 1 || $.b[*] = 2 || $.c.* = 3 || $.d[*] = 4 }",
                "                                             ^~~~~~",
                "  hint: name the fields or indexes instead of `*` in some selectors")),

        // MARK: operators and keywords (3.1 `cmp_op`, 3.3, 4.10 rule 8)
        D(
            "3.3 no == operator", "{ $.a == 1 }", .expectedOperator, 7...8,
            lines(
                "error: `==` is not an operator (column 7)",
                "  { $.a == 1 }",
                "        ^~",
                "  hint: write `=`")),
        D(
            "3.3 no <> operator", "{ $.a <> 1 }", .expectedOperator, 7...8,
            lines(
                "error: `<>` is not an operator (column 7)",
                "  { $.a <> 1 }",
                "        ^~",
                "  hint: write `!=`")),
        D(
            "3.1 predicate needs an operator", "{ $.a }", .expectedOperator, 7...7,
            lines(
                "error: expected a comparison operator (`=`, `!=`, `<`, `>`, `<=`, `>=`), `IS` or `NOT EXISTS` after the selector, found `}` (column 7)",
                "  { $.a }",
                "        ^")),
        D(
            "3.1 IS TRUE|FALSE|NULL", "{ $.a IS MAYBE }", .expectedOperator, 10...14,
            lines(
                "error: `IS` must be followed by `TRUE`, `FALSE` or `NULL` (column 10)",
                "  { $.a IS MAYBE }",
                "           ^~~~~")),
        D(
            "3.1 NOT EXISTS", "{ $.a NOT NULL }", .expectedOperator, 11...14,
            lines(
                "error: `NOT` must be followed by `EXISTS` (column 11)",
                "  { $.a NOT NULL }",
                "            ^~~~",
                "  hint: there is no general negation; use `!=` for values")),
        D("3.1 unknown keyword", "{ $.a LIKE x }", .expectedOperator, 7...10),
        D(
            "4.10 rule 8: lower-case keyword", "{ $.a is null }", .lowercaseKeyword, 7...8,
            lines(
                "error: keywords are upper case: `is` is not recognised (column 7)",
                "  { $.a is null }",
                "        ^~",
                "  hint: write `IS`")),
        D(
            "4.10 rule 8: lower-case keyword", "{ $.a IS null }", .lowercaseKeyword, 10...13,
            lines(
                "error: keywords are upper case: `null` is not recognised (column 10)",
                "  { $.a IS null }",
                "           ^~~~",
                "  hint: write `NULL`")),
        D("4.10 rule 8: lower-case keyword", "{ $.a NOT Exists }", .lowercaseKeyword, 11...16),
        D(
            "3.1 EXISTS is not supported (use = *)", "{ $.userIdentity.invokedBy EXISTS }", .unsupportedExists, 28...33,
            lines(
                "error: `EXISTS` is not supported by CloudWatch filter patterns (column 28)",
                "  { $.userIdentity.invokedBy EXISTS }",
                "                             ^~~~~~",
                "  hint: write `$.userIdentity.invokedBy = *` for a field that is present with a string or number value"
            )),
        D(
            "3.1 IS NOT is not supported", "{ $.a IS NOT NULL }", .unsupportedIsNot, 7...17,
            lines(
                "error: `IS NOT` is not supported by CloudWatch filter patterns (column 7)",
                "  { $.a IS NOT NULL }",
                "        ^~~~~~~~~~~",
                "  hint: write `$.a = *` to match a string or number value (null, objects and arrays never match `=`)")),
        D(
            "3.1 IS NOT is not supported", "{ $.readOnly IS NOT TRUE }", .unsupportedIsNot, 14...24,
            lines(
                "error: `IS NOT` is not supported by CloudWatch filter patterns (column 14)",
                "  { $.readOnly IS NOT TRUE }",
                "               ^~~~~~~~~~~",
                "  hint: write `$.readOnly IS FALSE`")),
        D(
            "3.1 no IN lists", "{ $.eventName IN (StopLogging, DeleteTrail) }", .unsupportedIn, 15...43,
            lines(
                "error: `IN` lists are not supported by CloudWatch filter patterns (column 15)",
                "  { $.eventName IN (StopLogging, DeleteTrail) }",
                "                ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
                "  hint: write ($.eventName = StopLogging) || ($.eventName = DeleteTrail)")),
        D(
            "3.1 no negation operator", "{ !($.a = 1) }", .unsupportedNegation, 3...3,
            lines(
                "error: filter patterns have no negation operator (column 3)",
                "  { !($.a = 1) }",
                "    ^",
                "  hint: negate each predicate instead: `!=` for values, `NOT EXISTS` for absent fields")),
        D(
            "3.1 && is two characters", "{ $.a = 1 & $.b = 2 }", .singleAmpersandOrBar, 11...11,
            lines(
                "error: a single `&` is not an operator (column 11)",
                "  { $.a = 1 & $.b = 2 }",
                "            ^",
                "  hint: write `&&`")),
        D(
            "3.1 || is two characters", #"{ $.a = "x" | $.b = 2 }"#, .singleAmpersandOrBar, 13...13,
            lines(
                "error: a single `|` is not an operator (column 13)",
                #"  { $.a = "x" | $.b = 2 }"#,
                "              ^",
                "  hint: write `||`")),

        // MARK: values (3.1 `value`, 3.4)
        D(
            "3.1 value required", "{ $.a = }", .expectedValue, 7...8,
            lines(
                "error: expected a value after `=` (column 7)",
                "  { $.a = }",
                "        ^~",
                "  hint: for example `= \"value\"`")),
        D(
            "3.1 value required", "{ $.a > }", .expectedValue, 7...8,
            lines(
                "error: expected a value after `>` (column 7)",
                "  { $.a > }",
                "        ^~",
                "  hint: for example `> 100`")),
        D(
            "3.4 quoted string must close", #"{ $.a = "abc }"#, .unterminatedString, 9...14,
            lines(
                "error: the string that starts here is never closed (column 9)",
                #"  { $.a = "abc }"#,
                "          ^~~~~~",
                #"  hint: add a closing `"`; write `\"` for a quote inside the string"#)),
        D("3.4 term quotes must close", #"ERROR "exact phrase"#, .unterminatedString, 7...19),
        D(
            "3.4 bare values: [A-Za-z0-9_.+*-]", "{ $.a = foo@bar }", .invalidBareValue, 12...12,
            lines(
                "error: `@` is not allowed in an unquoted value (column 12)",
                "  { $.a = foo@bar }",
                "             ^",
                "  hint: quote the value: `\"foo@bar\"`")),
        D(
            "3.4 bare values: no :", "{ $.userIdentity.arn = arn:aws:iam::123456789012:root }", .invalidBareValue,
            27...27),
        D(
            "3.4 bare values: ASCII only (column counts characters)", "{ $.a = café }", .invalidBareValue, 12...12,
            lines(
                "error: `é` is not allowed in an unquoted value (column 12)",
                "  { $.a = café }",
                "             ^",
                "  hint: quote the value: `\"café\"`")),
        D(
            "3.4 bare value with spaces", "{ $.errorMessage = Failed authentication }", .bareValueWithSpaces, 20...40,
            lines(
                "error: a value with spaces must be quoted (column 20)",
                "  { $.errorMessage = Failed authentication }",
                "                     ^~~~~~~~~~~~~~~~~~~~~",
                "  hint: write `\"Failed authentication\"`")),
        D(
            "3.4 bare value with spaces, inside parentheses",
            "{ ($.errorMessage = Failed authentication) && ($.eventName = ConsoleLogin) }",
            .bareValueWithSpaces, 21...41),
        D(
            "3.3 relational needs a number", "{ $.a > abc }", .relationalNeedsNumber, 9...11,
            lines(
                "error: `>` compares numbers, and `abc` is not a number (column 9)",
                "  { $.a > abc }",
                "          ^~~",
                "  hint: use `=` or `!=` for strings, or write a number such as `100`")),
        D(
            "3.3 relational needs a number (quoted number is a string)", #"{ $.a >= "5" }"#, .relationalNeedsNumber,
            10...12,
            lines(
                #"error: `>=` compares numbers, and `"5"` is not a number (column 10)"#,
                #"  { $.a >= "5" }"#,
                "           ^~~",
                "  hint: use `=` or `!=` for strings, or write a number such as `100`")),
        D("3.3 relational needs a number (wildcard)", "{ $.a < 4* }", .relationalNeedsNumber, 9...10),
        D("3.3 relational needs a number (regex)", "{ $.a <= %5% }", .relationalNeedsNumber, 10...12),

        // MARK: regexes (section 5, 3.2)
        D(
            "5 regex must close", "{ $.a = %abc }", .unterminatedRegex, 9...14,
            lines(
                "error: the regex that starts here is never closed (column 9)",
                "  { $.a = %abc }",
                "          ^~~~~~",
                #"  hint: end it with `%`; write `\x25` for a literal `%` inside"#)),
        D("5 no groups", "{ $.a = %(a)% }", .regexSyntax, 10...10),
        D("5 only listed characters", "%something!%", .regexSyntax, 11...11),
        D(
            "3.2 ≤ 2 regexes", "{ $.a = %x% || $.b = %y% || $.c = %z% }", .tooManyRegexes, 35...37,
            lines(
                "error: a pattern may contain at most 2 regexes (column 35)",
                "  { $.a = %x% || $.b = %y% || $.c = %z% }",
                "                                    ^~~",
                "  hint: combine alternatives into one regex with `|`, or use wildcards such as `Prefix*`")),

        // MARK: connectives (3.1 `or_expr`, `and_expr`)
        D(
            "3.1 predicates are joined by && or ||", #"{ $.a = "x" $.b = "y" }"#, .expectedConnective, 13...13,
            lines(
                "error: expected `&&`, `||`, `)` or `}` after a predicate, found `$` (column 13)",
                #"  { $.a = "x" $.b = "y" }"#,
                "              ^")),
        D(
            "3.1 AND is not an operator", "{ $.a = 1 AND $.b = 2 }", .expectedConnective, 11...13,
            lines(
                "error: `AND` is not an operator (column 11)",
                "  { $.a = 1 AND $.b = 2 }",
                "            ^~~",
                "  hint: write `&&`")),
        D("3.1 or is not an operator", "{ $.a = 1 or $.b = 2 }", .expectedConnective, 11...12),

        // MARK: term patterns (section 6)
        D(
            "6 -term has no space", "ERROR - DEBUG", .invalidTerm, 7...7,
            lines(
                "error: `-` must be followed by a term (column 7)",
                "  ERROR - DEBUG",
                "        ^",
                "  hint: write `-DEBUG` or `?ERROR` with no space")),
        D("6 ?term has no space", "?ERROR ?", .invalidTerm, 8...8),
        D(
            "6 quotes enclose whole terms", #"ERR"OR"#, .invalidTerm, 4...4,
            lines(
                "error: a quote inside a term (column 4)",
                #"  ERR"OR"#,
                "     ^",
                "  hint: quote the whole phrase: `\"…\"`")),

        // MARK: warnings (valid patterns that probably do not mean what they say)
        D(
            "4.10 rule 6: middle * is literal", "{ $.a = Ev*ent }", .middleWildcard, 9...14,
            lines(
                "warning: `*` in the middle of a value is a literal character, not a wildcard (column 9)",
                "  { $.a = Ev*ent }",
                "          ^~~~~~",
                "  hint: use a regex such as `%^Ev.*ent$%` for a wildcard in the middle")),
        D("4.10 rule 6: middle * is literal (quoted)", #"{ $.a = "*a*b*" }"#, .middleWildcard, 9...15),
        D(
            "4.6 bare true is a string", "{ $.readOnly = true }", .booleanAsString, 16...19,
            lines(
                #"warning: `true` here is the string "true", which never equals a JSON boolean (column 16)"#,
                "  { $.readOnly = true }",
                "                 ^~~~",
                "  hint: write `IS TRUE` to test a boolean field")),
        D("4.6 bare false is a string", "{ $.readOnly != false }", .booleanAsString, 17...21),
        D(
            "4.6 bare null is a string", "{ $.requestParameters = null }", .nullAsString, 25...28,
            lines(
                #"warning: `null` here is the string "null", which never equals a JSON null (column 25)"#,
                "  { $.requestParameters = null }",
                "                          ^~~~",
                "  hint: write `IS NULL` to test for null")),

        // MARK: multi-line and tab rendering
        D(
            "3.1 ws: line and column on multi-line patterns", "{\n  $.a = 1 &&\n}", .expectedPredicate, line: 3, 1...1,
            lines(
                "error: expected a predicate before `}` (line 3, column 1)",
                "  }",
                "  ^",
                "  hint: remove the dangling `&&`/`||` or add a predicate")),
        D(
            "3.1 ws: line and column on multi-line patterns", "{\n  $.eventName = StopLogging\n  && $.a is null\n}",
            .lowercaseKeyword, line: 3,
            10...11,
            lines(
                "error: keywords are upper case: `is` is not recognised (line 3, column 10)",
                "    && $.a is null",
                "           ^~",
                "  hint: write `IS`")),
        D(
            "3.1 ws: tabs count as one column and render as blanks", "{\t$.a ==\t1 }", .expectedOperator, 7...8,
            lines(
                "error: `==` is not an operator (column 7)",
                "  { $.a == 1 }",
                "        ^~",
                "  hint: write `=`")),
    ]

    @Test("diagnostic kind, location and rendering", arguments: cases)
    func diagnostic(_ row: DiagnosticCase) throws {
        let diagnostic: PatternDiagnostic
        let rendered: String
        if row.isWarning {
            let pattern = try FilterPattern.parse(row.pattern)
            let warning = try #require(
                pattern.warnings.first { $0.kind == row.kind }, "no \(row.kind) warning in \(pattern.warnings)")
            #expect(warning.severity == .warning)
            diagnostic = warning
            rendered = warning.rendered(in: row.pattern)
        } else {
            let error = try #require(throws: PatternError.self) { try FilterPattern.parse(row.pattern) }
            #expect(error.pattern == row.pattern)
            #expect(error.diagnostic.severity == .error)
            diagnostic = error.diagnostic
            rendered = error.rendered
        }
        #expect(diagnostic.kind == row.kind)
        let location = diagnostic.location(in: row.pattern)
        #expect(location.line == row.line)
        #expect(location.columns == row.columns)
        if let expected = row.rendered {
            #expect(rendered == expected)
        }
    }

    /// A new `Kind` without a row here fails this test.
    @Test("every diagnostic kind is produced by at least one row", arguments: PatternDiagnostic.Kind.allCases)
    func everyKindIsCovered(_ kind: PatternDiagnostic.Kind) {
        #expect(Self.cases.contains { $0.kind == kind }, "no row produces \(kind)")
    }

    @Test("every diagnostic kind has at least one pinned rendering, except length and regex syntax")
    func everyKindHasARendering() {
        let unpinned: Set<PatternDiagnostic.Kind> = [.patternTooLong, .regexSyntax]
        for kind in PatternDiagnostic.Kind.allCases where !unpinned.contains(kind) {
            #expect(
                Self.cases.contains { $0.kind == kind && $0.rendered != nil }, "no rendered text pinned for \(kind)")
        }
    }

    // MARK: length limit boundaries (3.2)

    @Test("3.2 a pattern of exactly 1024 characters is accepted, 1025 is not")
    func lengthBoundary() throws {
        #expect(longPattern(1024).count == 1024)
        _ = try FilterPattern.parse(longPattern(1024))
        let error = try #require(throws: PatternError.self) { try FilterPattern.parse(longPattern(1025)) }
        #expect(error.diagnostic.kind == .patternTooLong)
        #expect(error.diagnostic.message == "the pattern is 1025 characters long; CloudWatch accepts at most 1024")
        #expect(error.diagnostic.hint == "split it into several rules")
    }

    @Test("3.2 the length limit counts characters, not UTF-8 bytes")
    func lengthCountsCharacters() throws {
        let text = longPattern(1024, filler: "é")
        #expect(text.utf8.count > 1024)
        _ = try FilterPattern.parse(text)
        let error = try #require(throws: PatternError.self) { try FilterPattern.parse(longPattern(1025, filler: "é")) }
        #expect(error.diagnostic.kind == .patternTooLong)
        #expect(error.diagnostic.location(in: longPattern(1025, filler: "é")).columns.lowerBound == 1025)
    }

    // MARK: limits that are not errors

    @Test("3.2 limits: 3 wildcard selectors and 2 regexes are accepted")
    func limitsAtTheBoundary() throws {
        _ = try FilterPattern.parse("{ $.a[*] = 1 || $.b[*] = 2 || $.c.* = 3 }")
        _ = try FilterPattern.parse("{ $.a = %x% || $.b = %y% }")
        _ = try FilterPattern.parse("{ $.a[*] = 1 || $.b[0] = 2 || $.c.d = 3 || $.e[1][2] = 4 }")
    }

    // MARK: one-line description and warnings carried by errors

    @Test("PatternError.description is one line with the column, message and hint")
    func oneLineDescription() throws {
        let error = try #require(throws: PatternError.self) {
            try FilterPattern.parse("{ ($.eventName = StopLogging }")
        }
        #expect(error.description == "invalid filter pattern at column 3: `(` is never closed; add `)` before `}`")
        let multiLine = try #require(throws: PatternError.self) { try FilterPattern.parse("{\n  $.a = 1 &&\n}") }
        #expect(
            multiLine.description
                == "invalid filter pattern at line 3, column 1: expected a predicate before `}`; remove the dangling `&&`/`||` or add a predicate"
        )
    }

    @Test("an error keeps the warnings found before it")
    func errorKeepsWarnings() throws {
        let error = try #require(throws: PatternError.self) { try FilterPattern.parse("{ $.a = Ev*ent && $.b = }") }
        #expect(error.diagnostic.kind == .expectedValue)
        #expect(error.warnings.map(\.kind) == [.middleWildcard])
    }

    @Test("several warnings are reported in order")
    func severalWarnings() throws {
        let pattern = try FilterPattern.parse("{ $.readOnly = true && $.a = Ev*ent && $.b = null }")
        #expect(pattern.warnings.map(\.kind) == [.booleanAsString, .middleWildcard, .nullAsString])
        #expect(pattern.warnings.allSatisfy { $0.severity == .warning })
    }
}
