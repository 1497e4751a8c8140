import Testing
import TrailJSON
import TrailPatterns

// Specification tests for the grammar of shared/docs/filter-patterns.md section 3.1 (and the
// pattern kinds of section 2 and the term patterns of section 6): every production is parsed to an
// expected AST and printed back in canonical form.

// MARK: - AST construction helpers (file-private, so they cannot collide with other test files)

/// `$.a.b.c`: a selector made only of property steps.
private func sel(_ names: String...) -> JSONPath { JSONPath(names.map { .key($0) }) }

private func path(_ steps: JSONPath.Step...) -> JSONPath { JSONPath(steps) }

private func pred(_ selector: JSONPath, _ test: PredicateTest) -> PatternExpression {
    .predicate(Predicate(selector, test))
}

private func cmp(_ selector: JSONPath, _ op: ComparisonOperator, _ value: PatternValue) -> PatternExpression {
    pred(selector, .compare(op, value))
}

private func str(_ text: String) -> PatternValue { .string(StringLiteral(text)) }

private func num(_ text: String) -> PatternValue {
    guard let literal = NumberLiteral(text) else { fatalError("test bug: \(text) is not a number literal") }
    return .number(literal)
}

private func rx(_ body: String) -> PatternValue { .regex(regex(body)) }

private func regex(_ body: String) -> FilterRegex {
    do { return try FilterRegex(body) } catch { fatalError("test bug: regex \(body) does not compile: \(error)") }
}

private func json(_ expression: PatternExpression) -> FilterPattern.Body { .json(expression) }

private func terms(_ list: TermPattern.Term...) -> FilterPattern.Body { .terms(TermPattern(list)) }

/// `$.a = 1` … used as the A, B, C operands of the precedence rows.
private let predA = cmp(sel("a"), .equal, num("1"))
private let predB = cmp(sel("b"), .equal, num("2"))
private let predC = cmp(sel("c"), .equal, num("3"))
private let predD = cmp(sel("d"), .equal, num("4"))

/// Evaluates pattern text against one record.
private func grammarMatch(_ pattern: String, _ record: String) throws -> Bool {
    let matcher = PatternMatcher(try FilterPattern.parse(pattern))
    var context = matcher.makeContext()
    return try Array(record.utf8).withUnsafeBytes { try matcher.matches($0, in: &context) }
}

// MARK: - Table

struct GrammarCase: Sendable, CustomTestStringConvertible {
    var text: String
    var body: FilterPattern.Body
    var canonical: String
    /// Warnings the text must produce (most rows: none).
    var warnings: [PatternDiagnostic.Kind]
    var section: String

    init(
        _ section: String, _ text: String, _ body: FilterPattern.Body, _ canonical: String,
        warnings: [PatternDiagnostic.Kind] = []
    ) {
        self.section = section
        self.text = text
        self.body = body
        self.canonical = canonical
        self.warnings = warnings
    }

    var testDescription: String { "\(section): \(text.debugDescription)" }
}

