/// The AWS shared `config` and `credentials` files, as every AWS SDK and the CLI read them: INI
/// sections of `key = value`, `[default]` and `[profile NAME]` in `config`, `[NAME]` in
/// `credentials`, `[services NAME]` for per-service settings, and indented sub-keys under a key
/// with no value (`s3 =` then `  addressing_style = path`), kept as `s3.addressing_style`.
///
/// Lines starting with `#` or `;` are comments, and so is the rest of a line after ` #` or ` ;`.
package struct AWSSharedConfig: Sendable, Hashable {
    /// Profiles by name: `config`'s settings, with `credentials`' keys over them.
    package var profiles: [String: [String: String]] = [:]
    /// `[services NAME]` sections by name.
    package var services: [String: [String: String]] = [:]

    package init() {}

    /// What a file said that cannot be read: which file, which line, why.
    package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        package var file: String
        package var line: Int
        package var reason: String

        package var description: String { "\(file):\(line): \(reason)" }
    }

    /// Reads `config` (its text and where it came from, for errors) and then `credentials`,
    /// whose keys win over the config's for the same profile, as in the SDKs.
    package init(config: (text: String, path: String)?, credentials: (text: String, path: String)?) throws(ParseError) {
        if let config { try read(config.text, path: config.path, isCredentials: false) }
        if let credentials { try read(credentials.text, path: credentials.path, isCredentials: true) }
    }

    private mutating func read(_ text: String, path: String, isCredentials: Bool) throws(ParseError) {
        enum Section {
            case profile(String)
            case service(String)
            case ignored
        }
        var section: Section?
        var parent: String?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            let indented = line.first == " " || line.first == "\t"
            line = Self.withoutComment(line)
            let content = line.trimmingWhitespace()
            if content.isEmpty || content.first == "#" || content.first == ";" { continue }
            if content.first == "[" {
                guard content.last == "]" else {
                    throw ParseError(file: path, line: number, reason: "a section header must end with `]`")
                }
                let name = content.dropFirst().dropLast().trimmingWhitespace()
                parent = nil
                if isCredentials {
                    section = .profile(String(name))
                } else if name == "default" {
                    section = .profile("default")
                } else if name.hasPrefix("profile ") {
                    section = .profile(String(name.dropFirst("profile ".count).trimmingWhitespace()))
                } else if name.hasPrefix("services ") {
                    section = .service(String(name.dropFirst("services ".count).trimmingWhitespace()))
                } else {
                    // `[sso-session …]` and others this client does not use.
                    section = .ignored
                }
                continue
            }
            guard let current = section else {
                throw ParseError(file: path, line: number, reason: "a setting before any [section]")
            }
            guard let equals = content.firstIndex(of: "=") else {
                throw ParseError(file: path, line: number, reason: "expected `key = value`")
            }
            var key = String(content[..<equals].trimmingWhitespace()).lowercased()
            let value = String(content[content.index(after: equals)...].trimmingWhitespace())
            if indented, let parent {
                key = parent + "." + key
            } else if value.isEmpty {
                parent = key
                continue
            } else {
                parent = nil
            }
            switch current {
            case .profile(let name): profiles[name, default: [:]][key] = value
            case .service(let name): services[name, default: [:]][key] = value
            case .ignored: break
            }
        }
    }

    /// The line without an inline comment (` #` or ` ;` and what follows).
    private static func withoutComment(_ line: Substring) -> Substring {
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if (character == "#" || character == ";") && (previous == " " || previous == "\t") && index != line.startIndex {
                return line[..<index]
            }
            previous = character
        }
        return line
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
