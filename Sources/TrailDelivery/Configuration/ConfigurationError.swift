import Foundation

/// Why a configuration file was refused: the key path at fault and what is wrong with it.
///
/// The daemon's configuration and every sink kind's section throw it, so one sink's key is
/// reported as the file spells it (`sinks[0].url`) whichever module checked it.
package enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A key the configuration does not have (with the keys it does have at that level).
    case unknownKey(path: String, key: String, known: [String])
    /// A value of the right type that is not acceptable.
    case invalidValue(path: String, reason: String)
    /// The file is not YAML, or a value has the wrong type.
    case malformed(file: String, reason: String)
    /// The file could not be read.
    case unreadable(file: String, reason: String)

    /// The description with the file in front, for kinds whose description does not name it.
    package func located(in file: String) -> String {
        switch self {
        case .unknownKey, .invalidValue: "\(file): \(description)"
        case .malformed, .unreadable: description
        }
    }

    /// `spool.include[0]`: a decoder's coding path as the configuration file spells it.
    package static func keyPath(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    package var description: String {
        switch self {
        case .unknownKey(let path, let key, let known):
            let hint = Self.closest(to: key, in: known).map { " (did you mean `\($0)`?)" } ?? ""
            return "unknown key `\(path)`\(hint); known keys here: \(known.joined(separator: ", "))"
        case .invalidValue(let path, let reason): return "`\(path)`: \(reason)"
        case .malformed(let file, let reason): return "\(file): \(reason)"
        case .unreadable(let file, let reason): return "cannot read the configuration \(file): \(reason)"
        }
    }

    /// The known key at edit distance at most 2 from `key`, if one is.
    private static func closest(to key: String, in known: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var current = [i + 1]
                for (j, y) in b.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let scored = known.map { ($0, distance(Array(key), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }
}