@Suite("Grammar (spec 3.1)")
struct GrammarTests {
    static let cases: [GrammarCase] = [
        // MARK: selector productions (3.1 `selector`, `step`, `name`)
        GrammarCase(
            "3.1 step .name", "{ $.eventName = ConsoleLogin }",
            json(cmp(sel("eventName"), .equal, str("ConsoleLogin"))), #"{ $.eventName = "ConsoleLogin" }"#),
        GrammarCase(
            "3.1 nested .name", "{ $.userIdentity.sessionContext.attributes.mfaAuthenticated = \"true\" }",
            json(cmp(sel("userIdentity", "sessionContext", "attributes", "mfaAuthenticated"), .equal, str("true"))),
            #"{ $.userIdentity.sessionContext.attributes.mfaAuthenticated = "true" }"#),
        GrammarCase(
            "3.1 name with digits, - and _", "{ $.x-amz_id2 = abc }",
            json(cmp(sel("x-amz_id2"), .equal, str("abc"))), #"{ $.x-amz_id2 = "abc" }"#),
        GrammarCase(
            "3.1 step [n]", "{ $.resources[0].ARN = abc }",
            json(cmp(path(.key("resources"), .index(0), .key("ARN")), .equal, str("abc"))),
            #"{ $.resources[0].ARN = "abc" }"#),
        GrammarCase(
            "3.1 multi-digit index", "{ $.users[12] = abc }",
            json(cmp(path(.key("users"), .index(12)), .equal, str("abc"))), #"{ $.users[12] = "abc" }"#),
        GrammarCase(
            "3.1 nested [0][1]", "{ $.coordinates[0][1] = 5 }",
            json(cmp(path(.key("coordinates"), .index(0), .index(1)), .equal, num("5"))), "{ $.coordinates[0][1] = 5 }"),
        GrammarCase(
            "3.1 step [*]", #"{ $.resources[*].type = "AWS::S3::Object" }"#,
            json(cmp(path(.key("resources"), .anyElement, .key("type")), .equal, str("AWS::S3::Object"))),
            #"{ $.resources[*].type = "AWS::S3::Object" }"#),
        GrammarCase(
            "3.1 step .* (nested)", "{ $.requestParameters.* = abc }",
            json(cmp(path(.key("requestParameters"), .anyMember), .equal, str("abc"))),
            #"{ $.requestParameters.* = "abc" }"#),
        GrammarCase(
            "3.1 step .* (top level)", "{ $.* = abc }",
            json(cmp(path(.anyMember), .equal, str("abc"))), #"{ $.* = "abc" }"#),
        GrammarCase(
            "3.1 step .['key.with.dots']", "{ $.['key.with.dots'] = abc }",
            json(cmp(sel("key.with.dots"), .equal, str("abc"))), #"{ $.['key.with.dots'] = "abc" }"#),
        GrammarCase(
            "3.1 bracket key after a property", "{ $.tags.['cluster.name'] = prod }",
            json(cmp(sel("tags", "cluster.name"), .equal, str("prod"))), #"{ $.tags.['cluster.name'] = "prod" }"#),
        GrammarCase(
            "3.1 bracket key that is a plain name prints dotted", "{ $.['plain'] = abc }",
            json(cmp(sel("plain"), .equal, str("abc"))), #"{ $.plain = "abc" }"#),

        // MARK: operators (3.1 `cmp_op`, 3.3); spacing around operators is optional
        GrammarCase(
            "3.3 = without spaces (CIS 3.4 style)", "{ $.eventName=DeleteGroupPolicy }",
            json(cmp(sel("eventName"), .equal, str("DeleteGroupPolicy"))), #"{ $.eventName = "DeleteGroupPolicy" }"#),
        GrammarCase(
            "3.3 `=*X` (CIS v4 4.1 style)", "{ $.errorCode =*UnauthorizedOperation }",
            json(cmp(sel("errorCode"), .equal, str("*UnauthorizedOperation"))),
            #"{ $.errorCode = "*UnauthorizedOperation" }"#),
        GrammarCase(
            "3.3 != without spaces", "{ ($.eventName!=HeadBucket) }",
            json(cmp(sel("eventName"), .notEqual, str("HeadBucket"))), #"{ $.eventName != "HeadBucket" }"#),
        GrammarCase("3.3 !=", "{ $.n != 5 }", json(cmp(sel("n"), .notEqual, num("5"))), "{ $.n != 5 }"),
        GrammarCase("3.3 <", "{ $.n < 5 }", json(cmp(sel("n"), .less, num("5"))), "{ $.n < 5 }"),
        GrammarCase("3.3 > without spaces", "{ $.n>5 }", json(cmp(sel("n"), .greater, num("5"))), "{ $.n > 5 }"),
        GrammarCase(
            "3.3 <= space before only", "{ $.n <=5 }", json(cmp(sel("n"), .lessOrEqual, num("5"))), "{ $.n <= 5 }"),
        GrammarCase(
            "3.3 >= space after only", "{ $.n>= 5 }", json(cmp(sel("n"), .greaterOrEqual, num("5"))), "{ $.n >= 5 }"),
        GrammarCase(
            "3.1 longest operator first: `<-1`", "{ $.n<-1 }", json(cmp(sel("n"), .less, num("-1"))), "{ $.n < -1 }"),
        GrammarCase(
            "3.1 `>=+1000`", "{ $.n>=+1000 }", json(cmp(sel("n"), .greaterOrEqual, num("+1000"))), "{ $.n >= +1000 }"),
        GrammarCase(
            "3.1 IS TRUE", "{ $.readOnly IS TRUE }", json(pred(sel("readOnly"), .isTrue)), "{ $.readOnly IS TRUE }"),
        GrammarCase(
            "3.1 IS FALSE", "{ $.managementEvent IS FALSE }",
            json(pred(sel("managementEvent"), .isFalse)), "{ $.managementEvent IS FALSE }"),
        GrammarCase(
            "3.1 IS NULL", "{ $.requestParameters IS NULL }",
            json(pred(sel("requestParameters"), .isNull)), "{ $.requestParameters IS NULL }"),
        GrammarCase(
            "3.1 NOT EXISTS", "{ $.userIdentity.invokedBy NOT EXISTS }",
            json(pred(sel("userIdentity", "invokedBy"), .notExists)), "{ $.userIdentity.invokedBy NOT EXISTS }"),
        GrammarCase(
            "3.1 ws1 may be several blanks/tabs", "{ $.a   IS \t NULL }", json(pred(sel("a"), .isNull)),
            "{ $.a IS NULL }"),
        GrammarCase(
            "3.1 IS NULL on a wildcard selector", "{ $.a[*] IS NULL }",
            json(pred(path(.key("a"), .anyElement), .isNull)), "{ $.a[*] IS NULL }"),

        // MARK: values (3.1 `value`, 3.4)
        GrammarCase(
            "3.4 quoted string", #"{ $.errorMessage = "Failed authentication" }"#,
            json(cmp(sel("errorMessage"), .equal, str("Failed authentication"))),
            #"{ $.errorMessage = "Failed authentication" }"#),
        GrammarCase(
            "3.4 bare value with dots", "{ $.eventSource = kms.amazonaws.com }",
            json(cmp(sel("eventSource"), .equal, str("kms.amazonaws.com"))), #"{ $.eventSource = "kms.amazonaws.com" }"#
        ),
        GrammarCase(
            "3.4 bare value with hyphen", "{ $.awsRegion = us-east-1 }",
            json(cmp(sel("awsRegion"), .equal, str("us-east-1"))), #"{ $.awsRegion = "us-east-1" }"#),
        GrammarCase(
            "3.4 quoted and bare are the same value", #"{ $.eventName = "ConsoleLogin" }"#,
            json(cmp(sel("eventName"), .equal, str("ConsoleLogin"))), #"{ $.eventName = "ConsoleLogin" }"#),
        GrammarCase(
            "4.10 rule 7: \\\" and \\\\ escapes", #"{ $.a = "say \"hi\" \\ end" }"#,
            json(cmp(sel("a"), .equal, str(#"say "hi" \ end"#))), #"{ $.a = "say \"hi\" \\ end" }"#),
        GrammarCase(
            "4.10 rule 7: any other backslash is literal", #"{ $.a = "a\nb\u0041" }"#,
            json(cmp(sel("a"), .equal, str(#"a\nb\u0041"#))), #"{ $.a = "a\\nb\\u0041" }"#),
        GrammarCase(
            "3.4 empty quoted string", #"{ $.a = "" }"#, json(cmp(sel("a"), .equal, str(""))), #"{ $.a = "" }"#),
        GrammarCase(
            "3.4 quoted non-ASCII and symbols", #"{ $.a = "café @ $x" }"#,
            json(cmp(sel("a"), .equal, str("café @ $x"))), #"{ $.a = "café @ $x" }"#),
        GrammarCase(
            "3.4 quoted number is a string", #"{ $.errorCode = "400" }"#,
            json(cmp(sel("errorCode"), .equal, str("400"))), #"{ $.errorCode = "400" }"#),
        GrammarCase(
            "3.4 bare integer is a number", "{ $.status = 400 }", json(cmp(sel("status"), .equal, num("400"))),
            "{ $.status = 400 }"),
        GrammarCase("3.4 number 10e3", "{ $.n = 10e3 }", json(cmp(sel("n"), .equal, num("10e3"))), "{ $.n = 10e3 }"),
        GrammarCase(
            "3.4 number 10e-3", "{ $.n = 10e-3 }", json(cmp(sel("n"), .equal, num("10e-3"))), "{ $.n = 10e-3 }"),
        GrammarCase("3.4 number 1e+3", "{ $.n = 1e+3 }", json(cmp(sel("n"), .equal, num("1e+3"))), "{ $.n = 1e+3 }"),
        GrammarCase("3.4 number 55.5", "{ $.n = 55.5 }", json(cmp(sel("n"), .equal, num("55.5"))), "{ $.n = 55.5 }"),
        GrammarCase(
            "3.4 number +1000", "{ $.n = +1000 }", json(cmp(sel("n"), .equal, num("+1000"))), "{ $.n = +1000 }"),
        GrammarCase("3.4 number -1", "{ $.n = -1 }", json(cmp(sel("n"), .equal, num("-1"))), "{ $.n = -1 }"),
        GrammarCase("3.4 number .5", "{ $.n = .5 }", json(cmp(sel("n"), .equal, num(".5"))), "{ $.n = .5 }"),
        GrammarCase(
            "3.4 wildcard alone", "{ $.latency = * }", json(cmp(sel("latency"), .equal, str("*"))),
            #"{ $.latency = "*" }"#),
        GrammarCase(
            "3.4 quoted wildcard alone", #"{ $.latency = "*" }"#, json(cmp(sel("latency"), .equal, str("*"))),
            #"{ $.latency = "*" }"#),
        GrammarCase(
            "3.4 prefix wildcard", "{ $.sourceIPAddress = 123.123.* }",
            json(cmp(sel("sourceIPAddress"), .equal, str("123.123.*"))), #"{ $.sourceIPAddress = "123.123.*" }"#),
        GrammarCase(
            "3.4 suffix wildcard, quoted", #"{ $.errorCode = "*UnauthorizedOperation" }"#,
            json(cmp(sel("errorCode"), .equal, str("*UnauthorizedOperation"))),
            #"{ $.errorCode = "*UnauthorizedOperation" }"#),
        GrammarCase(
            "3.4 contains wildcard", "{ $.errorCode = *Denied* }",
            json(cmp(sel("errorCode"), .equal, str("*Denied*"))), #"{ $.errorCode = "*Denied*" }"#),
        GrammarCase(
            "3.4 wildcard on a number-looking value is a string", "{ $.status = 4* }",
            json(cmp(sel("status"), .equal, str("4*"))), #"{ $.status = "4*" }"#),
        GrammarCase(
            "4.10 rule 6: middle * is literal (warning)", "{ $.a = Ev*ent }",
            json(cmp(sel("a"), .equal, str("Ev*ent"))), #"{ $.a = "Ev*ent" }"#, warnings: [.middleWildcard]),
        GrammarCase(
            "3.1 regex value", "{ $.eventName = %Trail% }",
            json(cmp(sel("eventName"), .equal, rx("Trail"))), "{ $.eventName = %Trail% }"),
        GrammarCase(
            "3.3 regex value with !=", "{ $.eventName != %^Describe% }",
            json(cmp(sel("eventName"), .notEqual, rx("^Describe"))), "{ $.eventName != %^Describe% }"),
        GrammarCase(
            "3.1 regex value without spaces", "{$.sourceIPAddress=%^10\\.0\\.%}",
            json(cmp(sel("sourceIPAddress"), .equal, rx("^10\\.0\\."))), "{ $.sourceIPAddress = %^10\\.0\\.% }"),
        GrammarCase(
            "3.4 bare `true` is the string \"true\" (warning)", "{ $.readOnly = true }",
            json(cmp(sel("readOnly"), .equal, str("true"))), #"{ $.readOnly = "true" }"#, warnings: [.booleanAsString]),
        GrammarCase(
            "3.4 quoted \"true\" is a plain string (no warning)", #"{ $.mfa = "true" }"#,
            json(cmp(sel("mfa"), .equal, str("true"))), #"{ $.mfa = "true" }"#),

        // MARK: && / || / () (3.1 `or_expr`, `and_expr`, `primary`; 4.7)
        GrammarCase("3.1 &&", "{ $.a = 1 && $.b = 2 }", json(.and([predA, predB])), "{ ($.a = 1) && ($.b = 2) }"),
        GrammarCase("3.1 ||", "{ $.a = 1 || $.b = 2 }", json(.or([predA, predB])), "{ ($.a = 1) || ($.b = 2) }"),
        GrammarCase(
            "4.7 A || B && C ≡ A || (B && C)", "{ $.a = 1 || $.b = 2 && $.c = 3 }",
            json(.or([predA, .and([predB, predC])])), "{ ($.a = 1) || (($.b = 2) && ($.c = 3)) }"),
        GrammarCase(
            "4.7 A && B || C ≡ (A && B) || C", "{ $.a = 1 && $.b = 2 || $.c = 3 }",
            json(.or([.and([predA, predB]), predC])), "{ (($.a = 1) && ($.b = 2)) || ($.c = 3) }"),
        GrammarCase(
            "4.7 A && B || C && D", "{ $.a = 1 && $.b = 2 || $.c = 3 && $.d = 4 }",
            json(.or([.and([predA, predB]), .and([predC, predD])])),
            "{ (($.a = 1) && ($.b = 2)) || (($.c = 3) && ($.d = 4)) }"),
        GrammarCase(
            "4.7 parentheses override: (A || B) && C", "{ ($.a = 1 || $.b = 2) && $.c = 3 }",
            json(.and([.or([predA, predB]), predC])), "{ (($.a = 1) || ($.b = 2)) && ($.c = 3) }"),
        GrammarCase(
            "3.1 parenthesised predicates, no spaces", "{($.a=1)||($.b=2)}", json(.or([predA, predB])),
            "{ ($.a = 1) || ($.b = 2) }"),
        GrammarCase(
            "3.1 flattening: (A || B) || C", "{ (($.a = 1) || ($.b = 2)) || $.c = 3 }",
            json(.or([predA, predB, predC])), "{ ($.a = 1) || ($.b = 2) || ($.c = 3) }"),
        GrammarCase(
            "3.1 flattening: A || (B || C)", "{ $.a = 1 || ($.b = 2 || $.c = 3) }",
            json(.or([predA, predB, predC])), "{ ($.a = 1) || ($.b = 2) || ($.c = 3) }"),
        GrammarCase(
            "3.1 flattening: A && (B && C)", "{ $.a = 1 && ($.b = 2 && $.c = 3) }",
            json(.and([predA, predB, predC])), "{ ($.a = 1) && ($.b = 2) && ($.c = 3) }"),
        GrammarCase("3.1 redundant nested parentheses", "{ ((($.a = 1))) }", json(predA), "{ $.a = 1 }"),
        GrammarCase(
            "3.1 nested groups", "{ (($.a = 1) || ($.b = 2)) && (($.c = 3) || ($.d = 4)) }",
            json(.and([.or([predA, predB]), .or([predC, predD])])),
            "{ (($.a = 1) || ($.b = 2)) && (($.c = 3) || ($.d = 4)) }"),

        // MARK: whitespace and newlines (3.1 `ws`, `ws1`)
        GrammarCase(
            "3.1 ws: newlines and tabs around everything", "\n\t{\n  $.a = 1\n\t&&\r\n  $.b = 2\n}\n",
            json(.and([predA, predB])), "{ ($.a = 1) && ($.b = 2) }"),
        GrammarCase(
            "3.1 ws1: newline between NOT and EXISTS", "{\n  $.userIdentity.invokedBy NOT\n  EXISTS\n}",
            json(pred(sel("userIdentity", "invokedBy"), .notExists)), "{ $.userIdentity.invokedBy NOT EXISTS }"),
        GrammarCase(
            "3.1 ws1: CRLF between IS and NULL", "{ $.a IS\r\nNULL }", json(pred(sel("a"), .isNull)), "{ $.a IS NULL }"),
        GrammarCase(
            "3.1 ws: no blanks at all inside braces", "{$.a=1&&$.b=2||$.c=3}",
            json(.or([.and([predA, predB]), predC])), "{ (($.a = 1) && ($.b = 2)) || ($.c = 3) }"),

        GrammarCase("3.1 keyword right before `}`", "{$.a IS NULL}", json(pred(sel("a"), .isNull)), "{ $.a IS NULL }"),
        GrammarCase(
            "3.1 keyword right before `)`", "{($.a NOT EXISTS)||($.b IS TRUE)}",
            json(.or([pred(sel("a"), .notExists), pred(sel("b"), .isTrue)])), "{ ($.a NOT EXISTS) || ($.b IS TRUE) }"),
        GrammarCase(
            "3.1 regex right before `)`", "{($.a=%x%)&&($.b=\"y\")}",
            json(.and([cmp(sel("a"), .equal, rx("x")), cmp(sel("b"), .equal, str("y"))])),
            #"{ ($.a = %x%) && ($.b = "y") }"#),
        GrammarCase(
            "3.1 qkey may hold any character but `'`", "{ $.['a]b c'] = 1 }",
            json(cmp(sel("a]b c"), .equal, num("1"))), "{ $.['a]b c'] = 1 }"),

        // MARK: the empty pattern (section 2)
        GrammarCase("2 empty pattern", "", .matchAll, ""),
        GrammarCase("2 blank pattern", "  \t\n ", .matchAll, ""),

        // MARK: term patterns (section 6)
        GrammarCase("6 single term", "ERROR", terms(.init("ERROR", .required)), "ERROR"),
        GrammarCase(
            "6 several terms (AND)", "ERROR  Exiting", terms(.init("ERROR", .required), .init("Exiting", .required)),
            "ERROR Exiting"),
        GrammarCase("6 exact phrase", #""exact phrase""#, terms(.init("exact phrase", .required)), #""exact phrase""#),
        GrammarCase(
            "6 -exclude", "ERROR -DEBUG", terms(.init("ERROR", .required), .init("DEBUG", .excluded)), "ERROR -DEBUG"),
        GrammarCase(
            "6 excluded phrase", #"-"exact phrase""#, terms(.init("exact phrase", .excluded)), #"-"exact phrase""#),
        GrammarCase(
            "6 ?opt ?opt2", "?ERROR ?WARN", terms(.init("ERROR", .optional), .init("WARN", .optional)), "?ERROR ?WARN"),
        GrammarCase(
            "6 ? mixed with plain terms", "ERROR ?WARN", terms(.init("ERROR", .required), .init("WARN", .optional)),
            "ERROR ?WARN"),
        GrammarCase(
            "6 quoted term starting with -", #""-literal""#, terms(.init("-literal", .required)), #""-literal""#),
        GrammarCase("6 `\" \"` matches everything: it is the match-all pattern", #"" ""#, .matchAll, ""),

        // MARK: standalone regex (sections 2, 5)
        GrammarCase("5 standalone regex", "%ConsoleLogin%", .regex(regex("ConsoleLogin")), "%ConsoleLogin%"),
        GrammarCase(
            "5 standalone regex with blanks around", "  %Stop|Delete%\n", .regex(regex("Stop|Delete")), "%Stop|Delete%"),
    ]

    @Test("parses to the expected AST and prints canonically", arguments: cases)
    func parses(_ row: GrammarCase) throws {
        let pattern = try FilterPattern.parse(row.text)
        #expect(pattern.body == row.body)
        #expect(pattern.description == row.canonical)
        #expect(pattern.warnings.map(\.kind) == row.warnings)
        // The canonical form is itself valid and means the same (parse ∘ print = id).
        let reparsed = try FilterPattern.parse(row.canonical)
        #expect(reparsed.body == row.body)
        #expect(reparsed.description == row.canonical)
    }

    // MARK: numbers (3.1 `number`, 3.4)

    struct NumberCase: Sendable, CustomTestStringConvertible {
        var text: String
        var value: Double?
        var testDescription: String { "\(text) → \(value.map { "\($0)" } ?? "string")" }
    }

    static let numbers: [NumberCase] = [
        .init(text: "10e3", value: 10_000), .init(text: "10e-3", value: 0.01), .init(text: "1e+3", value: 1_000),
        .init(text: "55.5", value: 55.5), .init(text: "+1000", value: 1_000), .init(text: "-1", value: -1),
        .init(text: ".5", value: 0.5), .init(text: "5.", value: 5), .init(text: "1E3", value: 1_000),
        .init(text: "-2.5e-1", value: -0.25), .init(text: "007", value: 7), .init(text: "0", value: 0),
        // Not numbers: bare strings.
        .init(text: "1e", value: nil), .init(text: "e5", value: nil), .init(text: "1.2.3", value: nil),
        .init(text: "+", value: nil), .init(text: "-", value: nil), .init(text: ".", value: nil),
        .init(text: "1e+", value: nil), .init(text: "10-3", value: nil), .init(text: "1_000", value: nil),
        .init(text: "0x1F", value: nil), .init(text: "Infinity", value: nil), .init(text: "nan", value: nil),
    ]

    @Test("bare tokens read as numbers exactly when they match the number production", arguments: numbers)
    func numberLiterals(_ row: NumberCase) throws {
        let pattern = try FilterPattern.parse("{ $.n = \(row.text) }")
        guard case .json(.predicate(let predicate)) = pattern.body, case .compare(.equal, let value) = predicate.test
        else {
            Issue.record("unexpected AST \(pattern.body)")
            return
        }
        if let expected = row.value {
            guard case .number(let literal) = value else {
                Issue.record("\(row.text) should be a number, got \(value)")
                return
            }
            #expect(literal.text == row.text)  // spelling kept for 4.10 rule 2
            #expect(literal.value == expected)
        } else {
            #expect(value == .string(StringLiteral(row.text)))
        }
    }

    // MARK: precedence, as equalities between spellings (4.7)

    static let equivalentSpellings: [(String, String)] = [
        ("{ $.a = 1 || $.b = 2 && $.c = 3 }", "{ $.a = 1 || ($.b = 2 && $.c = 3) }"),
        ("{ $.a = 1 && $.b = 2 || $.c = 3 }", "{ ($.a = 1 && $.b = 2) || $.c = 3 }"),
        ("{ ($.a = 1 || $.b = 2) || $.c = 3 }", "{ $.a = 1 || ($.b = 2 || $.c = 3) }"),
        ("{ $.eventName = ConsoleLogin }", #"{ $.eventName = "ConsoleLogin" }"#),
        ("{ $.['eventName'] = X }", "{ $.eventName = X }"),
    ]

    @Test("equivalent spellings parse to the same pattern", arguments: equivalentSpellings)
    func equivalent(_ lhs: String, _ rhs: String) throws {
        #expect(try FilterPattern.parse(lhs) == FilterPattern.parse(rhs))
    }

    @Test("A || B && C differs from (A || B) && C")
    func precedenceIsNotLeftToRight() throws {
        let natural = try FilterPattern.parse("{ $.a = 1 || $.b = 2 && $.c = 3 }")
        let leftToRight = try FilterPattern.parse("{ ($.a = 1 || $.b = 2) && $.c = 3 }")
        #expect(natural != leftToRight)
        // Record with a = 1 only: A || (B && C) holds, (A || B) && C does not.
        let record = #"{"a":1,"b":0,"c":0}"#
        #expect(try grammarMatch(natural.description, record))
        #expect(try !grammarMatch(leftToRight.description, record))
    }

    // MARK: empty pattern and term patterns against records (section 6)

    static let record =
        #"{"eventVersion":"1.08","eventName":"ConsoleLogin","errorMessage":"Failed authentication","awsRegion":"us-east-1"}"#
    static let recordWithoutBlanks = #"{"eventName":"StopLogging","awsRegion":"us-east-1"}"#

    struct RawTextCase: Sendable, CustomTestStringConvertible {
        var pattern: String
        var record: String
        var expected: Bool
        var why: String
        var testDescription: String { "\(pattern) → \(expected) (\(why))" }
    }

    static let rawText: [RawTextCase] = [
        .init(pattern: "", record: record, expected: true, why: "2: empty pattern matches every event"),
        .init(pattern: "", record: "[1,2]", expected: true, why: "2: even a non-object record"),
        .init(pattern: "ConsoleLogin", record: record, expected: true, why: "6: substring of the message"),
        .init(pattern: "Console", record: record, expected: true, why: "6: terms are substrings, not words"),
        .init(pattern: "consolelogin", record: record, expected: false, why: "6: case-sensitive"),
        .init(pattern: "ConsoleLogin us-east-1", record: record, expected: true, why: "6: all terms required"),
        .init(pattern: "ConsoleLogin us-west-2", record: record, expected: false, why: "6: all terms required"),
        .init(pattern: #""Failed authentication""#, record: record, expected: true, why: "6: exact phrase"),
        .init(pattern: #""authentication Failed""#, record: record, expected: false, why: "6: phrase word order"),
        .init(pattern: "Failed authentication", record: record, expected: true, why: "6: two terms, both present"),
        .init(pattern: "ConsoleLogin -Failed", record: record, expected: false, why: "6: -term excludes"),
        .init(pattern: "ConsoleLogin -Success", record: record, expected: true, why: "6: -term absent"),
        .init(
            pattern: "?StopLogging ?ConsoleLogin", record: record, expected: true, why: "6: ? terms form an OR group"),
        .init(pattern: "?StopLogging ?DeleteTrail", record: record, expected: false, why: "6: no ? term present"),
        .init(
            pattern: "ConsoleLogin ?DeleteTrail", record: record, expected: true,
            why: "6: ? ignored next to plain terms"),
        .init(pattern: "?ConsoleLogin -Failed", record: record, expected: false, why: "6: ? ignored next to -terms"),
        .init(
            pattern: "?DeleteTrail -Success", record: record, expected: true, why: "6: ? ignored, only -Success decides"
        ),
        .init(pattern: #"" ""#, record: recordWithoutBlanks, expected: true, why: #"6: `" "` matches everything"#),
        .init(pattern: #"" ""#, record: record, expected: true, why: #"6: `" "` matches everything"#),
    ]

    @Test("empty and term patterns against raw record text", arguments: rawText)
    func rawTextPatterns(_ row: RawTextCase) throws {
        #expect(try grammarMatch(row.pattern, row.record) == row.expected)
    }

    @Test("term patterns: `?` terms are ignored when combined with plain or `-` terms (6)")
    func effectiveTerms() throws {
        let mixed = try FilterPattern.parse("ERROR ?WARN -DEBUG")
        guard case .terms(let terms) = mixed.body else {
            Issue.record("not a term pattern: \(mixed.body)")
            return
        }
        #expect(terms.effectiveTerms == [.init("ERROR", .required), .init("DEBUG", .excluded)])
        let optional = try FilterPattern.parse("?ERROR ?WARN")
        guard case .terms(let only) = optional.body else {
            Issue.record("not a term pattern: \(optional.body)")
            return
        }
        #expect(only.effectiveTerms == [.init("ERROR", .optional), .init("WARN", .optional)])
    }

    @Test("standalone regex is searched in the record text (5)")
    func standaloneRegex() throws {
        #expect(try grammarMatch("%Failed auth%", Self.record))
        #expect(try grammarMatch("%^\\{%", Self.record))
        #expect(try !grammarMatch("%failed auth%", Self.record))
        #expect(try !grammarMatch("%StopLogging%", Self.record))
    }

    @Test("whitespace inside a pattern never changes its meaning")
    func whitespaceIsInsignificant() throws {
        let compact = try FilterPattern.parse("{($.eventName=ConsoleLogin)&&($.userIdentity.invokedBy NOT EXISTS)}")
        let spread = try FilterPattern.parse(
            "{\n\t( $.eventName = ConsoleLogin )\n\t&&\n\t( $.userIdentity.invokedBy\tNOT\nEXISTS )\n}")
        #expect(compact == spread)
        #expect(compact.description == spread.description)
    }

    @Test("pattern kinds dispatch on the first non-blank character (2)")
    func dispatch() throws {
        #expect(try FilterPattern.parse("  { $.a = 1 }").isJSON)
        #expect(try !FilterPattern.parse("ERROR").isJSON)
        #expect(try !FilterPattern.parse("%ERROR%").isJSON)
        #expect(try !FilterPattern.parse("").isJSON)
        // A term that merely looks like a selector is a term pattern, not a JSON pattern.
        let term = try FilterPattern.parse("$.a")
        #expect(term.body == terms(.init("$.a", .required)))
    }
}
