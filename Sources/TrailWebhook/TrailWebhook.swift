// TrailWebhook: the network sinks (Slack, Teams, Discord, PagerDuty, generic signed JSON).
//
// It implements the delivery vocabulary (`TrailDelivery`: `AlertSink`, `DeliveryResult`,
// `Secret`, the sink section contract) and knows nothing of the daemon that runs it. This module
// owns the webhook sinks' configuration section (`WebhookSection`: keys, validation, each
// provider's default rate and group window), renders each provider's payload (within its
// documented limits), signs generic webhooks the Standard Webhooks way, checks destinations
// against SSRF (https only, no metadata addresses, the validated address pinned), and turns HTTP
// answers into delivery decisions: retry, dead, or disable the destination.
