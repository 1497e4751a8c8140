import Foundation

/// A directory of a test's own under the system's temporary directory, made on first use: the
/// one helper tests use instead of building paths by hand. It is left behind for a failing
/// test's files to be looked at; the system cleans its temporary directory.
package struct TemporaryDirectory: Sendable {
    /// The directory's path (not yet created: `create()`, `write` and `path(_:)` create it).
    package let path: String

    /// A new directory whose name starts with `prefix` (to tell tests' directories apart).
    package init(_ prefix: String = "trailhound") {
        path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
    }

    /// Creates the directory (and `subdirectory` in it); returns its path.
    @discardableResult
    package func create(_ subdirectory: String = "") throws -> String {
        let target = subdirectory.isEmpty ? path : path + "/" + subdirectory
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return target
    }

    /// The path of `name` in the directory, which is created.
    package func path(_ name: String) throws -> String {
        try create(name.lastIndex(of: "/").map { String(name[..<$0]) } ?? "")
        return path + "/" + name
    }

    /// Writes `bytes` to `name` in the directory; returns the file's path.
    @discardableResult
    package func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = try path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes `text` to `name` in the directory; returns the file's path.
    @discardableResult
    package func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    /// Removes the directory and everything in it.
    package func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
