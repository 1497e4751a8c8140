import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads secrets from where the configuration says they are. Errors name the key and the
/// source (variable or file), never the value.
///
/// Relative file names are looked up in `$CREDENTIALS_DIRECTORY` when systemd set it
/// (`LoadCredential=slack-url:/etc/trailhound/slack-url` gives `url_file: slack-url`), else next to
/// the configuration file. A secret file must be a regular file owned by root or the running user
/// and not readable or writable by others (mode 0600 or 0640), the same rule as the config file.
package struct SecretResolver: Sendable {
    let environment: [String: String]
    let configurationDirectory: String?

    package init(environment: [String: String], configurationDirectory: String?) {
        self.environment = environment
        self.configurationDirectory = configurationDirectory
    }

    /// The secret's value, trimmed of surrounding whitespace (files usually end in a newline).
    /// `path` is the configuration key path, for the error.
    package func resolve(
        _ source: SecretSource, path: String
    ) throws(ConfigurationError) -> String {
        let value: String
        switch source {
        case .value(let text):
            value = text
        case .environment(let name):
            guard let text = environment[name] else {
                throw .invalidValue(path: path, reason: "the environment variable \(name) is not set")
            }
            value = text
        case .file(let name):
            value = try read(file: self.path(of: name), key: path)
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidValue(path: path, reason: "the secret is empty") }
        return trimmed
    }

    /// Where a `*_file` name points.
    package func path(of name: String) -> String {
        if name.hasPrefix("/") { return name }
        if let credentials = environment["CREDENTIALS_DIRECTORY"], !credentials.isEmpty {
            return credentials + "/" + name
        }
        return (configurationDirectory.map { $0.isEmpty ? "." : $0 } ?? ".") + "/" + name
    }

    private func read(file: String, key: String) throws(ConfigurationError) -> String {
        switch TrustedFile.problem(file, forbidden: 0o027, regular: true) {
        case .unreadable(let reason):
            throw .invalidValue(path: key, reason: "cannot read \(file): \(reason)")
        case .notRegular:
            throw .invalidValue(path: key, reason: "\(file) is not a regular file")
        case .mode(let mode):
            throw .invalidValue(
                path: key,
                reason:
                    "\(file) is readable or writable by others (mode \(String(mode, radix: 8))); run `chmod 600 \(file)`"
            )
        case .foreignOwner:
            throw .invalidValue(path: key, reason: "\(file) must be owned by root or by the user trailhound runs as")
        case nil:
            break
        }
        guard let data = FileManager.default.contents(atPath: file), data.count <= 64 * 1024 else {
            throw .invalidValue(path: key, reason: "cannot read \(file) (or it is over 64 KiB)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
