import TrailJSON

/// Writes JSON objects in which some values are JSON text already (an alert's record) and are
/// spliced in as they are rather than parsed and written again.
enum SplicedJSON {
    /// A member's value: a tree to write, or bytes that already are one JSON value.
    enum Value {
        case value(JSONValue)
        case raw([UInt8])
    }

    /// `{"key":value,…}` with members in the given order.
    static func object(_ members: [(key: String, value: Value)]) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONString.appendQuoted(member.key, to: &output)
            output.append(UInt8(ascii: ":"))
            switch member.value {
            case .value(let value): value.write(to: &output)
            case .raw(let bytes): output += bytes
            }
        }
        output.append(UInt8(ascii: "}"))
        return output
    }

}
