/// Finds the records in a JSON text held in memory: `{"Records":[…]}`, a bare array of records,
/// or a stream of values (a single object, or NDJSON read as whitespace-separated values).
///
/// Each top-level value is classified as it is met: an object with a `Records` array member is a
/// CloudTrail wrapper whose elements are the records (its other members are ignored), an array's
/// elements are records, and any other value is itself a record. Every record is validated while
/// it is located, and a failure carries the byte offset; an error ends the text. Reading JSON
/// Lines one line at a time, so that one bad line loses nothing else, is the streaming reader's
/// job (TrailReader); `Layout.detect` tells it which texts are JSON Lines.
package struct JSONRecordSplitter {
    /// One record: where its text is and what kind of value it is (only objects can match a
    /// JSON pattern, but every record is reported so `--invert-match` can print them).
    package struct Record: Sendable, Hashable {
        package var range: Range<Int>
        /// 0-based index of the record in the text.
        package var index: Int
        package var kind: JSONKind
    }

    /// How the text holds its top-level values.
    package enum Layout: Sendable, Hashable {
        /// One JSON text (possibly several whitespace-separated values): `{"Records":[…]}`, arrays,
        /// pretty-printed objects.
        case document
        /// JSON Lines: every non-blank line is a complete JSON value of its own.
        case lines

        /// `.lines` when the text starts like JSON Lines: of its first eight non-blank lines (at
        /// least two), at least half are each a complete JSON object or array starting in the
        /// first column. In pretty-printed JSON only the outermost brackets stand in the first
        /// column, and they are never complete on their own; a one-line CloudTrail file has a
        /// single line. Broken lines count against the half, so a damaged export still reads as
        /// lines as long as most of its lines are sound.
        package static func detect(_ buffer: UnsafeRawBufferPointer, limits: JSONLimits = .default) -> Layout {
            // One line (the usual CloudTrail file: a single `{"Records":[…]}` line, often longer
            // than the window) can never be JSON Lines: answer before scanning it.
            guard let firstNewline = JSONRecordSplitter.firstNewline(in: buffer),
                buffer[(firstNewline + 1)...].contains(where: { $0 > 0x20 })
            else { return .document }
            var cursor = JSONCursor(buffer, limits: limits)
            var lines = 0
            var complete = 0
            var start = 0
            while start < buffer.count && lines < 8 {
                var end = start
                while end < buffer.count && buffer[end] != 0x0A { end += 1 }
                defer { start = end + 1 }
                cursor.count = end
                cursor.position = start
                cursor.skipWhitespace()
                guard cursor.position < end else { continue }  // blank line
                lines += 1
                guard buffer[start] == UInt8(ascii: "{") || buffer[start] == UInt8(ascii: "[") else { continue }
                if (try? cursor.skipValue(depth: 0)) != nil {
                    cursor.skipWhitespace()
                    if cursor.position == end { complete += 1 }
                }
            }
            return lines >= 2 && complete * 2 >= lines ? .lines : .document
        }
    }

    /// The offset of the first newline, eight bytes at a time.
    static func firstNewline(in buffer: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        let ones: UInt64 = 0x0101_0101_0101_0101
        while index &+ 8 <= buffer.count {
            let word = buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ (ones &* 0x0A)
            if (word &- ones) & ~word & (ones &* 0x80) != 0 { break }
            index &+= 8
        }
        while index < buffer.count {
            if buffer[index] == 0x0A { return index }
            index &+= 1
        }
        return nil
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

    /// `buffer` must stay valid while the splitter is used.
    package init(_ buffer: UnsafeRawBufferPointer, limits: JSONLimits = .default) {
        cursor = JSONCursor(buffer, limits: limits)
    }

    /// The next record, nil at the end of the text.
    package mutating func next() throws(JSONError) -> Record? {
        while true {
            switch state {
            case .topLevel:
                cursor.skipWhitespace()
                guard let lead = cursor.current else { return nil }
                if lead == UInt8(ascii: "[") {
                    guard try !cursor.enterContainer(closing: UInt8(ascii: "]"), depth: 1) else { continue }
                    state = .inArray
                } else if lead == UInt8(ascii: "{") {
                    let start = cursor.position
                    if try enterRecordsArray() { continue }
                    return try emit(start, .object)
                } else {
                    let start = cursor.position
                    let kind = try cursor.skipValue(depth: 0)
                    return try emit(start, kind)
                }
            case .inArray, .inRecords:
                if let record = try nextElement() { return record }
            }
        }
    }

    private mutating func emit(_ start: Int, _ kind: JSONKind) throws(JSONError) -> Record {
        try cursor.checkRecordSize(cursor.position - start, at: start)
        defer { nextIndex += 1 }
        return Record(range: start..<cursor.position, index: nextIndex, kind: kind)
    }

    /// Returns the element under the cursor, or nil (and leaves the container) at its end.
    private mutating func nextElement() throws(JSONError) -> Record? {
        let depth = state == .inRecords ? 2 : 1
        let start = cursor.position
        let kind = try cursor.skipValue(depth: depth)
        let record = try emit(start, kind)
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
