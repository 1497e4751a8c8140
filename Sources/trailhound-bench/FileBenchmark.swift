import Foundation
import TrailEngine
import TrailRules

/// `trailhound-bench files [--passes N] [--rules DIR] FILE…`: the per-file step exactly as
/// `trailhound replay --jobs 1` runs it (`FileEvaluator`: open, inflate, frame and project in one
/// pass, evaluate every rule, tally alarm matches), on one core, with a rule pack (the bundled
/// one by default). Reports the best time and throughput, and the alerts and alarm minutes seen.
enum FileBenchmark {
    static func run(_ paths: [String], rules directory: String, passes: Int) throws {
        let (rules, diagnostics) = RuleLoader.load([directory])
        if let error = diagnostics.first(where: { $0.severity == .error }) {
            print("cannot load \(directory): \(error)")
            return
        }
        let evaluator = FileEvaluator(rules: RuleSet(rules.filter(\.enabled)))
        let now = Int(Date().timeIntervalSince1970)  // as replay: matches admitted against the start
        var records = 0
        var alerts = 0
        var minutes = 0
        let seconds = try EngineBenchmark.best(of: passes) {
            records = 0
            alerts = 0
            minutes = 0
            for path in paths {
                let evaluation = try evaluator.evaluate(path: path, now: now)
                records += evaluation.records
                alerts += evaluation.alerts.count
                minutes += evaluation.alarms.values.reduce(0) { $0 + $1.minutes.count }
            }
        }
        print("files: \(paths.count) files, \(records) records, \(rules.count) rules (\(directory))")
        print(
            "replay's per-file step: \(EngineBenchmark.format(seconds * 1000)) ms  "
                + "\(EngineBenchmark.format(Double(records) / seconds / 1000)) k records/s  "
                + "\(alerts) alerts, \(minutes) alarm minutes")
        print("seconds: \(seconds)")
        print("peak RSS: \(ReaderBenchmark.peakResidentKiB() / 1024) MiB")
    }
}
