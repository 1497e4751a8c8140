import Testing
import TrailJSON
import TrailPatterns

// The product decisions of shared/docs/filter-patterns.md section 4.10 (one test per decision),
// plus the evaluation rules around them: selector resolution (4.2), string decoding and case
// sensitivity (4.4), numbers (4.5), top-level non-objects (4.1) and duplicate keys.

private func decisionMatch(_ pattern: String, _ record: String) throws -> Bool {
    let matcher = PatternMatcher(try FilterPattern.parse(pattern))
    var context = matcher.makeContext()
    return try Array(record.utf8).withUnsafeBytes { try matcher.matches($0, in: &context) }
}

struct DecisionCase: Sendable, CustomTestStringConvertible {
    var pattern: String
    var record: String
    var expected: Bool
    var note: String

    init(_ pattern: String, _ record: String, _ expected: Bool, _ note: String = "") {
        self.pattern = pattern
        self.record = record
        self.expected = expected
        self.note = note
    }

    var testDescription: String { "\(pattern) on \(record) → \(expected)" + (note.isEmpty ? "" : " (\(note))") }
}

@Suite("Decisions of 4.10 and evaluation rules of section 4")
struct DecisionTests {
    typealias D = DecisionCase

    // MARK: 4.10 rule 1 — string or wildcard literal against a JSON number: the number's JSON text

