/// What a webhook receiver answered: status, headers and the first bytes of the body.
///
/// The body is capped at ``bodyLimit`` (the sink never reads more, so a hostile or broken
/// receiver cannot make us buffer megabytes); ``isTruncated`` says whether the cap cut it.
package struct WebhookResponse: Sendable {
    /// The most body bytes kept: 64 KiB, enough for any provider's error document.
    package static let bodyLimit = 64 * 1024

    /// The HTTP status code.
    package var status: Int
    /// The response headers in order, names as received.
    package var headers: [(name: String, value: String)]
    /// At most ``bodyLimit`` bytes from the start of the body.
    package var bodyPrefix: [UInt8]
    /// Whether the body was longer than ``bodyLimit`` and cut.
    package var isTruncated: Bool

    /// A response; `body` beyond ``bodyLimit`` is dropped (pass what was read; if the reader
    /// already stopped at the cap, pass `truncated: true`).
    package init(
        status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], truncated: Bool = false
    ) {
        self.status = status
        self.headers = headers
        self.bodyPrefix = Array(body.prefix(Self.bodyLimit))
        self.isTruncated = truncated || body.count > Self.bodyLimit
    }

    /// The first value of header `name`, compared case-insensitively as HTTP requires, or nil.
    package func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The body prefix as text, invalid UTF-8 replaced.
    package var bodyText: String { String(decoding: bodyPrefix, as: UTF8.self) }
}
