/// One request a ``WebhookReceiver`` read, with how it was answered.
package struct ReceivedRequest: Sendable, Hashable {
    /// One header line as sent; names keep the sender's case.
    package struct Header: Sendable, Hashable {
        /// The field name.
        package var name: String
        /// The field value, without surrounding whitespace.
        package var value: String

        /// A header `name: value`.
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The method, such as `POST`.
    package var method: String
    /// The request target as sent: the path with its query (`/api/webhooks/1/t?wait=true`).
    package var path: String
    /// Every header in the order sent.
    package var headers: [Header]
    /// The whole body; empty when it was over the receiver's limit and answered 413.
    package var body: [UInt8]
    /// When the request was complete (its last body byte read).
    package var arrival: ContinuousClock.Instant
    /// Which TCP connection carried it, numbered from 1 in accept order, to check connection reuse.
    package var connection: Int
    /// What the receiver answered.
    package var response: ReceiverResponse
    /// How long the receiver waited before carrying out ``response``.
    package var delay: Duration
    /// Whether this was a 2xx repeat of an idempotency key already accepted (see ``ReceiverFaults/dedupeHeader``).
    package var duplicate: Bool

    /// A request as read; the receiver decides ``response``, ``delay`` and ``duplicate``.
    package init(
        method: String,
        path: String,
        headers: [Header],
        body: [UInt8],
        arrival: ContinuousClock.Instant,
        connection: Int,
        response: ReceiverResponse = .hang,
        delay: Duration = .zero,
        duplicate: Bool = false
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.arrival = arrival
        self.connection = connection
        self.response = response
        self.delay = delay
        self.duplicate = duplicate
    }

    /// The first value of header `name`, matched case-insensitively as HTTP requires.
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body decoded as UTF-8 (invalid bytes replaced), for assertions on JSON payloads.
    package var text: String {
        String(decoding: body, as: UTF8.self)
    }
}
