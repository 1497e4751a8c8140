/// A compiled regex: a Thompson NFA over bytes plus the byte equivalence classes the lazy DFA indexes by.
///
/// Immutable once built, so one program is shared by every matcher created from a `FilterRegex`.
final class RegexProgram: Sendable {
    /// What one NFA instruction does.
    enum Opcode: UInt8, Sendable {
        /// Epsilon transition to both `next` and `alt`.
        case split
        /// Consume one byte in `byteSets[set]`, then go to `next`.
        case byteSet
        /// Consume one whole character of a class that includes non-ASCII characters: an ASCII byte in
        /// `byteSets[set]`, or a UTF-8 lead byte that continues in the nine `continuation` instructions that
        /// always follow this one, or a lone invalid byte. Goes to `next` once the character is complete.
        case character
        /// Inside a multi-byte character: consume a byte in `byteSets[set]` and go to `next`; or, when the next
        /// byte is not in the set (or input ends), the character was a truncated sequence that ends here, so
        /// continue at `alt` without consuming. This one-byte lookahead makes invalid UTF-8 split into characters
        /// exactly as the standard library's "maximal subpart" decoding does.
        case continuation
        /// Epsilon to `next`, only at input position 0.
        case assertStart
        /// Epsilon to `next`, only at the end of the input.
        case assertEnd
        /// The regex has matched.
        case match
    }

    /// One NFA instruction; unused operands are zero.
    struct Instruction: Sendable {
        var opcode: Opcode
        var set: Int32 = 0
        var next: Int32 = 0
        var alt: Int32 = 0
    }

    /// Number of `continuation` instructions emitted after each `character` instruction.
    static let continuationCount: Int32 = 9

    let instructions: [Instruction]
    let byteSets: [RegexByteSet]
    let start: Int32
    /// Maps each byte to its equivalence class: bytes in one class are indistinguishable to every instruction.
    let byteClasses: [UInt8]
    let byteClassCount: Int
    /// Whether the regex matches the empty input (where `^` and `$` hold at once); computed once at compile time.
    let matchesEmptyInput: Bool

    init(
        instructions: [Instruction], byteSets: [RegexByteSet], start: Int32, byteClasses: [UInt8],
        byteClassCount: Int, matchesEmptyInput: Bool
    ) {
        self.instructions = instructions
        self.byteSets = byteSets
        self.start = start
        self.byteClasses = byteClasses
        self.byteClassCount = byteClassCount
        self.matchesEmptyInput = matchesEmptyInput
    }

    /// Where a `character` instruction goes on a byte >= 0x80: 0 means the byte is a complete (invalid,
    /// single-byte) character; 1...9 is the offset of the continuation instruction expecting the rest.
    ///
    /// Offsets: 1 two-byte tail; 2, 3, 4 second byte of E0 / E1–EC,EE–EF / ED; 5 last byte of a three-byte
    /// sequence; 6, 7, 8 second byte of F0 / F1–F3 / F4; 9 third byte of a four-byte sequence.
    static func leadTarget(_ byte: UInt8) -> Int32 {
        switch byte {
        case 0xC2...0xDF: 1
        case 0xE0: 2
        case 0xE1...0xEC, 0xEE...0xEF: 3
        case 0xED: 4
        case 0xF0: 6
        case 0xF1...0xF3: 7
        case 0xF4: 8
        default: 0
        }
    }
}
