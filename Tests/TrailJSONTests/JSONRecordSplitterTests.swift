import Testing

@testable import TrailJSON

/// Finding records in the shapes CloudTrail data arrives in.
struct JSONRecordSplitterTests {
    /// The records' texts, or the error.
    func split(_ text: String) throws(JSONError) -> [String] {
        let bytes = Array(text.utf8)
        var result: [String] = []
        let error: JSONError? = bytes.withUnsafeBytes { buffer in
            var splitter = JSONRecordSplitter(buffer)
            do throws(JSONError) {
                while let record = try splitter.next() {
                    #expect(record.index == result.count)
                    result.append(String(decoding: bytes[record.range], as: UTF8.self))
                }
                return nil
            } catch {
                return error
            }
        }
        if let error { throw error }
        return result
    }

    @Test(
        "shapes",
        arguments: [
            (#"{"Records":[{"a":1},{"b":2}]}"#, [#"{"a":1}"#, #"{"b":2}"#]),
            (#"{"Records":[]}"#, []),
            (#" { "Records" : [ {"a":1} ] } "#, [#"{"a":1}"#]),
            (#"{"x":1,"Records":[{"a":1}],"y":[2]}"#, [#"{"a":1}"#]),
            (#"[{"a":1},{"b":2}]"#, [#"{"a":1}"#, #"{"b":2}"#]),
            ("[]", []),
            ("{\"a\":1}\n{\"b\":2}\n", [#"{"a":1}"#, #"{"b":2}"#]),
            (#"{"a":1}"#, [#"{"a":1}"#]),
            (#"{"Records":"not an array"}"#, [#"{"Records":"not an array"}"#]),
            ("[1,\"s\",{}]", ["1", "\"s\"", "{}"]),
            ("", []),
            ("  \n ", []),
        ])
    func shapes(_ text: String, _ expected: [String]) throws {
        #expect(try split(text) == expected)
    }

    @Test("errors carry the offset")
    func errors() {
        #expect(throws: JSONError.self) { try split(#"{"Records":[{"a":1},]}"#) }
        do {
            _ = try split(#"{"Records":[{"a":1} {"b":2}]}"#)
        } catch {
            #expect(error.offset == 20)
            #expect(error.expected == "`,` or `]` after a record")
        }
    }

    @Test(
        "layout detection",
        arguments: [
            ("{\"a\":1}\n{\"a\":2}\n", JSONRecordSplitter.Layout.lines),
            ("{\"a\":\n{\"a\":2}\n", .lines),  // the first line is broken, the second complete
            ("[1,2]\n[3]\n", .lines),
            ("{\"Records\":[{\"a\":1}]}\n", .document),  // one line
            ("{\n  \"Records\": [\n    {\"a\": 1}\n  ]\n}\n", .document),  // pretty-printed
            ("[\n{\"a\":1},\n{\"b\":2}\n]", .document),  // one complete line of four
            ("{\"Records\":[\n{\"a\":1},\n{\"b\":2}]}\n", .document),  // no line is complete
            ("", .document),
        ])
    func layouts(_ text: String, _ expected: JSONRecordSplitter.Layout) {
        let layout = Array(text.utf8).withUnsafeBytes { JSONRecordSplitter.Layout.detect($0) }
        #expect(layout == expected)
    }

    @Test("a text stops at its first error")
    func stopsAtFirstError() {
        let bytes = Array("{\"Records\":[{\"a\":1},\n{\"a\":,\n{\"a\":3}]}".utf8)
        var records: [String] = []
        var errors: [Int] = []
        bytes.withUnsafeBytes { buffer in
            var splitter = JSONRecordSplitter(buffer)
            do throws(JSONError) {
                while let record = try splitter.next() {
                    records.append(String(decoding: bytes[record.range], as: UTF8.self))
                }
            } catch {
                errors.append(error.offset)
            }
        }
        #expect(records == [#"{"a":1}"#])
        #expect(errors == [26])
    }

    @Test("compaction removes whitespace outside strings only")
    func compaction() {
        let text = Array("{ \"a b\" : [ 1 ,\n\t\"x\\\" y\" ] }".utf8)
        var output: [UInt8] = []
        let removed = text.withUnsafeBytes { JSONCompactor.compact($0, into: &output) }
        #expect(removed)
        #expect(String(decoding: output, as: UTF8.self) == "{\"a b\":[1,\"x\\\" y\"]}")
        var again: [UInt8] = []
        #expect(!output.withUnsafeBytes { JSONCompactor.compact($0, into: &again) })
    }
}
