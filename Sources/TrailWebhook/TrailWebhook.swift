// TrailWebhook: the network sinks (Slack, Teams, Discord, PagerDuty, generic signed JSON).
//
// It sits above the daemon core, which owns the outbox and the `AlertSink` protocol and knows
// nothing of HTTP. This module renders each provider's payload (within its documented limits),
// signs generic webhooks the Standard Webhooks way, checks destinations against SSRF (https
// only, no metadata addresses, the validated address pinned), and turns HTTP answers into
// delivery decisions: retry, dead, or disable the destination.
