#if canImport(Glibc)
    import Glibc
#endif

/// An `errno` value that can travel in a `Result` and print as `strerror` text.
struct SpoolErrno: Error, Equatable, CustomStringConvertible {
    var code: Int32

    init(_ code: Int32) {
        self.code = code
    }

    var description: String { String(cString: strerror(code)) }
}
