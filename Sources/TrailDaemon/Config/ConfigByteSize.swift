import TrailDelivery

/// A size as written in the configuration: `1048576`, `512KiB`, `16MiB`, `4GiB`.
package struct ConfigByteSize: Sendable, Hashable, Decodable {
    package var bytes: Int

    package init(bytes: Int) { self.bytes = bytes }

    package init?(parsing text: String) {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int(digits) else { return nil }
        let scale: Int
        switch text.dropFirst(digits.count).trimmingPrefix(" ") {
        case "", "B": scale = 1
        case "KiB", "K": scale = 1 << 10
        case "MiB", "M": scale = 1 << 20
        case "GiB", "G": scale = 1 << 30
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        bytes = product
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bytes = try? container.decode(Int.self) {
            self.bytes = bytes
            return
        }
        let text = try container.decode(String.self)
        guard let parsed = ConfigByteSize(parsing: text) else {
            throw ConfigurationError.invalidValue(
                path: ConfigurationError.keyPath(decoder.codingPath),
                reason: "`\(text)` is not a size (use e.g. 512KiB, 16MiB, 4GiB)")
        }
        self = parsed
    }
}
