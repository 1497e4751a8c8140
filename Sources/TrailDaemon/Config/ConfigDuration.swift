import Foundation

/// A duration as written in the configuration: `90`, `90s`, `500ms`, `5m`, `2h`, `1d`.
package struct ConfigDuration: Sendable, Hashable, Decodable, CustomStringConvertible {
    package var duration: Duration

    package init(_ duration: Duration) { self.duration = duration }

    package init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !digits.isEmpty, let value = Double(digits), value >= 0, value.isFinite else { return nil }
        let scale: Double
        switch trimmed.dropFirst(digits.count) {
        case "", "s": scale = 1
        case "ms": scale = 0.001
        case "m": scale = 60
        case "h": scale = 3_600
        case "d": scale = 86_400
        default: return nil
        }
        duration = .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int.self) {
            guard seconds >= 0 else {
                throw ConfigurationError.invalidValue(
                    path: ConfigurationError.keyPath(decoder.codingPath), reason: "must not be negative")
            }
            duration = .seconds(seconds)
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = ConfigDuration(parsing: text) else {
            throw ConfigurationError.invalidValue(
                path: ConfigurationError.keyPath(decoder.codingPath),
                reason: "`\(text)` is not a duration (use e.g. 500ms, 30s, 5m, 2h, 1d)")
        }
        self = parsed
    }

    package var description: String {
        let milliseconds = duration.milliseconds
        if milliseconds % 86_400_000 == 0 && milliseconds > 0 { return "\(milliseconds / 86_400_000)d" }
        if milliseconds % 3_600_000 == 0 && milliseconds > 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 && milliseconds > 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
