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

    /// Splits `text` reading on after errors, returning the records and the errors' offsets.
    func splitRecovering(_ text: String) -> (layout: JSONRecordSplitter.Layout, records: [String], errors: [Int]) {
        let bytes = Array(text.utf8)
        var records: [String] = []
        var errors: [Int] = []
        let layout = bytes.withUnsafeBytes { buffer in
            var splitter = JSONRecordSplitter(buffer)
            while true {
                do throws(JSONError) {
                    guard let record = try splitter.next() else { break }
                    records.append(String(decoding: bytes[record.range], as: UTF8.self))
                } catch {
                    errors.append(error.offset)
                    guard splitter.continuesAfterError else { break }
                }
            }
            return splitter.layout
        }
        return (layout, records, errors)
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

    @Test("JSON Lines: a broken line is reported and the next lines are read")
    func brokenLine() {
        let result = splitRecovering("{\"a\":1}\n{\"a\":2,\n{\"a\":3}\n")
        #expect(result.layout == .lines)
        #expect(result.records == [#"{"a":1}"#, #"{"a":3}"#])
        #expect(result.errors == [15])  // the end of line 2
    }

    @Test("JSON Lines: a broken first line loses nothing else")
    func brokenFirstLine() {
        let result = splitRecovering("{\"a\":\n{\"a\":2}\n{\"a\":3}\n")
        #expect(result.records == [#"{"a":2}"#, #"{"a":3}"#])
        #expect(result.errors.count == 1)
    }

    @Test("JSON Lines: the pieces of a record broken over lines never become records")
    func noFragments() {
        // A multi-line object inside NDJSON: each of its lines is invalid on its own.
        let result = splitRecovering(
            "{\"a\":1}\n{\"b\":2}\n{\"userIdentity\":\n{\"eventName\":\"StopLogging\"},\n\"x\":}\n{\"c\":3}\n")
        #expect(result.layout == .lines)
        #expect(result.records == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        #expect(result.errors.count == 3)
    }

    @Test("JSON Lines: each line may itself be a Records wrapper or an array")
    func wrappedLines() {
        let result = splitRecovering("{\"Records\":[{\"a\":1},{\"a\":2}]}\n[{\"a\":3}]\n")
        #expect(result.records == [#"{"a":1}"#, #"{"a":2}"#, #"{"a":3}"#])
    }

    @Test("a document stops at its first error")
    func documentStops() {
        let result = splitRecovering("{\"Records\":[{\"a\":1},\n{\"a\":,\n{\"a\":3}]}")
        #expect(result.layout == .document)
        #expect(result.records == [#"{"a":1}"#])
        #expect(result.errors == [26])
    }

    @Test("line and column of offsets, in any order")
    func lineLocator() {
        let text = Array("{\n  \"a\": x\n}\nlast".utf8)
        text.withUnsafeBytes { buffer in
            var locator = JSONLineLocator(buffer)
            #expect(locator.locate(9) == (2, 8))
            #expect(locator.locate(11) == (3, 1))
            #expect(locator.locate(0) == (1, 1))
            #expect(locator.locate(16) == (4, 4))
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
