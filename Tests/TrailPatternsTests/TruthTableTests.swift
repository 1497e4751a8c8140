import Testing
import TrailPatterns

// Every cell of the predicate truth table of shared/docs/filter-patterns.md section 4.3, with the
// decisions of 4.10 applied to the cells the sources leave open (marked `??` in the spec).
//
// Rows are the predicate forms; columns the kind of the node the selector lands on. Each row of
// this file is one (pattern, record, expected) triple; most cells have a positive and a negative
// witness so that a cell cannot pass by accident.

private func truthMatch(_ pattern: String, _ record: String) throws -> Bool {
    let matcher = PatternMatcher(try FilterPattern.parse(pattern))
    var context = matcher.makeContext()
    return try Array(record.utf8).withUnsafeBytes { try matcher.matches($0, in: &context) }
}

struct TruthCell: Sendable, CustomTestStringConvertible {
    enum Column: String, Sendable {
        case string, number, boolean = "true/false", null, object, array, absent
    }

    var row: String
    var column: Column
    var pattern: String
    var record: String
    var expected: Bool
    var basis: String

    init(_ row: String, _ column: Column, _ pattern: String, _ record: String, _ expected: Bool, _ basis: String) {
        self.row = row
        self.column = column
        self.pattern = pattern
        self.record = record
        self.expected = expected
        self.basis = basis
    }

    var testDescription: String { "[\(row) × \(column.rawValue)] \(pattern) on \(record) → \(expected) (\(basis))" }
}

@Suite("Truth table (spec 4.3)")
struct TruthTableTests {
    typealias C = TruthCell

