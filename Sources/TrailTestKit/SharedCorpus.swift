package import Foundation

/// Where `../shared/corpus` is, beside the repository: real data nobody here wrote, for
/// integration tests that skip (with a message) on a checkout without it.
package enum SharedCorpus {
    /// The repository's root.
    package static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    package static let root = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    package static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("SOURCES.md").path)
    }

    /// The path of `relative` inside the corpus.
    package static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}