    static let rule1: [DecisionCase] = [
        D("{ $.status = 4* }", #"{"status":404}"#, true, "spec example"),
        D(#"{ $.code = "400" }"#, #"{"code":400}"#, true, "spec example"),
        D("{ $.status = 4* }", #"{"status":504}"#, false),
        D("{ $.status = *4 }", #"{"status":404}"#, true),
        D(#"{ $.code = "400" }"#, #"{"code":4e2}"#, false, "text is 4e2"),
        D(#"{ $.code = "4e2" }"#, #"{"code":4e2}"#, true, "text as written in the record"),
        D(#"{ $.code = "-1.50" }"#, #"{"code":-1.50}"#, true, "text keeps trailing zeros"),
        D(#"{ $.code = "-1.5" }"#, #"{"code":-1.50}"#, false, "text, not value"),
        D("{ $.code = 40* || $.code = 41* }", #"{"code":410}"#, true),
        D(#"{ $.code = "400" || $.code = "401" }"#, #"{"code":401}"#, true, "set of exact strings"),
    ]

    @Test("4.10 rule 1: string/wildcard literal vs JSON number compares the number's JSON text", arguments: rule1)
    func rule1StringAgainstNumber(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: 4.10 rule 2 — numeric literal against a JSON string: the literal as written

    static let rule2: [DecisionCase] = [
        D("{ $.recipientAccountId = 123456789012 }", #"{"recipientAccountId":"123456789012"}"#, true, "spec example"),
        D("{ $.recipientAccountId = 123456789012 }", #"{"recipientAccountId":"123456789013"}"#, false),
        D("{ $.v = 1.0 }", #"{"v":"1"}"#, false, "not numeric"),
        D("{ $.v = 1.0 }", #"{"v":"1.0"}"#, true),
        D("{ $.v = +1000 }", #"{"v":"1000"}"#, false, "sign is part of the spelling"),
        D("{ $.v = +1000 }", #"{"v":"+1000"}"#, true),
        D("{ $.v = 10e3 }", #"{"v":"10000"}"#, false),
        D("{ $.v = 10e3 }", #"{"v":"10e3"}"#, true),
        D("{ $.v = 1 || $.v = 2 }", #"{"v":"2"}"#, true),
        D("{ $.v != 123456789012 }", #"{"v":"123456789012"}"#, false),
        // The same literal against a number stays numeric (4.5).
        D("{ $.v = 10e3 }", #"{"v":10000}"#, true),
    ]

    @Test("4.10 rule 2: number literal vs JSON string compares the literal as written", arguments: rule2)
    func rule2NumberAgainstString(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: 4.10 rule 3 — `= *` and `!=` against booleans and null

    static let rule3: [DecisionCase] = [
        D("{ $.readOnly = * }", #"{"readOnly":true}"#, false),
        D("{ $.readOnly = * }", #"{"readOnly":false}"#, false),
        D("{ $.requestParameters = * }", #"{"requestParameters":null}"#, false),
        D(#"{ $.readOnly != "x" }"#, #"{"readOnly":true}"#, false),
        D("{ $.readOnly != true }", #"{"readOnly":false}"#, false),
        D("{ $.readOnly != 1 }", #"{"readOnly":false}"#, false),
        D("{ $.requestParameters != x }", #"{"requestParameters":null}"#, false),
        D("{ $.requestParameters != * }", #"{"requestParameters":null}"#, false),
        // Section 1 rule 3: objects and arrays never match either operator.
        D("{ $.requestParameters != x }", #"{"requestParameters":{"bucketName":"b"}}"#, false),
        D("{ $.resources != x }", #"{"resources":[{"ARN":"a"}]}"#, false),
        D("{ $.resources = * }", #"{"resources":[{"ARN":"a"}]}"#, false),
    ]

    @Test("4.10 rule 3: `= *` and `!=` never match booleans, null, objects or arrays", arguments: rule3)
    func rule3BooleansAndNull(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: 4.10 rule 4 — relational operators against strings

    static let rule4: [DecisionCase] = [
        D("{ $.v > 1 }", #"{"v":"5"}"#, false),
        D("{ $.v < 10 }", #"{"v":"5"}"#, false),
        D("{ $.v >= 5 }", #"{"v":"5"}"#, false),
        D("{ $.v <= 5 }", #"{"v":"5"}"#, false),
        D("{ $.v > 0 }", #"{"v":"abc"}"#, false),
        D("{ $.v < 0 }", #"{"v":""}"#, false),
        D("{ $.eventVersion >= 1.08 }", #"{"eventVersion":"1.08"}"#, false, "CloudTrail eventVersion is a string"),
        D("{ $.v > 1 }", #"{"v":5}"#, true, "control: the same test on a number"),
    ]

    @Test("4.10 rule 4: relational operators against strings are false", arguments: rule4)
    func rule4RelationalAgainstStrings(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: 4.10 rule 5 — wildcard selectors are existential; NOT EXISTS means zero candidates

    static let rule5: [DecisionCase] = [
        D("{ $.arrayKey[*] = x }", #"{"arrayKey":["y","x"]}"#, true, "any element"),
        D("{ $.arrayKey[*] = x }", #"{"arrayKey":["y","z"]}"#, false),
        D("{ $.arrayKey[*] != x }", #"{"arrayKey":["x","y"]}"#, true, "!= is existential too"),
        D("{ $.arrayKey[*] != x }", #"{"arrayKey":["x"]}"#, false),
        D("{ $.arrayKey[*] != x }", #"{"arrayKey":["x","x"]}"#, false),
        D("{ $.arrayKey[*] != x }", #"{"arrayKey":[]}"#, false, "zero candidates"),
        D("{ $.arrayKey[*] != x }", #"{"arrayKey":[{"a":1},null,true,["y"]]}"#, false, "no comparable candidate"),
        D("{ $.arrayKey[*] != x }", #"{"arrayKey":[null,"y"]}"#, true, "one comparable candidate differs"),
        D("{ $.arrayKey[*] NOT EXISTS }", #"{"arrayKey":[]}"#, true, "zero candidates"),
        D("{ $.arrayKey[*] NOT EXISTS }", #"{"other":1}"#, true, "zero candidates (absent array)"),
        D("{ $.arrayKey[*] NOT EXISTS }", #"{"arrayKey":"not an array"}"#, true, "zero candidates ([*] on a string)"),
        D("{ $.arrayKey[*] NOT EXISTS }", #"{"arrayKey":[null]}"#, false, "one candidate (null)"),
        D("{ $.arrayKey[*] NOT EXISTS }", #"{"arrayKey":["x","y"]}"#, false),
        D("{ $.requestParameters.* NOT EXISTS }", #"{"requestParameters":{}}"#, true, "zero members"),
        D("{ $.requestParameters.* NOT EXISTS }", #"{"requestParameters":null}"#, true),
        D("{ $.requestParameters.* NOT EXISTS }", #"{"requestParameters":{"a":null}}"#, false),
        D("{ $.* = %111% }", #"{"a":"x","b":"0111"}"#, true, "spec example shape: one top-level field matches"),
        D("{ $.* = x }", #"{"a":"y","b":"x"}"#, true),
        D("{ $.* != x }", #"{"a":"x","b":"y"}"#, true),
        D("{ $.* != x }", #"{"a":"x","b":{"c":"y"}}"#, false),
        D(
            #"{ $.resources[*].type = "AWS::S3::Object" }"#,
            #"{"resources":[{"type":"AWS::S3::Bucket"},{"type":"AWS::S3::Object"}]}"#, true),
        D("{ $.arrayKey[*] IS NULL }", #"{"arrayKey":[1,null]}"#, true),
        D("{ $.arrayKey[*] IS TRUE }", #"{"arrayKey":[false,true]}"#, true),
        D("{ $.arrayKey[*] > 10 }", #"{"arrayKey":[1,20]}"#, true),
        D("{ $.arrayKey[*] < 0 }", #"{"arrayKey":[1,20]}"#, false),
        D("{ $.arrayKey[*] = x || $.arrayKey[*] = y }", #"{"arrayKey":["z","y"]}"#, true, "set of values, existential"),
        D("{ $.arrayKey[*] = x || $.arrayKey[*] = y }", #"{"arrayKey":["z"]}"#, false),
    ]

    @Test("4.10 rule 5: wildcard selectors are existential; NOT EXISTS means zero candidates", arguments: rule5)
    func rule5Wildcards(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: 4.10 rule 6 — a middle `*` is literal

    static let rule6: [DecisionCase] = [
        D("{ $.v = Ev*ent }", #"{"v":"Ev*ent"}"#, true),
        D("{ $.v = Ev*ent }", #"{"v":"EvXent"}"#, false),
        D("{ $.v = Ev*ent }", #"{"v":"Event"}"#, false),
        D(#"{ $.v = "*a*b*" }"#, #"{"v":"xa*by"}"#, true, "ends are wildcards, middle is literal"),
        D(#"{ $.v = "*a*b*" }"#, #"{"v":"xaXby"}"#, false),
        D(#"{ $.v = "a*b*" }"#, #"{"v":"a*bcd"}"#, true),
        D(#"{ $.v = "a*b*" }"#, #"{"v":"aXbcd"}"#, false),
    ]

    @Test("4.10 rule 6: a `*` in the middle of a value is a literal character", arguments: rule6)
    func rule6MiddleStar(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    @Test("4.10 rule 6: a middle `*` is flagged with a warning, ends are not")
    func rule6Warning() throws {
        #expect(try FilterPattern.parse("{ $.v = Ev*ent }").warnings.map(\.kind) == [.middleWildcard])
        #expect(try FilterPattern.parse("{ $.v = *Event* }").warnings.isEmpty)
        #expect(try FilterPattern.parse("{ $.v = * }").warnings.isEmpty)
    }

    // MARK: 4.10 rule 7 — `\"` and `\\` are the only escapes inside double quotes

    static let rule7: [DecisionCase] = [
        D(#"{ $.v = "a\"b" }"#, #"{"v":"a\"b"}"#, true, "\\\" is a quote"),
        D(#"{ $.v = "a\\b" }"#, #"{"v":"a\\b"}"#, true, "\\\\ is a backslash"),
        D(#"{ $.v = "a\\b" }"#, #"{"v":"a\\\\b"}"#, false, "one backslash, not two"),
        D(#"{ $.v = "a\nb" }"#, #"{"v":"a\\nb"}"#, true, "\\n is a backslash and an n"),
        D(#"{ $.v = "a\nb" }"#, #"{"v":"a\nb"}"#, false, "\\n is not a newline"),
        D(#"{ $.v = "\u0041" }"#, #"{"v":"\\u0041"}"#, true, "\\u is not an escape in patterns"),
        D(#"{ $.v = "\u0041" }"#, #"{"v":"A"}"#, false),
        D(#"{ $.v = "C:\temp" }"#, #"{"v":"C:\\temp"}"#, true),
    ]

    @Test("4.10 rule 7: only \\\" and \\\\ are escapes in quoted values", arguments: rule7)
    func rule7Escapes(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: 4.10 rule 8 — keywords are upper case only

    static let rule8: [(pattern: String, hint: String)] = [
        ("{ $.a is null }", "write `IS`"),
        ("{ $.a IS null }", "write `NULL`"),
        ("{ $.a IS true }", "write `TRUE`"),
        ("{ $.a IS False }", "write `FALSE`"),
        ("{ $.a not exists }", "write `NOT`"),
        ("{ $.a NOT exists }", "write `EXISTS`"),
        ("{ $.a Not Exists }", "write `NOT`"),
    ]

    @Test("4.10 rule 8: a lower-case keyword is a parse error suggesting the upper-case spelling", arguments: rule8)
    func rule8Keywords(_ pattern: String, _ hint: String) {
        let error = #expect(throws: PatternError.self) { try FilterPattern.parse(pattern) }
        #expect(error?.diagnostic.kind == .lowercaseKeyword)
        #expect(error?.diagnostic.severity == .error)
        #expect(error?.diagnostic.hint == hint)
    }

    // MARK: 4.10 rule 9 — regex `.` does not match a newline; `$` only at the very end

    static let rule9: [DecisionCase] = [
        D("{ $.v = %a.b% }", #"{"v":"aXb"}"#, true, "control"),
        D("{ $.v = %a.b% }", #"{"v":"a\nb"}"#, false, ". excludes newline"),
        D("{ $.v = %a.b% }", #"{"v":"a\tb"}"#, true, ". includes tab"),
        D("{ $.v = %ab$% }", #"{"v":"xab"}"#, true, "control"),
        D("{ $.v = %ab$% }", #"{"v":"ab\n"}"#, false, "$ is not before a final newline"),
        D("{ $.v = %ab$% }", #"{"v":"ab\ncd"}"#, false, "$ is not at a line end"),
        D("{ $.v = %^cd% }", #"{"v":"ab\ncd"}"#, false, "^ is only at the very start"),
    ]

    @Test("4.10 rule 9: regex `.` excludes newline, `$` is the very end", arguments: rule9)
    func rule9Regex(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // 4.10 rule 10 (thresholds and windows on eventTime) is about alarms, not patterns: out of scope here.

    // MARK: 4.2 selector resolution

    static let selectors: [DecisionCase] = [
        D("{ $.a.b = x }", #"{"a":{"b":"x"}}"#, true),
        D("{ $.a.b = x }", #"{"a":{"c":"x"}}"#, false, "missing member"),
        D("{ $.a[1] = x }", #"{"a":["w","x"]}"#, true, "0-based index"),
        D("{ $.a[0] = x }", #"{"a":["w","x"]}"#, false),
        D("{ $.a[2] = x }", #"{"a":["w","x"]}"#, false, "index out of range"),
        D("{ $.a[2] NOT EXISTS }", #"{"a":["w","x"]}"#, true, "index out of range lands nowhere"),
        D("{ $.a[0] = x }", #"{"a":{"0":"x"}}"#, false, "index on an object"),
        D("{ $.a[0] = x }", #"{"a":"x"}"#, false, "index on a string"),
        D("{ $.a[0] NOT EXISTS }", #"{"a":"x"}"#, true, "index on a scalar lands nowhere"),
        D("{ $.a.b = x }", #"{"a":[{"b":"x"}]}"#, false, "property on an array"),
        D("{ $.a.b NOT EXISTS }", #"{"a":[{"b":"x"}]}"#, true, "property on an array lands nowhere"),
        D("{ $.a.b = x }", #"{"a":"x"}"#, false, "property on a string"),
        D("{ $.a[0][1] = x }", #"{"a":[["w","x"]]}"#, true, "nested index"),
        D("{ $.a[0][1] = x }", #"{"a":[["x"],["w","x"]]}"#, false),
        D("{ $.a[0].b = x }", #"{"a":[{"b":"x"}]}"#, true),
        D("{ $.a.* = x }", #"{"a":{"k":"x"}}"#, true, ".* one level"),
        D("{ $.a.* = x }", #"{"a":{"k":{"j":"x"}}}"#, false, ".* is not recursive"),
        D("{ $.a.* = x }", #"{"a":["x"]}"#, false, ".* on an array: none"),
        D("{ $.* = x }", #"{"a":{"b":"x"}}"#, false, "$.* one level"),
        D("{ $.a[*] = x }", #"{"a":{"k":"x"}}"#, false, "[*] on an object: none"),
        D("{ $.a[*] = x }", #"{"a":[["x"]]}"#, false, "[*] is one level"),
        D("{ $.a[*].b = x }", #"{"a":[{"b":"y"},{"b":"x"}]}"#, true),
        D("{ $.a.*.c = x }", #"{"a":{"k":{"c":"x"},"j":{"c":"y"}}}"#, true),
        D("{ $.['key.with.dots'] = x }", #"{"key.with.dots":"x"}"#, true),
        D("{ $.['key.with.dots'] = x }", #"{"key":{"with":{"dots":"x"}}}"#, false),
        D("{ $.key.with.dots = x }", #"{"key.with.dots":"x"}"#, false),
        D(
            "{ $.tags.['aws:cloudformation:stack-name'] = prod }",
            #"{"tags":{"aws:cloudformation:stack-name":"prod"}}"#, true),
        D("{ $.['a.b'] = x }", #"{"a\u002eb":"x"}"#, true, "bracket key against an escaped record key"),
        D("{ $.a[10] = x }", #"{"a":[0,1,2,3,4,5,6,7,8,9,"x"]}"#, true, "two-digit index"),
        // Several selectors over the same members (one shared walk of the record).
        D("{ $.*.b = x && $.a.b = y }", #"{"a":{"b":"y"},"c":{"b":"x"}}"#, true),
        D("{ $.*.b = x && $.a.b = y }", #"{"a":{"b":"x"},"c":{"b":"y"}}"#, false),
        D("{ $.*.b = x && $.a.b = x }", #"{"a":{"b":"x"}}"#, true),
        D("{ $.a[0] = x && $.a[*] = y }", #"{"a":["x","y"]}"#, true),
        D("{ $.a[0] = y || $.a[1] = x }", #"{"a":["x","y"]}"#, false),
        D("{ $.a.* = x && $.a.b NOT EXISTS }", #"{"a":{"c":"x"}}"#, true),
        D("{ $.a.* = x && $.a.b NOT EXISTS }", #"{"a":{"b":"x"}}"#, false),
        D("{ $.a[*].b = x && $.a[1].b = y }", #"{"a":[{"b":"x"},{"b":"y"}]}"#, true),
        D("{ $.a.b = x || $.a = y }", #"{"a":"y"}"#, true, "a path and its prefix"),
        D("{ $.a.b = x || $.a = y }", #"{"a":{"b":"x"}}"#, true, "a path and its prefix"),
    ]

    @Test("4.2 selector resolution", arguments: selectors)
    func selectorResolution(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: 4.4 / 4.9 case sensitivity and decoding

    static let strings: [DecisionCase] = [
        D("{ $.eventName = consolelogin }", #"{"eventName":"ConsoleLogin"}"#, false, "values are case-sensitive"),
        D("{ $.eventName = CONSOLELOGIN }", #"{"eventName":"ConsoleLogin"}"#, false, "values are case-sensitive"),
        D("{ $.eventname = ConsoleLogin }", #"{"eventName":"ConsoleLogin"}"#, false, "keys are case-sensitive"),
        D("{ $.eventname NOT EXISTS }", #"{"eventName":"ConsoleLogin"}"#, true, "keys are case-sensitive"),
        D("{ $.v = A }", #"{"v":"\u0041"}"#, true, "\\u escape decoded before comparing"),
        D("{ $.v = AB* }", #"{"v":"\u0041\u0042C"}"#, true, "decoded before wildcard matching"),
        D(#"{ $.v = "é" }"#, #"{"v":"\u00e9"}"#, true, "non-ASCII escape"),
        D(#"{ $.v = "😀" }"#, #"{"v":"\ud83d\ude00"}"#, true, "surrogate pair"),
        D(#"{ $.v = "arn:aws:iam::1:user/x" }"#, #"{"v":"arn:aws:iam::1:user\/x"}"#, true, "\\/ decoded"),
        D(#"{ $.v = "say \"hi\"" }"#, #"{"v":"say \"hi\""}"#, true, "escaped quotes on both sides"),
        D(
            #"{ $.v = "\\u0041" }"#, #"{"v":"\\u0041"}"#, true,
            "an escaped backslash in the record decodes to one backslash"),
        D("{ $.eventName = X }", #"{"event\u004eame":"X"}"#, true, "keys are decoded too"),
        D("{ $.v = A || $.v = B }", #"{"v":"\u0042"}"#, true, "decoded before a set of exact values"),
        D("{ $.v = %^A$% }", #"{"v":"\u0041"}"#, true, "decoded before a regex"),
        D("{ $.v != A }", #"{"v":"\u0041"}"#, false, "decoded before !="),
    ]

    @Test("4.4 strings are decoded and compared exactly and case-sensitively", arguments: strings)
    func stringComparison(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: 4.5 numbers compared as doubles

    static let numbers: [DecisionCase] = [
        D("{ $.v = 1e-3 }", #"{"v":0.001}"#, true, "spec example"),
        D("{ $.v = 0.001 }", #"{"v":1E-3}"#, true),
        D("{ $.v = 100 }", #"{"v":1e2}"#, true),
        D("{ $.v = 100 }", #"{"v":100.000}"#, true),
        D("{ $.v = -0 }", #"{"v":0}"#, true),
        D("{ $.v = .5 }", #"{"v":0.5}"#, true),
        D("{ $.v = +1000 }", #"{"v":1000}"#, true),
        D("{ $.v = 10e-3 }", #"{"v":0.01}"#, true),
        D("{ $.v = 1e+3 }", #"{"v":1000}"#, true),
        D("{ $.v = 55.5 }", #"{"v":55.50}"#, true),
        D("{ $.v > 0.0001 }", #"{"v":1e-3}"#, true),
        D("{ $.v < 1e-4 }", #"{"v":1e-3}"#, false),
        D("{ $.v != 1e3 }", #"{"v":1000}"#, false),
    ]

    @Test("4.5 numbers are compared as doubles", arguments: numbers)
    func numberComparison(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: 3.4 a quoted number is a string

    @Test("3.4 `\"400\"` quoted is a string literal, not a number")
    func quotedNumberIsString() throws {
        let quoted = try FilterPattern.parse(#"{ $.errorCode = "400" }"#)
        guard case .json(.predicate(let predicate)) = quoted.body else {
            Issue.record("unexpected AST \(quoted.body)")
            return
        }
        #expect(predicate.test == .compare(.equal, .string(StringLiteral("400"))))
        // As a string it compares by text (4.10 rule 1): 400 matches, 400.0 and 4e2 do not…
        #expect(try decisionMatch(#"{ $.errorCode = "400" }"#, #"{"errorCode":"400"}"#))
        #expect(try decisionMatch(#"{ $.errorCode = "400" }"#, #"{"errorCode":400}"#))
        #expect(try !decisionMatch(#"{ $.errorCode = "400" }"#, #"{"errorCode":400.0}"#))
        #expect(try !decisionMatch(#"{ $.errorCode = "400" }"#, #"{"errorCode":4e2}"#))
        // …while the bare number compares numerically.
        #expect(try decisionMatch("{ $.errorCode = 400 }", #"{"errorCode":400.0}"#))
        #expect(try decisionMatch("{ $.errorCode = 400 }", #"{"errorCode":4e2}"#))
        // And a quoted number cannot follow a relational operator (3.3).
        #expect(throws: PatternError.self) { try FilterPattern.parse(#"{ $.errorCode > "400" }"#) }
    }

    // MARK: 4.1 non-object records

    static let nonObjects: [String] = [#"["x"]"#, #"[{"a":"x"}]"#, #""x""#, "1", "null", "true", "false", "[]"]

    @Test("4.1 a top-level value that is not an object never matches a JSON pattern", arguments: nonObjects)
    func nonObjectRecords(_ record: String) throws {
        // NOT EXISTS would be true for any object lacking `a`: here it must still be false.
        #expect(try !decisionMatch("{ $.a NOT EXISTS }", record))
        #expect(try !decisionMatch("{ $.a = x }", record))
        #expect(try !decisionMatch("{ $.* = x }", record))
        #expect(try !decisionMatch("{ $.a = x || $.b NOT EXISTS }", record))
        // The empty pattern still matches every event (2).
        #expect(try decisionMatch("", record))
    }

    @Test("4.1 control: an empty object does satisfy NOT EXISTS")
    func emptyObjectRecord() throws {
        #expect(try decisionMatch("{ $.a NOT EXISTS }", "{}"))
        #expect(try decisionMatch("{ $.a NOT EXISTS }", " \n{ }\n "))
    }

    /// 4.1: a message that is not valid JSON never matches a JSON pattern. The matcher reports it
    /// as a `JSONError` (instead of silently answering false) so the caller can count it as a
    /// non-match or as bad input.
    @Test(
        "4.1 invalid JSON is reported, never matched",
        arguments: [#"{"a":"x""#, #"{"a":x}"#, "not json", #"{"a":"x"} trailing"#])
    func invalidJSON(_ record: String) {
        #expect(throws: JSONError.self) { try decisionMatch("{ $.a = x }", record) }
        #expect(throws: JSONError.self) { try decisionMatch("{ $.b NOT EXISTS }", record) }
    }

    // MARK: duplicate keys: every occurrence is a candidate

    static let duplicates: [DecisionCase] = [
        D("{ $.eventName = A }", #"{"eventName":"A","eventName":"B"}"#, true, "first occurrence"),
        D("{ $.eventName = B }", #"{"eventName":"A","eventName":"B"}"#, true, "second occurrence"),
        D("{ $.eventName = C }", #"{"eventName":"A","eventName":"B"}"#, false),
        D("{ $.eventName != A }", #"{"eventName":"A","eventName":"B"}"#, true, "B differs from A"),
        D("{ $.eventName != A }", #"{"eventName":"A","eventName":"A"}"#, false),
        D("{ $.eventName NOT EXISTS }", #"{"eventName":"A","eventName":"B"}"#, false),
        D("{ $.eventName = A && $.eventName = B }", #"{"eventName":"A","eventName":"B"}"#, true),
        D("{ $.a.b = x }", #"{"a":{"b":"y"},"a":{"b":"x"}}"#, true, "duplicate parent objects"),
        D("{ $.a IS NULL }", #"{"a":1,"a":null}"#, true),
        D("{ $.a > 5 }", #"{"a":1,"a":10}"#, true),
    ]

    @Test("duplicate keys: every occurrence is a candidate", arguments: duplicates)
    func duplicateKeys(_ row: DecisionCase) throws {
        #expect(try decisionMatch(row.pattern, row.record) == row.expected)
    }

    // MARK: several patterns at once

    @Test("PatternMatcher over several patterns reports each pattern's result")
    func severalPatterns() throws {
        let texts = [
            "{ $.eventName = StopLogging }",
            "{ $.eventName = StopLogging || $.eventName = DeleteTrail }",
            "{ $.eventSource = cloudtrail.amazonaws.com && $.readOnly IS FALSE }",
            "{ $.errorCode = * }",
            "StopLogging",
            "",
        ]
        let matcher = PatternMatcher(try texts.map { try FilterPattern.parse($0) })
        var context = matcher.makeContext()
        let record = #"{"eventSource":"cloudtrail.amazonaws.com","eventName":"DeleteTrail","readOnly":false}"#
        let count = try Array(record.utf8).withUnsafeBytes { try matcher.evaluate($0, in: &context) }
        #expect(context.results == [false, true, true, false, false, true])
        #expect(count == 3)
        // The context is reusable: the next record overwrites every result.
        let next =
            #"{"eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","readOnly":true,"errorCode":"AccessDenied"}"#
        let nextCount = try Array(next.utf8).withUnsafeBytes { try matcher.evaluate($0, in: &context) }
        #expect(context.results == [true, true, false, true, true, true])
        #expect(nextCount == 5)
    }
}
