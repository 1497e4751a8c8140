import TrailTestKit

/// A temporary spool directory for one test, created at once and removed (whatever a test locked
/// down in it) when the value goes away: a `TemporaryDirectory` whose lifetime is the object's.
final class SpoolTestDirectory {
    private let directory = TemporaryDirectory("trailhound-spool")
    var path: String { directory.path }

    init() throws {
        try directory.create()
    }

    deinit {
        directory.remove()
    }

    func absolute(_ relative: String) -> String { path + "/" + relative }

    /// Creates a directory (and its parents) below the root.
    func makeDirectory(_ relative: String) throws {
        try directory.create(relative)
    }

    /// Writes `bytes` bytes (`A`s) to a file below the root with one open/write/close, creating
    /// parents.
    @discardableResult
    func write(_ relative: String, bytes: Int = 10) throws -> String {
        try directory.write(relative, [UInt8](repeating: 0x41, count: bytes))
    }
}
