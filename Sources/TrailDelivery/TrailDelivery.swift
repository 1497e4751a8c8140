// TrailDelivery: the delivery vocabulary, what sinks and the daemon agree on.
//
// The `AlertSink` protocol and `DeliveryResult`, the in-doubt policy and token-bucket rate of a
// sink, redacted secrets and where they come from (`Secret`, `SecretSource`, `SecretResolver`),
// and the contract of a sink kind's configuration section (`WrittenSinkSection`, `SinkSection`,
// `SinkKinds`) with the strict decoding and `ConfigurationError` it reports with. Interfaces sit
// at the bottom (architecture.md): `TrailDaemon` runs sinks and `TrailWebhook` implements them,
// and neither depends on the other. No I/O beyond reading a secret; no networking, no logging.
