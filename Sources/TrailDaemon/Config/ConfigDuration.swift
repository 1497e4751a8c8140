import TrailDelivery

/// A duration as written in the configuration: `90`, `90s`, `500ms`, `5m`, `2h`, `1d`.
///
/// The daemon's sections decode it; a sink kind's section decodes its durations as
/// `TrailDelivery`'s `WrittenDuration`. Both parse with `Decoder.configurationDuration()`.
package struct ConfigDuration: Sendable, Hashable, Decodable, CustomStringConvertible {
    package var duration: Duration

    package init(_ duration: Duration) { self.duration = duration }

    package init?(parsing text: String) {
        guard let duration = Duration(configurationText: text) else { return nil }
        self.duration = duration
    }

    package init(from decoder: any Decoder) throws {
        duration = try decoder.configurationDuration()
    }

    package var description: String { duration.configurationText }
}
