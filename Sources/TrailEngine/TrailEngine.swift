// TrailEngine: the per-file step every command shares.
//
// `FileEvaluator` reads a file through TrailReader with the rule set's projection in one pass,
// evaluates every rule, and tallies alarm rules' matches per group and minute (`AlarmTally`);
// `AlarmDecision`, `AlarmEpisode` and `AlarmAdmission` are the alarm decisions, pure and
// clock-free. `replay`, `explain`, the daemon and the benchmarks call it, so a rule does in a
// replay exactly what it does live. No SQLite, sockets or logging here: the daemon persists what
// this decides.
