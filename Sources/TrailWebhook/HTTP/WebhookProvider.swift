package import TrailDaemon

/// The kinds of webhook receiver trailhound speaks to; each answers a little differently. The
/// configuration names them (`type: slack`), so this is the configuration's enum.
package typealias WebhookProvider = DaemonConfiguration.Webhook.Provider
