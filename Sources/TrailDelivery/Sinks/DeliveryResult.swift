/// What a sink says about one attempt.
package enum DeliveryResult: Sendable, Hashable {
    case delivered
    /// A transient failure; `after` is the receiver's own hint (`Retry-After`), if any.
    case retry(after: Duration?, reason: String)
    /// The receiver refuses this payload for good (HTTP 400, 403, 404, …): the alert is dead.
    case rejected(reason: String)
    /// The destination is gone (HTTP 410, Discord 404): stop sending to it until an operator
    /// fixes the configuration. The alert stays pending, so nothing is lost.
    case disable(reason: String)
}
