// TrailDaemon: the long-running service behind `trailhound run`.
//
// It owns everything between the spool directory and the sinks: configuration (two stages), the
// spool watcher (a state machine fed by inotify and rescans), the ledger (SQLite through GRDB:
// which files are done, the outbox of alerts, alarm windows), the router and the outbox
// dispatchers, the stdout sink, sd_notify, and metrics. The durability argument is in
// architecture.md: a file is a unit, and one transaction marks it done and enqueues its alerts.
