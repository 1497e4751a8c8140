package import TrailDelivery

/// The kinds of webhook receiver trailhound speaks to; each answers a little differently. The
/// configuration names them (`type: slack`).
package enum WebhookProvider: String, Sendable, Hashable, CaseIterable {
    case slack, teams, discord, pagerduty, webhook

    /// The provider's documented rate (operations.md §2), used when the sink sets none.
    package var defaultRate: Rate? {
        switch self {
        case .slack: Rate(perSecond: 1, burst: 3)
        case .teams: Rate(perSecond: 1, burst: 4)
        case .discord: Rate(perSecond: 0.5, burst: 5)
        case .pagerduty: Rate(perSecond: 2, burst: 10)
        case .webhook: nil
        }
    }

    /// Chat channels get digests by default: a flood there is read by people.
    package var defaultGroupWindow: Duration? {
        switch self {
        case .slack, .teams, .discord: .seconds(60)
        case .pagerduty, .webhook: nil
        }
    }
}
