package import TrailDelivery

extension StdoutSection {
    /// The stdout sink's keys as written (`type: stdout`): `format`.
    package struct Written: WrittenSinkSection {
        var format: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case format
        }

        /// `stdout`.
        package static let types = ["stdout"]
        /// `format`.
        package static let keys = CodingKeys.allCases.map(\.rawValue)

        /// `format`, the one key it has.
        package static func keys(for type: String) -> [String] { keys }

        /// The format, `auto` when none is given.
        package func validated(type: String, path: String) throws(ConfigurationError) -> StdoutSection {
            let format = self.format ?? "auto"
            guard let value = Format(rawValue: format) else {
                throw .invalidValue(path: path + ".format", reason: "`\(format)` is not auto, json or text")
            }
            return StdoutSection(format: value)
        }
    }
}
