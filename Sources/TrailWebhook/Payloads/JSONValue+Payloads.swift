import TrailJSON

extension JSONValue {
    /// An object with members in the order written; a nil value leaves its member out, so a
    /// payload never carries `"field": null` for something the record did not have.
    static func members(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue { .object(memberList(pairs)) }

    /// The members `members(_:)` makes an object of, for writers that add more after them.
    static func memberList(_ pairs: KeyValuePairs<String, JSONValue?>) -> [Member] {
        pairs.compactMap { pair in pair.value.map { Member(pair.key, $0) } }
    }

    /// A string value, or nil for a nil text (to leave the member out).
    static func text(_ text: String?) -> JSONValue? { text.map(JSONValue.string) }

    /// The compact JSON bytes of the value.
    var bytes: [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }
}
