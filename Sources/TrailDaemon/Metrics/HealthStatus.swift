/// The daemon's answer to `GET /healthz`: healthy with a short summary, or unhealthy with the reason.
///
/// The text is for an operator reading `curl` output or a load balancer's log, so it should say
/// what is wrong in a few words ("outbox stuck: oldest pending alert 14 min old"); it must never
/// carry a secret such as a webhook URL.
package enum HealthStatus: Sendable, Hashable {
    /// Answered with 200 and `ok <summary>`.
    case healthy(String)
    /// Answered with 503 and the reason.
    case unhealthy(String)
}
