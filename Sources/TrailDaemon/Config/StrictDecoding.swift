/// A coding key for any string: lets a mirror type list the keys a YAML mapping really has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws when the mapping being decoded has a key that `Keys` does not list: a misspelt
    /// option must stop the daemon at start-up, not be silently ignored.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        let known = Keys.allCases.map(\.stringValue)
        for key in container.allKeys where !known.contains(key.stringValue) {
            throw ConfigurationError.unknownKey(
                path: ConfigurationError.keyPath(codingPath + [key]), key: key.stringValue, known: known)
        }
    }
}
