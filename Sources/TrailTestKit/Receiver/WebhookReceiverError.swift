/// A ``WebhookReceiver`` could not listen: the port is taken, or the receiver was shut down.
package struct WebhookReceiverError: Error, CustomStringConvertible {
    /// The port it tried to listen on (0 for "any").
    package var port: Int
    /// Why, in words.
    package var reason: String

    /// One line for the test log, naming the address.
    package var description: String {
        "webhook receiver cannot listen on 127.0.0.1:\(port): \(reason)"
    }
}
