import Foundation
import TrailTestKit

/// Runs the built `trailhound` (`DaemonHarness.binary`) to its end, for every process test: its
/// output in files, so that neither stream can fill a pipe and stall it, and its end awaited
/// with sleeps, so that no thread of the cooperative pool (two on this machine) is blocked
/// meanwhile.
enum BinaryRun {
    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs `trailhound ARGUMENTS` with `input` (or nothing) on standard input. `wrapper` (such
    /// as `setpriv …` or `prlimit …`, ending in `--`) runs it under other credentials or limits.
    /// A command still running after `deadline` is terminated.
    static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], wrapper: [String] = [],
        deadline: Duration = .seconds(60)
    ) async throws -> Result {
        let temporary = TemporaryDirectory("trailhound-run")
        defer { temporary.remove() }
        let directory = try temporary.create()
        let outputPath = directory + "/stdout"
        let errorPath = directory + "/stderr"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        let command = [DaemonHarness.binary] + arguments
        process.executableURL = URL(fileURLWithPath: wrapper.first ?? DaemonHarness.binary)
        process.arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + command
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let input {
            let inputPath = directory + "/stdin"
            try input.write(toFile: inputPath, atomically: true, encoding: .utf8)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        let end = ContinuousClock.now + deadline
        while process.isRunning && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.terminate()
            while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        }
        return Result(
            status: process.terminationStatus,
            output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            error: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }

    /// The repository's bundled rules and sample spool (the binary finds the rules on its own).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
