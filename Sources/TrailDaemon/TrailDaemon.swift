// TrailDaemon: the long-running service behind `trailhound run`.
//
// It owns everything between the spool directory and the sinks: configuration (two stages; a
// sink's common keys here, each kind's own section beside its sink, composed through
// `TrailDelivery`'s `SinkKinds`), the spool watcher (a state machine fed by inotify and rescans),
// the ledger (SQLite through GRDB: which files are done, the outbox of alerts, alarm windows),
// the router and the outbox dispatchers, the stdout sink, sd_notify, and metrics. It runs any
// `AlertSink` and knows no concrete sink but stdout. The durability argument is in
// architecture.md: a file is a unit, and one transaction marks it done and enqueues its alerts.
