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

    @Test("NDJSON resynchronizes at the next line after a bad record")
    func resynchronize() {
        let bytes = Array("{\"a\":1}\n{\"a\":2,\n{\"a\":3}\n".utf8)
        var records: [String] = []
        var errors = 0
        bytes.withUnsafeBytes { buffer in
            var splitter = JSONRecordSplitter(buffer)
            while true {
                do {
                    guard let record = try splitter.next() else { break }
                    records.append(String(decoding: bytes[record.range], as: UTF8.self))
                } catch {
                    errors += 1
                    #expect(splitter.canResynchronize)
                    splitter.resynchronize()
                }
            }
        }
        #expect(records == [#"{"a":1}"#, #"{"a":3}"#])
        #expect(errors == 1)
    }

    @Test("no resynchronizing inside a Records array")
    func noResynchronizeInRecords() {
        let bytes = Array("{\"Records\":[{\"a\":1},\n{\"a\":,\n{\"a\":3}]}".utf8)
        bytes.withUnsafeBytes { buffer in
            var splitter = JSONRecordSplitter(buffer)
            #expect(throws: Never.self) { _ = try splitter.next() }
            #expect(throws: JSONError.self) { _ = try splitter.next() }
            #expect(!splitter.canResynchronize)
        }
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