    static let cells: [TruthCell] = [
        // MARK: `= "str"` / `= str` (no `*`)
        C("= \"str\"", .string, #"{ $.v = "Success" }"#, #"{"v":"Success"}"#, true, "4.3 exact"),
        C("= \"str\"", .string, "{ $.v = Success }", #"{"v":"Success"}"#, true, "3.4 bare ≡ quoted"),
        C("= \"str\"", .string, #"{ $.v = "Success" }"#, #"{"v":"success"}"#, false, "4.4 case-sensitive"),
        C("= \"str\"", .string, #"{ $.v = "Success" }"#, #"{"v":"Success "}"#, false, "4.4 exact, no trimming"),
        C(
            "= \"str\"", .string, #"{ $.v = "Succ" }"#, #"{"v":"Success"}"#, false,
            "1.4 no implicit substring in JSON mode"),
        C("= \"str\"", .string, #"{ $.v = "" }"#, #"{"v":""}"#, true, "4.3 exact (empty)"),
        C("= \"str\"", .number, #"{ $.v = "400" }"#, #"{"v":400}"#, true, "4.10 rule 1: number's JSON text"),
        C("= \"str\"", .number, #"{ $.v = "4e2" }"#, #"{"v":4e2}"#, true, "4.10 rule 1: JSON text as written"),
        C("= \"str\"", .number, #"{ $.v = "400" }"#, #"{"v":400.0}"#, false, "4.10 rule 1: text 400.0 ≠ 400"),
        C("= \"str\"", .number, #"{ $.v = "400" }"#, #"{"v":401}"#, false, "4.10 rule 1"),
        C("= \"str\"", .boolean, #"{ $.v = "true" }"#, #"{"v":true}"#, false, "4.3 / 4.10 rule 3"),
        C("= \"str\"", .boolean, "{ $.v = false }", #"{"v":false}"#, false, "4.3 / 4.10 rule 3 (bare)"),
        C("= \"str\"", .null, #"{ $.v = "null" }"#, #"{"v":null}"#, false, "4.3 / 4.10 rule 3"),
        C("= \"str\"", .null, "{ $.v = null }", #"{"v":null}"#, false, "4.3 / 4.10 rule 3 (bare)"),
        C("= \"str\"", .object, #"{ $.v = "x" }"#, #"{"v":{"x":"x"}}"#, false, "4.3 DOC"),
        C("= \"str\"", .object, #"{ $.v = "{}" }"#, #"{"v":{}}"#, false, "4.3 DOC: not its JSON text"),
        C("= \"str\"", .array, #"{ $.v = "x" }"#, #"{"v":["x"]}"#, false, "4.3 DOC / 1.6"),
        C("= \"str\"", .absent, #"{ $.v = "x" }"#, #"{"w":"x"}"#, false, "4.3"),

        // MARK: `= "*x"`, `"x*"`, `"*x*"`
        C(
            "= wildcard", .string, #"{ $.v = "*Operation" }"#, #"{"v":"Client.UnauthorizedOperation"}"#, true,
            "3.4 suffix"),
        C("= wildcard", .string, #"{ $.v = "*Operation" }"#, #"{"v":"OperationX"}"#, false, "3.4 suffix"),
        C("= wildcard", .string, "{ $.v = Access* }", #"{"v":"AccessDeniedException"}"#, true, "3.4 prefix"),
        C("= wildcard", .string, "{ $.v = Access* }", #"{"v":"accessDenied"}"#, false, "3.4 prefix, case-sensitive"),
        C(
            "= wildcard", .string, "{ $.v = AccessDenied* }", #"{"v":"AccessDenied"}"#, true,
            "3.4 * matches zero characters"),
        C("= wildcard", .string, "{ $.v = *Denied* }", #"{"v":"S3AccessDeniedError"}"#, true, "3.4 contains"),
        C(
            "= wildcard", .string, "{ $.v = *Denied* }", #"{"v":"Denied"}"#, true,
            "3.4 contains, zero-length both sides"),
        C("= wildcard", .string, "{ $.v = *Denied* }", #"{"v":"denied"}"#, false, "3.4 contains, case-sensitive"),
        C("= wildcard", .number, "{ $.v = 4* }", #"{"v":404}"#, true, "4.10 rule 1: prefix on JSON text"),
        C("= wildcard", .number, "{ $.v = 5* }", #"{"v":404}"#, false, "4.10 rule 1"),
        C("= wildcard", .number, "{ $.v = *04 }", #"{"v":404}"#, true, "4.10 rule 1: suffix on JSON text"),
        C("= wildcard", .number, #"{ $.v = "*0*" }"#, #"{"v":404}"#, true, "4.10 rule 1: contains on JSON text"),
        C("= wildcard", .number, "{ $.v = *.5 }", #"{"v":1.5}"#, true, "4.10 rule 1: JSON text keeps the decimals"),
        C("= wildcard", .boolean, "{ $.v = tr* }", #"{"v":true}"#, false, "4.3"),
        C("= wildcard", .boolean, "{ $.v = *als* }", #"{"v":false}"#, false, "4.3"),
        C("= wildcard", .null, "{ $.v = nu* }", #"{"v":null}"#, false, "4.3"),
        C("= wildcard", .object, "{ $.v = *x* }", #"{"v":{"x":"x"}}"#, false, "4.3 DOC"),
        C("= wildcard", .array, "{ $.v = *x* }", #"{"v":["x"]}"#, false, "4.3 DOC"),
        C("= wildcard", .absent, "{ $.v = *x* }", #"{"w":"x"}"#, false, "4.3"),

        // MARK: `= *`
        C("= *", .string, "{ $.v = * }", #"{"v":"anything"}"#, true, "4.3"),
        C("= *", .string, "{ $.v = * }", #"{"v":""}"#, true, "4.3: the empty string is a string"),
        C("= *", .string, #"{ $.v = "*" }"#, #"{"v":"x"}"#, true, "3.4 quoted * is the wildcard too"),
        C("= *", .number, "{ $.latency = * }", #"{"latency":12.5}"#, true, "4.3 DOC"),
        C("= *", .number, "{ $.v = * }", #"{"v":0}"#, true, "4.3 DOC"),
        C("= *", .boolean, "{ $.v = * }", #"{"v":true}"#, false, "4.10 rule 3"),
        C("= *", .boolean, "{ $.v = * }", #"{"v":false}"#, false, "4.10 rule 3"),
        C("= *", .null, "{ $.v = * }", #"{"v":null}"#, false, "4.10 rule 3"),
        C("= *", .object, "{ $.v = * }", #"{"v":{"a":1}}"#, false, "4.3 DOC"),
        C("= *", .object, "{ $.v = * }", #"{"v":{}}"#, false, "4.3 DOC"),
        C("= *", .array, "{ $.v = * }", #"{"v":[1]}"#, false, "4.3 DOC"),
        C("= *", .array, "{ $.v = * }", #"{"v":[]}"#, false, "4.3 DOC"),
        C("= *", .absent, "{ $.v = * }", #"{"w":1}"#, false, "4.3"),

        // MARK: `= <number>`
        C(
            "= number", .string, "{ $.recipientAccountId = 123456789012 }", #"{"recipientAccountId":"123456789012"}"#,
            true,
            "4.10 rule 2: text as written"),
        C("= number", .string, "{ $.v = 1e3 }", #"{"v":"1000"}"#, false, "4.10 rule 2: not numeric"),
        C("= number", .string, "{ $.v = 1e3 }", #"{"v":"1e3"}"#, true, "4.10 rule 2: as written"),
        C("= number", .string, "{ $.v = 007 }", #"{"v":"7"}"#, false, "4.10 rule 2: as written"),
        C("= number", .string, "{ $.v = 200 }", #"{"v":"200 "}"#, false, "4.10 rule 2: exact"),
        C("= number", .number, "{ $.v = 200 }", #"{"v":200}"#, true, "4.5 numeric equality"),
        C("= number", .number, "{ $.v = 200 }", #"{"v":200.0}"#, true, "4.5 doubles"),
        C("= number", .number, "{ $.v = 200 }", #"{"v":2e2}"#, true, "4.5 doubles"),
        C("= number", .number, "{ $.v = 200 }", #"{"v":201}"#, false, "4.5"),
        C("= number", .number, "{ $.v = 1e-3 }", #"{"v":0.001}"#, true, "4.5 1e-3 = 0.001"),
        C("= number", .number, "{ $.v = -1 }", #"{"v":-1.0}"#, true, "4.5"),
        C("= number", .boolean, "{ $.v = 1 }", #"{"v":true}"#, false, "4.3"),
        C("= number", .boolean, "{ $.v = 0 }", #"{"v":false}"#, false, "4.3"),
        C("= number", .null, "{ $.v = 0 }", #"{"v":null}"#, false, "4.3"),
        C("= number", .object, "{ $.v = 1 }", #"{"v":{"a":1}}"#, false, "4.3 DOC"),
        C("= number", .array, "{ $.users = 1 }", #"{"users":[1]}"#, false, "4.3 DOC ({$.users = 1} on an array)"),
        C("= number", .absent, "{ $.v = 1 }", #"{"w":1}"#, false, "4.3"),

        // MARK: `= %re%`
        C(
            "= %re%", .string, "{ $.eventName = %Trail% }", #"{"eventName":"UpdateTrail"}"#, true,
            "4.8 unanchored search"),
        C("= %re%", .string, "{ $.eventName = %^Trail% }", #"{"eventName":"UpdateTrail"}"#, false, "4.8 anchored"),
        C("= %re%", .string, "{ $.eventName = %Trail% }", #"{"eventName":"updatetrail"}"#, false, "4.9 case-sensitive"),
        C("= %re%", .number, "{ $.v = %^40% }", #"{"v":404}"#, true, "4.3 proposal: regex on the JSON text"),
        C("= %re%", .number, "{ $.v = %^5% }", #"{"v":404}"#, false, "4.3 proposal: regex on the JSON text"),
        C("= %re%", .boolean, "{ $.v = %true% }", #"{"v":true}"#, false, "4.3"),
        C("= %re%", .null, "{ $.v = %null% }", #"{"v":null}"#, false, "4.3"),
        C("= %re%", .object, "{ $.v = %x% }", #"{"v":{"x":"x"}}"#, false, "4.3 DOC"),
        C("= %re%", .array, "{ $.arrayKey = %val% }", #"{"arrayKey":["value"]}"#, false, "4.3 DOC / 1.6"),
        C("= %re%", .absent, "{ $.v = %x% }", #"{"w":"x"}"#, false, "4.3"),

        // MARK: `!= v` (any v)
        C("!= v", .string, #"{ $.v != "Yes" }"#, #"{"v":"No"}"#, true, "4.3 ¬(= v)"),
        C("!= v", .string, #"{ $.v != "Yes" }"#, #"{"v":"Yes"}"#, false, "4.3 ¬(= v)"),
        C("!= v", .string, #"{ $.v != "Yes" }"#, #"{"v":"yes"}"#, true, "4.3 ¬(= v), case-sensitive"),
        C("!= v", .string, "{ $.v != Ye* }", #"{"v":"Yes"}"#, false, "4.3 ¬(= wildcard)"),
        C("!= v", .string, "{ $.v != Ye* }", #"{"v":"No"}"#, true, "4.3 ¬(= wildcard)"),
        C("!= v", .string, "{ $.v != * }", #"{"v":"x"}"#, false, "4.3 ¬(= *)"),
        C("!= v", .string, "{ $.v != 5 }", #"{"v":"5"}"#, false, "4.10 rule 2, negated"),
        C("!= v", .string, "{ $.v != 5 }", #"{"v":"6"}"#, true, "4.10 rule 2, negated"),
        C("!= v", .string, "{ $.v != %^Describe% }", #"{"v":"DescribeInstances"}"#, false, "4.3 ¬(= %re%)"),
        C("!= v", .string, "{ $.v != %^Describe% }", #"{"v":"RunInstances"}"#, true, "4.3 ¬(= %re%)"),
        C("!= v", .number, "{ $.v != 5 }", #"{"v":5}"#, false, "4.3 ¬(= v)"),
        C("!= v", .number, "{ $.v != 5 }", #"{"v":5.0}"#, false, "4.5 doubles"),
        C("!= v", .number, "{ $.v != 5 }", #"{"v":6}"#, true, "4.3 ¬(= v)"),
        C("!= v", .number, #"{ $.v != "5" }"#, #"{"v":5}"#, false, "4.10 rule 1, negated"),
        C("!= v", .number, #"{ $.v != "5" }"#, #"{"v":6}"#, true, "4.10 rule 1, negated"),
        C("!= v", .number, "{ $.v != 4* }", #"{"v":404}"#, false, "4.10 rule 1, negated"),
        C("!= v", .number, "{ $.v != * }", #"{"v":404}"#, false, "4.3 ¬(= *)"),
        C("!= v", .boolean, #"{ $.v != "Yes" }"#, #"{"v":true}"#, false, "4.10 rule 3 / 1.3"),
        C("!= v", .boolean, "{ $.v != true }", #"{"v":false}"#, false, "4.10 rule 3"),
        C("!= v", .boolean, "{ $.v != 1 }", #"{"v":true}"#, false, "4.10 rule 3"),
        C("!= v", .boolean, "{ $.v != * }", #"{"v":false}"#, false, "4.10 rule 3"),
        C("!= v", .null, #"{ $.v != "Yes" }"#, #"{"v":null}"#, false, "4.10 rule 3"),
        C("!= v", .null, "{ $.v != 0 }", #"{"v":null}"#, false, "4.10 rule 3"),
        C("!= v", .object, #"{ $.v != "Yes" }"#, #"{"v":{"a":"b"}}"#, false, "4.3 DOC"),
        C("!= v", .array, "{ $.users != 1 }", #"{"users":[2]}"#, false, "4.3 DOC ({$.users != 1} on an array)"),
        C(
            "!= v", .absent, #"{ $.additionalEventData.MFAUsed != "Yes" }"#, #"{"eventName":"ConsoleLogin"}"#, false,
            "4.3 EMP"),
        C(
            "!= v", .absent, #"{ $.additionalEventData.MFAUsed != "Yes" }"#, #"{"additionalEventData":{}}"#, false,
            "4.3 EMP"),

        // MARK: `< > <= >=` number
        C("relational", .string, "{ $.v > 5 }", #"{"v":"10"}"#, false, "4.10 rule 4: numeric string"),
        C("relational", .string, "{ $.v < 5 }", #"{"v":"abc"}"#, false, "4.10 rule 4"),
        C("relational", .string, "{ $.v <= 5 }", #"{"v":"5"}"#, false, "4.10 rule 4"),
        C("relational", .string, "{ $.v >= 5 }", #"{"v":"5"}"#, false, "4.10 rule 4"),
        C("relational", .number, "{ $.v > 5 }", #"{"v":10}"#, true, "4.5"),
        C("relational", .number, "{ $.v > 5 }", #"{"v":5}"#, false, "4.5"),
        C("relational", .number, "{ $.v < 5 }", #"{"v":4.99}"#, true, "4.5"),
        C("relational", .number, "{ $.v < 5 }", #"{"v":5}"#, false, "4.5"),
        C("relational", .number, "{ $.v <= 5 }", #"{"v":5}"#, true, "4.5"),
        C("relational", .number, "{ $.v <= 5 }", #"{"v":5.01}"#, false, "4.5"),
        C("relational", .number, "{ $.v >= 5 }", #"{"v":5.0}"#, true, "4.5"),
        C("relational", .number, "{ $.v >= 5 }", #"{"v":4}"#, false, "4.5"),
        C("relational", .number, "{ $.v < 0 }", #"{"v":-1}"#, true, "4.5 negative values"),
        C("relational", .number, "{ $.v > 1e3 }", #"{"v":1001}"#, true, "4.5 exponent literal"),
        C("relational", .number, "{ $.v >= 1e-3 }", #"{"v":0.001}"#, true, "4.5 doubles"),
        C("relational", .number, "{ $.v < +1000 }", #"{"v":9.99e2}"#, true, "4.5 doubles"),
        C("relational", .boolean, "{ $.v > 0 }", #"{"v":true}"#, false, "4.3"),
        C("relational", .boolean, "{ $.v < 1 }", #"{"v":false}"#, false, "4.3"),
        C("relational", .null, "{ $.v < 1 }", #"{"v":null}"#, false, "4.3"),
        C("relational", .object, "{ $.v > 0 }", #"{"v":{"a":1}}"#, false, "4.3"),
        C("relational", .array, "{ $.v > 0 }", #"{"v":[5]}"#, false, "4.3"),
        C("relational", .absent, "{ $.v > 0 }", #"{"w":5}"#, false, "4.3"),

        // MARK: `IS TRUE`
        C("IS TRUE", .string, "{ $.v IS TRUE }", #"{"v":"true"}"#, false, "4.3 INF / 4.6"),
        C("IS TRUE", .number, "{ $.v IS TRUE }", #"{"v":1}"#, false, "4.3"),
        C("IS TRUE", .boolean, "{ $.readOnly IS TRUE }", #"{"readOnly":true}"#, true, "4.3 DOC"),
        C("IS TRUE", .boolean, "{ $.readOnly IS TRUE }", #"{"readOnly":false}"#, false, "4.3 DOC"),
        C("IS TRUE", .null, "{ $.v IS TRUE }", #"{"v":null}"#, false, "4.3"),
        C("IS TRUE", .object, "{ $.v IS TRUE }", #"{"v":{"a":true}}"#, false, "4.3"),
        C("IS TRUE", .array, "{ $.v IS TRUE }", #"{"v":[true]}"#, false, "4.3"),
        C("IS TRUE", .absent, "{ $.v IS TRUE }", #"{"w":true}"#, false, "4.3"),

        // MARK: `IS FALSE`
        C("IS FALSE", .string, "{ $.v IS FALSE }", #"{"v":"false"}"#, false, "4.3 INF / 4.6"),
        C("IS FALSE", .number, "{ $.v IS FALSE }", #"{"v":0}"#, false, "4.3"),
        C("IS FALSE", .boolean, "{ $.managementEvent IS FALSE }", #"{"managementEvent":false}"#, true, "4.3 DOC"),
        C("IS FALSE", .boolean, "{ $.managementEvent IS FALSE }", #"{"managementEvent":true}"#, false, "4.3 DOC"),
        C("IS FALSE", .null, "{ $.v IS FALSE }", #"{"v":null}"#, false, "4.3"),
        C("IS FALSE", .object, "{ $.v IS FALSE }", #"{"v":{}}"#, false, "4.3"),
        C("IS FALSE", .array, "{ $.v IS FALSE }", #"{"v":[false]}"#, false, "4.3"),
        C("IS FALSE", .absent, "{ $.v IS FALSE }", #"{"w":false}"#, false, "4.3"),

        // MARK: `IS NULL`
        C("IS NULL", .string, "{ $.v IS NULL }", #"{"v":"null"}"#, false, "4.3"),
        C("IS NULL", .string, "{ $.v IS NULL }", #"{"v":""}"#, false, "4.3"),
        C("IS NULL", .number, "{ $.v IS NULL }", #"{"v":0}"#, false, "4.3"),
        C("IS NULL", .boolean, "{ $.v IS NULL }", #"{"v":false}"#, false, "4.3"),
        C("IS NULL", .null, "{ $.requestParameters IS NULL }", #"{"requestParameters":null}"#, true, "4.3 DOC / 4.6"),
        C("IS NULL", .object, "{ $.requestParameters IS NULL }", #"{"requestParameters":{}}"#, false, "4.3"),
        C("IS NULL", .array, "{ $.v IS NULL }", #"{"v":[null]}"#, false, "4.3"),
        C("IS NULL", .absent, "{ $.requestParameters IS NULL }", #"{"eventName":"X"}"#, false, "4.3 DOC"),

        // MARK: `NOT EXISTS`
        C("NOT EXISTS", .string, "{ $.v NOT EXISTS }", #"{"v":""}"#, false, "4.3"),
        C("NOT EXISTS", .number, "{ $.v NOT EXISTS }", #"{"v":0}"#, false, "4.3"),
        C("NOT EXISTS", .boolean, "{ $.v NOT EXISTS }", #"{"v":false}"#, false, "4.3"),
        C("NOT EXISTS", .null, "{ $.v NOT EXISTS }", #"{"v":null}"#, false, "4.3 INF: a null member exists"),
        C("NOT EXISTS", .object, "{ $.v NOT EXISTS }", #"{"v":{}}"#, false, "4.3"),
        C("NOT EXISTS", .array, "{ $.v NOT EXISTS }", #"{"v":[]}"#, false, "4.3"),
        C(
            "NOT EXISTS", .absent, "{ $.userIdentity.invokedBy NOT EXISTS }", #"{"userIdentity":{"type":"Root"}}"#,
            true, "4.3 DOC"),
        C(
            "NOT EXISTS", .absent, "{ $.userIdentity.invokedBy NOT EXISTS }", #"{"eventName":"X"}"#, true,
            "4.3: whole path missing (INF)"),
        C(
            "NOT EXISTS", .absent, "{ $.userIdentity.invokedBy NOT EXISTS }", #"{"userIdentity":null}"#, true,
            "4.2: a property step on null lands nowhere"),
    ]

    @Test("truth-table cell", arguments: cells)
    func cell(_ cell: TruthCell) throws {
        #expect(try truthMatch(cell.pattern, cell.record) == cell.expected)
    }

    /// Guards the table itself: every row × column of 4.3 has at least one witness.
    @Test("every row × column of 4.3 has a cell")
    func tableIsComplete() {
        let rows = [
            "= \"str\"", "= wildcard", "= *", "= number", "= %re%", "!= v", "relational", "IS TRUE", "IS FALSE",
            "IS NULL", "NOT EXISTS",
        ]
        let columns: [TruthCell.Column] = [.string, .number, .boolean, .null, .object, .array, .absent]
        for row in rows {
            for column in columns {
                #expect(
                    Self.cells.contains { $0.row == row && $0.column == column },
                    "missing cell \(row) × \(column.rawValue)")
            }
        }
    }

    /// Cells are per candidate: with no candidate at all, only NOT EXISTS holds (4.3 heading).
    @Test("with no candidates every predicate except NOT EXISTS is false")
    func noCandidates() throws {
        let record = #"{"eventName":"X"}"#
        for predicate in [
            "= \"x\"", "= *", "= x*", "= 1", "!= \"x\"", "!= 1", "!= *", "< 1", "> 1", "<= 1", ">= 1", "IS TRUE",
            "IS FALSE", "IS NULL",
        ] {
            #expect(try !truthMatch("{ $.missing \(predicate) }", record), "$.missing \(predicate)")
            #expect(try !truthMatch("{ $.list[*] \(predicate) }", #"{"list":[]}"#), "$.list[*] \(predicate)")
        }
        #expect(try truthMatch("{ $.missing NOT EXISTS }", record))
    }
}
