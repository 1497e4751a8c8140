/// Substring search over bytes, for `*x*` wildcards and term patterns.
enum ByteSearch {
    /// Whether `needle` occurs in `haystack`; the empty needle occurs everywhere.
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        let count = needle.count
        guard count > 0 else { return true }
        guard haystack.count >= count else { return false }
        let first = needle[0]
        let last = haystack.count - count
        var index = 0
        while index <= last {
            if haystack[index] == first
                && (count == 1
                    || PatternSemantics.memcmpRaw(haystack.baseAddress! + index + 1, needle.baseAddress! + 1, count - 1))
            {
                return true
            }
            index &+= 1
        }
        return false
    }
}
