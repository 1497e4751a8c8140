package import Foundation
import TrailRules

/// Parses the three date formats RFC 9110 §5.6.7 requires recipients to accept.
///
/// - IMF-fixdate, the one senders must use: `Sun, 06 Nov 1994 08:49:37 GMT`
/// - obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (a two-digit year more than 50 years in
///   the future is read as the most recent past year with those digits, as §5.6.7 says)
/// - ANSI C `asctime()`: `Sun Nov  6 08:49:37 1994`
///
/// Hand-written rather than `DateFormatter`-based: pure, locale-free and cheap. Day and month
/// names are matched case-insensitively; the day name is checked for spelling, not against the date.
package enum HTTPDate {
    /// The instant `text` denotes, or nil when it is none of the three formats or not a real date.
    /// `now` only resolves RFC 850 two-digit years.
    package static func parse(_ text: String, now: Date) -> Date? {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = tokens.first else { return nil }
        if first.hasSuffix(",") {
            let dayName = String(first.dropLast()).lowercased()
            if tokens.count == 6, tokens[5].uppercased() == "GMT", shortDays.contains(dayName) {
                // IMF-fixdate.
                guard tokens[1].count == 2, let day = Int(tokens[1]), let month = month(tokens[2]),
                    tokens[3].count == 4, let year = Int(tokens[3])
                else { return nil }
                return date(year: year, month: month, day: day, time: tokens[4])
            }
            if tokens.count == 4, tokens[3].uppercased() == "GMT", longDays.contains(dayName) {
                // RFC 850.
                let parts = tokens[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 3, parts[0].count == 2, let day = Int(parts[0]), let month = month(parts[1]),
                    parts[2].count == 2, let shortYear = Int(parts[2])
                else { return nil }
                return date(year: fullYear(shortYear, now: now), month: month, day: day, time: tokens[2])
            }
            return nil
        }
        // asctime: the day of month is space-padded, which splitting already absorbed.
        guard tokens.count == 5, shortDays.contains(first.lowercased()), let month = month(tokens[1]),
            (1...2).contains(tokens[2].count), let day = Int(tokens[2]), tokens[4].count == 4, let year = Int(tokens[4])
        else { return nil }
        return date(year: year, month: month, day: day, time: tokens[3])
    }

    private static let shortDays: Set<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let longDays: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func month(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    /// RFC 9110: a two-digit year that would lie more than 50 years in the future is the most
    /// recent past year with the same last two digits.
    private static func fullYear(_ shortYear: Int, now: Date) -> Int {
        let currentYear = CivilDate.date(days: Int((now.timeIntervalSince1970 / 86_400).rounded(.down))).year
        let candidate = currentYear - currentYear % 100 + shortYear
        return candidate > currentYear + 50 ? candidate - 100 : candidate
    }

    private static func date(year: Int, month: Int, day: Int, time: String) -> Date? {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]),
            let minute = Int(parts[1]), let second = Int(parts[2]),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        // A leap second (:60) is read as the last second of its minute.
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + min(second, 59)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
