/// Substring search over bytes, for `*x*` wildcards and term patterns.
///
/// Knuth–Morris–Pratt: every needle is a pattern literal known at compile time, so its failure
/// table is built once by the compiler, and a search is linear in the haystack whatever the needle
/// (a naive loop degrades to haystack × needle on repetitive text).
enum ByteSearch {
    /// The KMP failure table of `needle`: entry `i` is the length of the longest proper prefix of
    /// `needle[0...i]` that is also its suffix.
    static func failureTable(_ needle: [UInt8]) -> [Int32] {
        var table = [Int32](repeating: 0, count: needle.count)
        var border = 0
        for index in needle.indices.dropFirst() {
            while border > 0 && needle[index] != needle[border] { border = Int(table[border - 1]) }
            if needle[index] == needle[border] { border += 1 }
            table[index] = Int32(border)
        }
        return table
    }

    /// Whether `needle` occurs in `haystack`, given the needle's failure table; the empty needle
    /// occurs everywhere.
    static func contains(
        _ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer, failure: UnsafeBufferPointer<Int32>
    ) -> Bool {
        let count = needle.count
        guard count > 0 else { return true }
        guard haystack.count >= count else { return false }
        var matched = 0
        for byte in haystack {
            while matched > 0 && byte != needle[matched] { matched = Int(failure[matched - 1]) }
            if byte == needle[matched] {
                matched += 1
                if matched == count { return true }
            }
        }
        return false
    }
}
