/// A sink that cannot be built: which one, which key, and why (secrets are never in the reason).
package struct SinkError: Error, Sendable, CustomStringConvertible {
    /// The sink's name.
    package var sink: String
    /// The key at fault (`sinks[0].url`).
    package var path: String
    /// Why, without the secret.
    package var reason: String

    /// The error for `sink`'s key `path`.
    package init(sink: String, path: String, reason: String) {
        self.sink = sink
        self.path = path
        self.reason = reason
    }

    /// One line: the sink, the key and the reason.
    package var description: String { "sink `\(sink)`: `\(path)`: \(reason)" }
}
