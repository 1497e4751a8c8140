/// How a ``WebhookReceiver`` answered one request, as recorded in ``ReceivedRequest/response``.
package enum ReceiverResponse: Sendable, Hashable {
    /// An HTTP answer with this status (decided; a delayed answer may not have reached the client).
    case status(Int)
    /// The connection was closed with a reset instead of an answer.
    case reset
    /// No answer: the request was left hanging until the client or ``WebhookReceiver/goDown()`` closed it.
    case hang

    /// Whether this is a 2xx answer, one a sender counts as delivered.
    package var isSuccess: Bool {
        if case .status(let code) = self { (200..<300).contains(code) } else { false }
    }
}
