/// Comparison whose running time does not depend on where two byte strings first differ, so a
/// receiver checking signatures does not tell an attacker how many leading bytes were right.
enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes; only the lengths leak, and MAC lengths are public.
    static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
