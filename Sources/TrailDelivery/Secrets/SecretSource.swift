/// Where a secret comes from: the configuration itself, an environment variable, or a file
/// (systemd `LoadCredential=`). Resolved when sinks are built (`SecretResolver`), never logged.
package enum SecretSource: Sendable, Hashable {
    case value(String)
    case environment(String)
    case file(String)

    /// The one source a section gives for the secret `key`, as `key`, `key_file` or `key_env`;
    /// nil when it gives none. `path` is the sink's key path, for the error.
    ///
    /// Giving two of them, or an empty one, is refused with `path.key` at fault.
    package static func given(
        _ value: String?, file: String?, environment: String?, key: String, path: String
    ) throws(ConfigurationError) -> SecretSource? {
        let given = [value.map(Self.value), file.map(Self.file), environment.map(Self.environment)]
            .compactMap { $0 }
        guard given.count <= 1 else {
            throw .invalidValue(
                path: "\(path).\(key)", reason: "give only one of \(key), \(key)_file and \(key)_env")
        }
        if let source = given.first {
            switch source {
            case .value(let text), .file(let text), .environment(let text):
                guard !text.isEmpty else {
                    throw .invalidValue(path: "\(path).\(key)", reason: "must not be empty")
                }
            }
        }
        return given.first
    }
}
