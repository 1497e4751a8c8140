import Foundation
import Testing
import TrailWebhook

/// `Retry-After` and HTTP-date parsing (RFC 9110 §5.6.7, §10.2.3).
@Suite struct RetryAfterTests {
    // Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example.
    static let example = Date(timeIntervalSince1970: 784_111_777)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
        "sun, 06 nov 1994 08:49:37 gmt",
    ])
    func acceptsAllThreeHTTPDateFormats(text: String) {
        #expect(HTTPDate.parse(text, now: Self.now) == Self.example)
    }

    @Test func rfc850YearsMoreThanFiftyYearsAheadAreInThePast() {
        // now is 2027: "30" is 2030 (3 years ahead), "94" would be 2094 (67 ahead), so 1994.
        let thirty = HTTPDate.parse("Wednesday, 06-Nov-30 08:49:37 GMT", now: Self.now)
        #expect(thirty == Date(timeIntervalSince1970: 1_920_185_377))
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: Self.now) == Self.example)
    }

    @Test(arguments: [
        "", "soon", "Sun, 06 Nov 1994 08:49:37", "Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Funday, 06-Nov-94 08:49:37 GMT", "Sun Nov 6 08:49 1994",
        "Sun, 29 Feb 1994 08:49:37 GMT",
    ])
    func refusesMalformedDates(text: String) {
        #expect(HTTPDate.parse(text, now: Self.now) == nil)
    }

    @Test func acceptsLeapDays() {
        #expect(
            HTTPDate.parse("Thu, 29 Feb 2024 00:00:00 GMT", now: Self.now) == Date(timeIntervalSince1970: 1_709_164_800)
        )
    }

    @Test(arguments: [
        ("0", Duration.zero), ("120", .seconds(120)), (" 7 ", .seconds(7)), ("3600", .seconds(3_600)),
        ("3601", .seconds(3_600)), ("99999999999999999999999999", .seconds(3_600)),
    ])
    func deltaSecondsAreClampedToAnHour(header: String, expected: Duration) {
        #expect(RetryAfter.parse(header: header, now: Self.now) == expected)
    }

    @Test(arguments: ["", "-5", "1.5", "5s", "later", "0x10"])
    func garbageIsIgnored(header: String) {
        #expect(RetryAfter.parse(header: header, now: Self.now) == nil)
    }

    @Test func datesInThePastMeanNowAndFarFutureIsCapped() {
        #expect(RetryAfter.parse(header: "Sun, 06 Nov 1994 08:49:37 GMT", now: Self.now) == .zero)
        let later = Self.now.addingTimeInterval(45)
        #expect(
            RetryAfter.parse(header: "Fri, 15 Jan 2027 08:00:45 GMT", now: Self.now)
                == .seconds(later.timeIntervalSince(Self.now)))
        #expect(RetryAfter.parse(header: "Sat, 16 Jan 2027 08:00:00 GMT", now: Self.now) == .seconds(3_600))
    }

    @Test func fractionalSecondsAreClampedAndNaNIgnored() {
        #expect(RetryAfter.seconds(0.25) == .milliseconds(250))
        #expect(RetryAfter.seconds(-3) == .zero)
        #expect(RetryAfter.seconds(1e300) == .seconds(3_600))
        #expect(RetryAfter.seconds(.nan) == nil)
        #expect(RetryAfter.seconds(.infinity) == nil)
    }
}
