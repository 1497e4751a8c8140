/// A coding key for any string: lets a mirror type list the keys a YAML mapping really has.
package struct AnyCodingKey: CodingKey {
    package var stringValue: String
    package var intValue: Int? { nil }
    package init(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws when the mapping being decoded has a key that `Keys` does not list: a misspelt
    /// option must stop the daemon at start-up, not be silently ignored.
    package func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        try rejectUnknownKeys(known: Keys.allCases.map(\.stringValue))
    }

    /// Throws when the mapping being decoded has a key not in `known`, naming its key path and
    /// the known keys (in this order) with the closest one as a hint. For a mapping whose keys
    /// several owners read, such as a sink's: the daemon's common keys and each kind's own.
    package func rejectUnknownKeys(known: [String]) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            throw ConfigurationError.unknownKey(
                path: ConfigurationError.keyPath(codingPath + [key]), key: key.stringValue, known: known)
        }
    }
}

/// A configuration mapping that refuses the keys its `CodingKeys` do not list, with no decoding
/// code of its own: the type declares its fields (all optional: any key may be left out) and its
/// `CodingKeys` with the keys as written, in the order messages list them, and the compiler
/// synthesizes `init(from:)`.
///
/// How the check gets in: a synthesized `init(from:)` decodes a field `var spool: Spool?` by
/// calling `decodeIfPresent(Spool.self, forKey:)` on its container, and overload resolution
/// picks the most specific candidate in scope. The two `decodeIfPresent` overloads below, for
/// one `KeyCheckedDecodable` value and for a list of them, are more specific than the standard
/// library's, so a parent's synthesized init calls them: they check the value's keys before its
/// own synthesized init decodes its fields, as a hand-written init did. A document's root has no
/// parent, so it is decoded as `KeyChecked<Root>`. Only those shapes are checked: a non-optional
/// field, a dictionary of such values or a decoder's own generic code (such as `Array`'s) reach
/// the standard `decode`, which does not check, so mirrors keep to optional values and lists.
package protocol KeyCheckedDecodable: Decodable {
    /// The keys the mapping may have, with their spelling in the file.
    associatedtype CodingKeys: CodingKey & CaseIterable
}

/// A value whose keys are checked before it is decoded: how the overloads decode a
/// `KeyCheckedDecodable` field, and how a document's root is decoded.
package struct KeyChecked<Value: KeyCheckedDecodable>: Decodable {
    /// The value, decoded after its keys passed.
    package var value: Value

    /// Refuses a key `Value.CodingKeys` does not list, then decodes the value.
    package init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Value.CodingKeys.self)
        value = try Value(from: decoder)
    }
}

extension KeyedDecodingContainer {
    /// The value at `key` with its keys checked, or nil when the key is absent or null; what a
    /// synthesized init calls for an optional `KeyCheckedDecodable` field.
    package func decodeIfPresent<Value: KeyCheckedDecodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        try decodeIfPresent(KeyChecked<Value>.self, forKey: key)?.value
    }

    /// The list at `key` with each value's keys checked, or nil when the key is absent or null;
    /// what a synthesized init calls for an optional list of `KeyCheckedDecodable` values.
    package func decodeIfPresent<Value: KeyCheckedDecodable>(
        _ type: [Value].Type, forKey key: Key
    ) throws -> [Value]? {
        try decodeIfPresent([KeyChecked<Value>].self, forKey: key)?.map(\.value)
    }
}
