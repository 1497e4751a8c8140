/// Something that signs a webhook body: the headers to add to a request carrying it.
///
/// Signing is a pure function of the delivery id, the timestamp and the exact body bytes, so a
/// retry of the same outbox row with the same timestamp sends the same signature.
package protocol WebhookSigner: Sendable {
    /// The headers (name, value) that authenticate `body`, sent as delivery `id` at `timestamp`
    /// (Unix seconds).
    func headers(id: String, timestamp: Int, body: [UInt8]) -> [(String, String)]
}
