import TrailRules

/// The parts of a CloudTrail log, digest or Insights file name, parsed without Foundation.
///
/// CloudTrail names every object it delivers after the account, the region and the delivery time:
///
/// - logs: `111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz`
/// - Insights: `111122223333_CloudTrail-Insight_us-east-1_20261122T1005Z_Mu0KsOhtH1ar15ZZ.json.gz`
/// - digests: `111122223333_CloudTrail-Digest_us-east-2_my-trail_us-east-2_20160816T230550Z.json.gz`
///   (trail name and home region, then a timestamp with seconds); the log-shaped form
///   `…_CloudTrail-Digest_<region>_<YYYYMMDDTHHmmZ>_<unique>` is accepted too.
///
/// `.json` (uncompressed) is accepted wherever `.json.gz` is. The delivery time is when CloudTrail
/// wrote the file, not when its records happened, which is what the spool orders by: a file's
/// records are all older than its name. Anything that does not fit, down to a 13th minute or a
/// 30th of February, is not a CloudTrail name and `init?(fileName:)` returns nil.
package struct CloudTrailFileName: Sendable, Hashable {
    /// Which CloudTrail product wrote the file; it decides how (and whether) a file is read.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `_CloudTrail_`: a `{"Records":[…]}` file of events.
        case log
        /// `_CloudTrail-Digest_`: an integrity digest; it has no records.
        case digest
        /// `_CloudTrail-Insight_`: Insights events, in the `Records` shape.
        case insight
    }

    /// The 12-digit account id the trail belongs to, as written (leading zeros kept).
    package var account: String
    /// The region segment, e.g. `us-east-1`.
    package var region: String
    /// The delivery time in the name, as seconds since 1970-01-01T00:00:00Z.
    package var deliveryTime: Int64
    /// Log, digest or Insights file.
    package var kind: Kind

    /// Creates a name from its parts, for tests and tools that build names.
    package init(account: String, region: String, deliveryTime: Int64, kind: Kind) {
        self.account = account
        self.region = region
        self.deliveryTime = deliveryTime
        self.kind = kind
    }

    /// Parses the last path component of `fileName` (a bare name or a path both work); nil when it
    /// is not a CloudTrail file name.
    package init?(fileName: String) {
        let name = fileName.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last ?? []
        guard let stem = Self.stripExtension(Array(name)) else { return nil }
        let parts = stem.split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false).map(Array.init)
        guard parts.count >= 5, Self.isAccount(parts[0]), Self.isRegion(parts[2]) else { return nil }
        let kind: Kind
        switch String(decoding: parts[1], as: UTF8.self) {
        case "CloudTrail": kind = .log
        case "CloudTrail-Insight": kind = .insight
        case "CloudTrail-Digest": kind = .digest
        default: return nil
        }
        let time: Int64
        if parts.count == 5, Self.isUnique(parts[4]), let minuteTime = Self.timestamp(parts[3], seconds: false) {
            time = minuteTime
        } else if kind == .digest, parts.count >= 6,
            let secondTime = Self.timestamp(parts[parts.count - 1], seconds: true),
            Self.isRegion(parts[parts.count - 2]),
            parts[3..<(parts.count - 2)].allSatisfy(Self.isTrailNamePart)
        {
            // Trail names may themselves contain `_`, so everything between the two regions is
            // the trail name.
            time = secondTime
        } else {
            return nil
        }
        self.init(
            account: String(decoding: parts[0], as: UTF8.self), region: String(decoding: parts[2], as: UTF8.self),
            deliveryTime: time, kind: kind)
    }

    /// The name without `.json.gz` or `.json`, or nil when it has neither.
    private static func stripExtension(_ name: [UInt8]) -> ArraySlice<UInt8>? {
        for suffix in [Array(".json.gz".utf8), Array(".json".utf8)] where name.count > suffix.count {
            if name.suffix(suffix.count).elementsEqual(suffix) { return name.dropLast(suffix.count) }
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isAccount(_ bytes: [UInt8]) -> Bool { bytes.count == 12 && bytes.allSatisfy(isDigit) }

    private static func isRegion(_ bytes: [UInt8]) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// The random part CloudTrail appends (16 letters and digits in practice; any length here,
    /// because test fixtures and tools shorten it).
    private static func isUnique(_ bytes: [UInt8]) -> Bool { !bytes.isEmpty && bytes.allSatisfy(isAlphanumeric) }

    /// Trail names allow letters, digits, `.`, `-` and `_` (the `_` is what split the parts).
    private static func isTrailNamePart(_ bytes: [UInt8]) -> Bool {
        !bytes.isEmpty
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// Parses `YYYYMMDDTHHmmZ` (or `YYYYMMDDTHHmmssZ` when `seconds`) into seconds since 1970,
    /// rejecting any field out of its calendar range.
    private static func timestamp(_ bytes: [UInt8], seconds: Bool) -> Int64? {
        let length = seconds ? 16 : 14
        guard bytes.count == length, bytes[8] == UInt8(ascii: "T"), bytes[length - 1] == UInt8(ascii: "Z") else {
            return nil
        }
        func number(_ start: Int, _ count: Int) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[start..<(start + count)] {
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), let month = number(4, 2), let day = number(6, 2), let hour = number(9, 2),
            let minute = number(11, 2), let second = seconds ? number(13, 2) : 0
        else { return nil }
        // 1970 keeps delivery times non-negative; CloudTrail itself dates from 2013.
        guard year >= 1970, (1...12).contains(month), day >= 1,
            day <= CivilDate.daysIn(month: Int(month), year: Int(year)),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Int64(CivilDate.days(year: Int(year), month: Int(month), day: Int(day)))
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }
}
