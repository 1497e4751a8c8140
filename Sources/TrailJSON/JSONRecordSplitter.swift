/// Finds the records in a JSON text: `{"Records":[…]}`, a bare array of records, or a stream of
/// values such as NDJSON (one record per line) or a single object.
///
/// Each top-level value is classified as it is met: an object with a `Records` array member is a
/// CloudTrail wrapper whose elements are the records, an array's elements are records, and any
/// other value is itself a record. Every record is validated while it is located, and a failure
/// carries the byte offset. After an error, `resynchronize()` skips to the next line so that one
/// bad line of an NDJSON stream does not lose the rest.
package struct JSONRecordSplitter {
    /// One record: where its text is and what kind of value it is (only objects can match a
    /// JSON pattern, but every record is reported so `--invert-match` can print them).
    package struct Record: Sendable, Hashable {
        package var range: Range<Int>
        /// 0-based index of the record in the text.
        package var index: Int
        package var kind: JSONKind
    }

    /// How the current top-level value holds its records.
    private enum State {
        case topLevel
        case inArray
        /// Inside the `Records` array of a wrapper object, whose remaining members follow it.
        case inRecords
    }

    private var cursor: JSONCursor
    private var state = State.topLevel
    private var nextIndex = 0
    /// Where the top-level value being read started, to resynchronize from after an error.
    private var topLevelStart = 0
    /// Where the record being read (or the one that just failed) started.
    package private(set) var recordStart = 0
    /// The index the record being read (or the one that just failed) has.
    package var recordIndex: Int { nextIndex }
    /// Set once a top-level record has been seen that sits on one line: evidence of NDJSON.
    private var sawSingleLineRecord = false

    /// `buffer` must stay valid while the splitter is used.
    package init(_ buffer: UnsafeRawBufferPointer, limits: JSONLimits = .default) {
        cursor = JSONCursor(buffer, limits: limits)
    }

    /// Byte offset the splitter has reached.
    package var position: Int { cursor.position }

    /// The next record, nil at the end of the text.
    package mutating func next() throws(JSONError) -> Record? {
        while true {
            switch state {
            case .topLevel:
                cursor.skipWhitespace()
                guard let lead = cursor.current else { return nil }
                topLevelStart = cursor.position
                recordStart = cursor.position
                if lead == UInt8(ascii: "[") {
                    cursor.position += 1
                    cursor.skipWhitespace()
                    if cursor.current == UInt8(ascii: "]") {
                        cursor.position += 1
                        continue
                    }
                    state = .inArray
                } else if lead == UInt8(ascii: "{") {
                    let start = cursor.position
                    if try enterRecordsArray() { continue }
                    noteTopLevelRecord(from: start)
                    return emit(start, .object)
                } else {
                    let start = cursor.position
                    let kind = try cursor.skipValue(depth: 0)
                    noteTopLevelRecord(from: start)
                    return emit(start, kind)
                }
            case .inArray, .inRecords:
                if let record = try nextElement() { return record }
            }
        }
    }

    /// Whether skipping to the next line after an error is likely to find more records: the
    /// error was in a top-level value of a text whose records sit one per line. Inside a
    /// `Records` or array container there is nothing to resynchronize on.
    package var canResynchronize: Bool { state == .topLevel && sawSingleLineRecord }

    /// Skips to the line after the one where the failed record started, and back to top level,
    /// after an error in a stream of line-delimited records.
    package mutating func resynchronize() {
        cursor.position = topLevelStart
        while let byte = cursor.current {
            cursor.position += 1
            if byte == 0x0A { break }
        }
        state = .topLevel
    }

    private mutating func noteTopLevelRecord(from start: Int) {
        guard !sawSingleLineRecord else { return }
        sawSingleLineRecord = !(start..<cursor.position).contains { cursor.base[$0] == 0x0A }
    }

    private mutating func emit(_ start: Int, _ kind: JSONKind) -> Record {
        defer { nextIndex += 1 }
        return Record(range: start..<cursor.position, index: nextIndex, kind: kind)
    }

    /// Returns the element under the cursor, or nil (and leaves the container) at its end.
    private mutating func nextElement() throws(JSONError) -> Record? {
        let depth = state == .inRecords ? 2 : 1
        let start = cursor.position
        recordStart = start
        let kind = try cursor.skipValue(depth: depth)
        let record = emit(start, kind)
        cursor.skipWhitespace()
        if cursor.current != UInt8(ascii: ",") && cursor.current != UInt8(ascii: "]") {
            throw cursor.unexpected("`,` or `]` after a record")
        }
        if try cursor.endOfItem(closing: UInt8(ascii: "]")) {
            if state == .inRecords { try finishWrapper() }
            state = .topLevel
        }
        return record
    }

    /// With the cursor on `{`, scans members until a `Records` array is found (true: the state is
    /// `.inRecords` with the cursor on its first element, or back to top level if it was empty) or
    /// the object ends without one (false: the cursor is after `}`).
    private mutating func enterRecordsArray() throws(JSONError) -> Bool {
        guard try !cursor.enterContainer(closing: UInt8(ascii: "}"), depth: 1) else { return false }
        repeat {
            guard cursor.current == UInt8(ascii: "\"") else { throw cursor.unexpected("a string key in an object") }
            let keyStart = cursor.position
            _ = try cursor.scanString()
            let isRecords = isKey(from: keyStart, "Records")
            try cursor.expectColon()
            if isRecords && cursor.current == UInt8(ascii: "[") {
                if try cursor.enterContainer(closing: UInt8(ascii: "]"), depth: 2) {
                    try finishWrapper()
                } else {
                    state = .inRecords
                }
                return true
            }
            _ = try cursor.skipValue(depth: 1)
        } while try !cursor.endOfItem(closing: UInt8(ascii: "}"))
        return false
    }

    /// After the `Records` array: skips the wrapper's remaining members and its `}`.
    private mutating func finishWrapper() throws(JSONError) {
        while true {
            cursor.skipWhitespace()
            switch cursor.current {
            case UInt8(ascii: "}"):
                cursor.position += 1
                return
            case UInt8(ascii: ","):
                cursor.position += 1
                cursor.skipWhitespace()
                guard cursor.current == UInt8(ascii: "\"") else { throw cursor.unexpected("a string key in an object") }
                _ = try cursor.scanString()
                try cursor.expectColon()
                _ = try cursor.skipValue(depth: 1)
            default:
                throw cursor.unexpected("`,` or `}` after the Records array")
            }
        }
    }

    private func isKey(from quote: Int, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        guard cursor.position - quote == length + 2 else { return false }
        for index in 0..<length where cursor.base[quote + 1 + index] != name.utf8Start[index] {
            return false
        }
        return true
    }
}
