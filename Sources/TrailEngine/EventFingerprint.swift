/// A record's `eventID` in 16 bytes, so alarm state remembers which events it counted (a record
/// CloudTrail delivers twice counts once) without keeping the ids as strings.
///
/// Exact (but for one bit) for the ids CloudTrail writes (UUIDs, whose bits are the fingerprint) and for any
/// id of up to 15 bytes (kept as they are, with their length); a longer id of another shape is
/// hashed (two independent 64-bit FNV-1a hashes), where two ids sharing a fingerprint is as likely
/// as two random 128-bit values being equal.
package struct EventFingerprint: Sendable, Hashable, Comparable {
    package var high: UInt64
    package var low: UInt64

    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The fingerprint of a string's UTF-8 bytes (a group name: the daemon keys alarm state by it),
    /// read as one buffer: the generic init over `String.UTF8View` from another module walks it
    /// index by index, and a commit fingerprints a thousand groups.
    package init(_ string: String) {
        var string = string
        self = string.withUTF8 { EventFingerprint($0) }
    }

    /// The fingerprint of the id's bytes (decoded, as the record means it).
    package init(_ id: some Collection<UInt8>) {
        if let uuid = Self.uuid(id) {
            self = uuid
            return
        }
        if id.count <= 15 {
            // Tagged with the length in the top byte of `high`, which a UUID's bytes can share
            // only by coincidence with a short id's, and then the tag differs: a UUID was parsed.
            var bytes = [UInt8](repeating: 0, count: 16)
            bytes[0] = UInt8(id.count) | 0x80
            for (offset, byte) in id.enumerated() { bytes[offset + 1] = byte }
            self.init(high: Self.word(bytes[0..<8]), low: Self.word(bytes[8..<16]))
            return
        }
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x6c62_272e_07bb_0142
        for byte in id {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = second ^ (second >> 29)
        }
        self.init(high: first | (1 << 63), low: second)
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }

    /// The 128 bits of `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex of either case), with the top bit
    /// cleared so that no UUID shares a fingerprint with a short or hashed id.
    private static func uuid(_ id: some Collection<UInt8>) -> EventFingerprint? {
        guard id.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (offset, byte) in id.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if digits < 16 {
                high = high << 4 | UInt64(value)
            } else {
                low = low << 4 | UInt64(value)
            }
            digits += 1
        }
        // Upper and lower case spell the same UUID. The top bit is given up to keep the kinds
        // apart: two UUIDs that differ in it alone share a fingerprint, which is as likely as two
        // random 127-bit values being equal.
        return EventFingerprint(high: high & ~(1 << 63), low: low)
    }

    private static func word(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
