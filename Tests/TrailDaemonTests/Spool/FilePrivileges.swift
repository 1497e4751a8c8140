#if canImport(Glibc)
    import Glibc
#endif

/// Runs file-permission tests meaningfully even as root, which bypasses permission bits.
///
/// Linux keeps a per-thread file-system uid; switching it to `nobody` for the duration of a
/// synchronous body makes permission checks apply to that thread alone, leaving parallel tests
/// untouched. Glibc's module map does not export `setfsuid`, so it is looked up by name.
enum FilePrivileges {
    private typealias SetFileSystemUID = @convention(c) (UInt32) -> Int32

    private static let setfsuid: SetFileSystemUID? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "setfsuid") else { return nil }
        return unsafeBitCast(symbol, to: SetFileSystemUID.self)
    }()

    /// Runs `body` (synchronously, on this thread) with the file-system uid of `nobody` when the
    /// process is root; as anyone else it just runs `body`.
    static func asNobody<T>(_ body: () throws -> T) rethrows -> T {
        guard geteuid() == 0, let setfsuid else { return try body() }
        let previous = setfsuid(65_534)
        defer { _ = setfsuid(UInt32(previous)) }
        return try body()
    }
}
