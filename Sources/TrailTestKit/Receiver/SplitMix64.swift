/// A small deterministic generator, so a receiver's faults (and tests' shuffles and bodies) come
/// out the same for the same seed.
///
/// Not `SystemRandomNumberGenerator`: a failing run must be replayable from its seed.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// A uniform value in `0..<1` from the top 53 bits, the precision of a `Double`.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
