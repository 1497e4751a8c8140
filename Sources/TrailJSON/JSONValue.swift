/// A parsed JSON document, for tests, tools and building fixtures; never on the hot path.
///
/// Objects keep their members in order, duplicates included, so printing a parsed record gives
/// back what was read. Numbers keep their text, so nothing is lost to floating point.
package indirect enum JSONValue: Sendable, Hashable {
    case string(String)
    /// A number, as its JSON text.
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([Member])

    /// One member of an object.
    package struct Member: Sendable, Hashable {
        package var key: String
        package var value: JSONValue

        package init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Parses exactly one JSON value (surrounding whitespace allowed).
    package init(parsing bytes: some Collection<UInt8>, limits: JSONLimits = .default) throws(JSONError) {
        let array = Array(bytes)
        let result: Result<JSONValue, JSONError> = array.withUnsafeBytes { buffer in
            var cursor = JSONCursor(buffer, limits: limits)
            do throws(JSONError) {
                cursor.skipWhitespace()
                let value = try JSONValue.parse(&cursor, depth: 0)
                cursor.skipWhitespace()
                if cursor.position < cursor.count {
                    throw cursor.error(.trailingContent, at: cursor.position, expected: "the end of the document")
                }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }

    /// Parses a JSON text given as a string.
    package init(parsing text: String, limits: JSONLimits = .default) throws(JSONError) {
        try self.init(parsing: Array(text.utf8), limits: limits)
    }

    private static func parse(_ cursor: inout JSONCursor, depth: Int) throws(JSONError) -> JSONValue {
        guard let lead = cursor.current else { throw cursor.unexpected("a value") }
        switch lead {
        case UInt8(ascii: "\""):
            return .string(try parseString(&cursor))
        case UInt8(ascii: "{"):
            var members: [Member] = []
            guard try !cursor.enterContainer(closing: UInt8(ascii: "}"), depth: depth + 1) else {
                return .object(members)
            }
            repeat {
                guard cursor.current == UInt8(ascii: "\"") else { throw cursor.unexpected("a string key in an object") }
                let key = try parseString(&cursor)
                try cursor.expectColon()
                members.append(Member(key, try parse(&cursor, depth: depth + 1)))
            } while try !cursor.endOfItem(closing: UInt8(ascii: "}"))
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            guard try !cursor.enterContainer(closing: UInt8(ascii: "]"), depth: depth + 1) else {
                return .array(elements)
            }
            repeat {
                elements.append(try parse(&cursor, depth: depth + 1))
            } while try !cursor.endOfItem(closing: UInt8(ascii: "]"))
            return .array(elements)
        default:
            let start = cursor.position
            let kind = try cursor.skipValue(depth: depth)
            switch kind {
            case .true: return .bool(true)
            case .false: return .bool(false)
            case .null: return .null
            default:
                let text = UnsafeBufferPointer(start: cursor.base + start, count: cursor.position - start)
                return .number(String(decoding: text, as: UTF8.self))
            }
        }
    }

    private static func parseString(_ cursor: inout JSONCursor) throws(JSONError) -> String {
        let start = cursor.position + 1
        let escaped = try cursor.scanString()
        let body = UnsafeRawBufferPointer(start: cursor.base + start, count: cursor.position - 1 - start)
        return escaped ? JSONString.decodedString(body) : String(decoding: body, as: UTF8.self)
    }

    /// The compact JSON text of the value.
    package var compactText: String {
        var output: [UInt8] = []
        write(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the compact JSON text of the value to `output`.
    package func write(to output: inout [UInt8]) {
        switch self {
        case .string(let text): JSONString.appendQuoted(text, to: &output)
        case .number(let text): output.append(contentsOf: text.utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: output.append(contentsOf: "null".utf8)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONString.appendQuoted(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The value of the last member named `key`, for objects.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }
}
