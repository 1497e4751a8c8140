import Testing

@testable import TrailJSON

/// RFC 8259 validation by the scanner: what is accepted, and what is rejected with which kind at
/// which byte offset.
struct JSONValidationTests {
    struct Invalid: CustomTestStringConvertible, Sendable {
        var text: String
        var kind: JSONError.Kind
        var offset: Int
        var testDescription: String { "\(kind) at \(offset): \(text)" }
    }

    static let valid: [String] = [
        "{}", "[]", "0", "-0", "1.5e10", "-1.25E-3", "1E+2", "\"\"", "true", "false", "null",
        " { \"a\" : [ 1 , 2 , { } ] } ", "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"}",
        "\"héllo 😀\"", "[[[[[]]]]]", "{\"a\":{\"b\":{\"c\":null}}}", "\"\u{7F}\"",
    ]

    @Test("accepts valid JSON", arguments: valid)
    func acceptsValid(_ text: String) throws {
        _ = try JSONValue(parsing: text)
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { buffer in
            var fields = JSONProjection(paths: [JSONPath([.key("a")])]).makeFields()
            try JSONProjection(paths: [JSONPath([.key("a")])]).project(buffer, into: &fields)
        }
    }

    static let invalid: [Invalid] = [
        Invalid(text: "", kind: .unexpectedEnd, offset: 0),
        Invalid(text: "{", kind: .unexpectedEnd, offset: 1),
        Invalid(text: "{\"a\" 1}", kind: .unexpectedByte, offset: 5),
        Invalid(text: "{\"a\":1,}", kind: .unexpectedByte, offset: 7),
        Invalid(text: "[1,]", kind: .unexpectedByte, offset: 3),
        Invalid(text: "[1 2]", kind: .unexpectedByte, offset: 3),
        Invalid(text: "{a:1}", kind: .unexpectedByte, offset: 1),
        Invalid(text: "\"abc", kind: .unexpectedEnd, offset: 4),
        Invalid(text: "\"a\\x\"", kind: .invalidEscape, offset: 3),
        Invalid(text: "\"\\u12G4\"", kind: .invalidEscape, offset: 5),
        Invalid(text: "\"\\uD800\"", kind: .unpairedSurrogate, offset: 1),
        Invalid(text: "\"\\uD800\\u0041\"", kind: .unpairedSurrogate, offset: 1),
        Invalid(text: "\"\\uDC00\"", kind: .unpairedSurrogate, offset: 1),
        Invalid(text: "\"a\tb\"", kind: .controlCharacterInString, offset: 2),
        Invalid(text: "\"abcdefghij\nk\"", kind: .controlCharacterInString, offset: 11),
        Invalid(text: "01", kind: .trailingContent, offset: 1),
        Invalid(text: "1.", kind: .unexpectedEnd, offset: 2),
        Invalid(text: "1.x", kind: .invalidNumber, offset: 2),
        Invalid(text: ".5", kind: .unexpectedByte, offset: 0),
        Invalid(text: "-", kind: .unexpectedEnd, offset: 1),
        Invalid(text: "1e", kind: .unexpectedEnd, offset: 2),
        Invalid(text: "+1", kind: .unexpectedByte, offset: 0),
        Invalid(text: "tru", kind: .unexpectedEnd, offset: 3),
        Invalid(text: "nul1", kind: .unexpectedByte, offset: 3),
        Invalid(text: "{} {}", kind: .trailingContent, offset: 3),
    ]

    @Test("rejects invalid JSON with kind and offset", arguments: invalid)
    func rejectsInvalid(_ row: Invalid) {
        #expect(throws: JSONError.self) { try JSONValue(parsing: row.text) }
        do {
            _ = try JSONValue(parsing: row.text)
        } catch {
            #expect(error.kind == row.kind)
            #expect(error.offset == row.offset)
            #expect(!error.expected.isEmpty)
        }
    }

    static let invalidUTF8: [(name: String, bytes: [UInt8])] = [
        ("stray continuation", [0x80]),
        ("overlong two-byte", [0xC0, 0xAF]),
        ("overlong three-byte", [0xE0, 0x80, 0xAF]),
        ("encoded surrogate", [0xED, 0xA0, 0x80]),
        ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ("truncated sequence", [0xE2, 0x82]),
        ("invalid lead", [0xFF]),
    ]

    @Test("rejects invalid UTF-8 inside strings", arguments: invalidUTF8)
    func rejectsInvalidUTF8(_ row: (name: String, bytes: [UInt8])) {
        let document = Array("{\"k\":\"ab".utf8) + row.bytes + Array("cd\"}".utf8)
        do {
            _ = try JSONValue(parsing: document)
            Issue.record("accepted \(row.name)")
        } catch {
            #expect(error.kind == .invalidUTF8)
            #expect(error.offset == 8)
        }
    }

    @Test("a quote, backslash, control or non-ASCII byte is found at every position of an 8-byte word")
    func wordAtATimeFindsEveryByte() throws {
        for position in 0..<17 {
            let padding = String(repeating: "x", count: position)
            // A closing quote at `position`.
            let closed = try JSONValue(parsing: "\"\(padding)\"")
            #expect(closed == .string(padding))
            // An escape at `position`.
            #expect(try JSONValue(parsing: "\"\(padding)\\n\"") == .string(padding + "\n"))
            // A raw control character at `position` is rejected there.
            do {
                _ = try JSONValue(parsing: "\"\(padding)\u{01}zzzzzzzz\"")
                Issue.record("control character accepted at \(position)")
            } catch {
                #expect(error.kind == .controlCharacterInString)
                #expect(error.offset == 1 + position)
            }
            #expect(try JSONValue(parsing: "\"\(padding)é\"") == .string(padding + "é"))
        }
    }

    @Test("nesting deeper than the limit is refused")
    func depthLimit() throws {
        let limits = JSONLimits(maxDepth: 4)
        _ = try JSONValue(parsing: "[[[[1]]]]", limits: limits)
        do {
            _ = try JSONValue(parsing: "[[[[[1]]]]]", limits: limits)
            Issue.record("accepted depth 5")
        } catch {
            #expect(error.kind == .tooDeep)
            #expect(error.offset == 4)
        }
        // The projection and the splitter enforce the same limit.
        let deep = Array(
            ("{\"a\":" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}").utf8)
        let projection = JSONProjection(paths: [JSONPath([.key("b")])])
        var fields = projection.makeFields()
        #expect(throws: JSONError.self) { try deep.withUnsafeBytes { try projection.project($0, into: &fields) } }
        #expect(throws: JSONError.self) {
            try deep.withUnsafeBytes { buffer in
                var splitter = JSONRecordSplitter(buffer)
                while try splitter.next() != nil {}
            }
        }
    }

    @Test("error descriptions name what was expected and found")
    func errorDescription() {
        do {
            _ = try JSONValue(parsing: "{\"a\":1 \"b\":2}")
        } catch {
            #expect(
                error.description == "invalid JSON at byte 7: expected `,` or `}` after an object member, found `\"`")
        }
    }
}

