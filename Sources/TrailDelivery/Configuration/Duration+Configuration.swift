import Foundation

extension Duration {
    /// A duration as configuration writes it: `90`, `90s`, `500ms`, `5m`, `2h`, `1d`; nil when
    /// `text` is not one.
    package init?(configurationText text: String) {
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
        self = .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    /// The duration as configuration writes it, in the largest unit that divides it: `3d`, `15m`,
    /// `90s`, `500ms`.
    package var configurationText: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 86_400_000 == 0 && milliseconds > 0 { return "\(milliseconds / 86_400_000)d" }
        if milliseconds % 3_600_000 == 0 && milliseconds > 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 && milliseconds > 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}

extension Decoder {
    /// The duration this value writes: a whole number of seconds, or text such as `500ms` or
    /// `5m`. A negative number or text that is not a duration is refused with its key path.
    package func configurationDuration() throws -> Duration {
        let container = try singleValueContainer()
        if let seconds = try? container.decode(Int.self) {
            guard seconds >= 0 else {
                throw ConfigurationError.invalidValue(
                    path: ConfigurationError.keyPath(codingPath), reason: "must not be negative")
            }
            return .seconds(seconds)
        }
        let text = try container.decode(String.self)
        guard let duration = Duration(configurationText: text) else {
            throw ConfigurationError.invalidValue(
                path: ConfigurationError.keyPath(codingPath),
                reason: "`\(text)` is not a duration (use e.g. 500ms, 30s, 5m, 2h, 1d)")
        }
        return duration
    }
}

/// A duration as configuration writes it, where a `Decodable` type is needed: a sink kind's
/// section declares its duration fields with it and lets the compiler synthesize its decoding.
package struct WrittenDuration: Decodable, Sendable, Hashable {
    /// The duration written.
    package var duration: Duration

    /// Decodes the duration as `Decoder.configurationDuration()` does.
    package init(from decoder: any Decoder) throws {
        duration = try decoder.configurationDuration()
    }
}
