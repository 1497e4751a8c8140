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