/// The record-size limit, enforced where records are found and where they are projected.
struct RecordSizeLimitTests {
    @Test("a record over the limit is refused with its size, where it starts")
    func oversized() {
        let limits = JSONLimits(maxRecordBytes: 16)
        let text = Array(#"{"Records":[{"a":1},{"a":"0123456789abcdef"}]}"#.utf8)
        text.withUnsafeBytes { buffer in
            var splitter = JSONRecordSplitter(buffer, limits: limits)
            #expect(throws: Never.self) { _ = try splitter.next() }
            do throws(JSONError) {
                _ = try splitter.next()
                Issue.record("accepted an oversized record")
            } catch {
                #expect(error.kind == .recordTooLarge)
                #expect(error.offset == 20)
                #expect(
                    error.description
                        == "JSON over a limit at byte 20: expected a record of at most 16 bytes, found one of 24 bytes")
            }
        }
        let projection = JSONProjection(paths: [JSONPath([.key("a")])], limits: limits)
        var fields = projection.makeFields()
        #expect(throws: JSONError.self) {
            try Array(#"{"a":"0123456789abcdef"}"#.utf8).withUnsafeBytes { try projection.project($0, into: &fields) }
        }
    }

    @Test("the limit never exceeds what 32-bit offsets can hold")
    func ceiling() {
        #expect(JSONLimits(maxRecordBytes: .max).maxRecordBytes == Int(Int32.max))
    }
}
