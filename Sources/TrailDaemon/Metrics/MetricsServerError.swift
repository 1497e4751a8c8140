/// Why the metrics server could not serve: the address it tried and the cause.
package struct MetricsServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The address as `HOST:PORT`.
    package var address: String
    /// The cause in words (the socket error).
    package var cause: String

    /// An error for `address`.
    package init(address: String, cause: String) {
        self.address = address
        self.cause = cause
    }

    /// One line: `cannot listen for metrics on ADDRESS: CAUSE`, with the usual fix.
    package var description: String {
        "cannot listen for metrics on \(address): \(cause); choose a free port in `metrics.listen` or stop what holds it"
    }
}
