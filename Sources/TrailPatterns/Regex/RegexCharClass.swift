/// The set of characters one regex atom matches.
///
/// Every explicit member is ASCII (the body may not contain other characters), so a class is a 128-bit ASCII set
/// plus a single flag for "every non-ASCII character". Negated classes, `.`, `\D`, `\W` and `\S` set that flag;
/// nothing can select individual non-ASCII characters.
struct RegexCharClass: Hashable, Sendable {
    /// Members 0x00–0x3F.
    private(set) var low: UInt64 = 0
    /// Members 0x40–0x7F.
    private(set) var high: UInt64 = 0
    /// Whether every non-ASCII character (and every invalid UTF-8 unit) is a member.
    var includesNonASCII = false

    init() {}

    init(byte: UInt8) {
        insert(byte)
    }

    init(range lower: UInt8, _ upper: UInt8) {
        insert(range: lower, upper)
    }

    /// Whether the ASCII byte `byte` is a member; always false for bytes >= 0x80.
    func contains(ascii byte: UInt8) -> Bool {
        switch byte {
        case 0..<64: low & (1 << UInt64(byte)) != 0
        case 64..<128: high & (1 << UInt64(byte - 64)) != 0
        default: false
        }
    }

    mutating func insert(_ byte: UInt8) {
        switch byte {
        case 0..<64: low |= 1 << UInt64(byte)
        case 64..<128: high |= 1 << UInt64(byte - 64)
        default: includesNonASCII = true
        }
    }

    mutating func insert(range lower: UInt8, _ upper: UInt8) {
        guard lower <= upper else { return }
        for byte in lower...upper {
            insert(byte)
        }
    }

    mutating func formUnion(_ other: RegexCharClass) {
        low |= other.low
        high |= other.high
        includesNonASCII = includesNonASCII || other.includesNonASCII
    }

    /// The complement within "all characters", including the non-ASCII flag.
    func inverted() -> RegexCharClass {
        var result = RegexCharClass()
        result.low = ~low
        result.high = ~high
        result.includesNonASCII = !includesNonASCII
        return result
    }

    /// The ASCII members as a byte set (bytes >= 0x80 are never included; UTF-8 decoding handles those).
    var asciiByteSet: RegexByteSet {
        RegexByteSet(low: low, high: high)
    }

    /// `\d`: the ASCII digits.
    static let digits = RegexCharClass(range: 0x30, 0x39)

    /// `\s`: tab, newline, vertical tab, form feed, carriage return and space (ASCII only, never Unicode spaces).
    static let space: RegexCharClass = {
        var set = RegexCharClass(range: 0x09, 0x0D)
        set.insert(0x20)
        return set
    }()

    /// `\w`: ASCII letters, digits and underscore.
    static let word: RegexCharClass = {
        var set = RegexCharClass(range: 0x61, 0x7A)
        set.insert(range: 0x41, 0x5A)
        set.insert(range: 0x30, 0x39)
        set.insert(0x5F)
        return set
    }()

    /// `.`: any character except newline.
    static let dot: RegexCharClass = {
        var set = RegexCharClass(byte: 0x0A).inverted()
        set.includesNonASCII = true
        return set
    }()

    /// Every character, used for the unanchored-search prefix loop.
    static let any = RegexCharClass().inverted()
}
