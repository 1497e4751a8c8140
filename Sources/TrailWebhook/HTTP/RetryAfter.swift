package import Foundation

/// Reads a receiver's "try again in …" hint: `Retry-After` and Discord's `retry_after`.
///
/// Hints are clamped to `0…maximum` (an hour by default): a receiver asking for two days would
/// otherwise park alerts that long, and a past date means "now". Unparseable values are ignored
/// (nil), so the retry policy's own backoff applies.
package enum RetryAfter {
    /// The longest hint honoured by default.
    package static let defaultMaximum: Duration = .seconds(3_600)

    /// A `Retry-After` header value: delta-seconds (`120`) or an HTTP-date (see ``HTTPDate``),
    /// measured from `now`.
    package static func parse(
        header value: String, now: Date, maximum: Duration = RetryAfter.defaultMaximum
    ) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // delta-seconds = 1*DIGIT; too many digits for Int still means "a long time".
            guard let seconds = Int(text) else { return maximum }
            return clamp(.seconds(seconds), maximum: maximum)
        }
        guard let date = HTTPDate.parse(text, now: now) else { return nil }
        return clamp(.seconds(date.timeIntervalSince(now)), maximum: maximum)
    }

    /// Seconds as a (possibly fractional) number, as in Discord's `retry_after` and
    /// `X-RateLimit-Reset-After`; nil for NaN or infinity.
    package static func seconds(_ value: Double, maximum: Duration = RetryAfter.defaultMaximum) -> Duration? {
        guard value.isFinite else { return nil }
        guard value < 86_400 * 365 else { return maximum }
        return clamp(.seconds(value), maximum: maximum)
    }

    /// `hint` limited to `0…maximum`.
    package static func clamp(_ hint: Duration, maximum: Duration = RetryAfter.defaultMaximum) -> Duration {
        min(max(hint, .zero), maximum)
    }
}
