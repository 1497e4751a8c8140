import Foundation
import Testing

/// The durability guarantee under kill -9: a daemon killed at random moments while it works
/// through a backlog, then run to quiescence, has delivered every expected alert; repeats are
/// bounded by one delivery in doubt per kill.
///
/// `TRAILHOUND_KILL_ITERATIONS` sets the number of kills (20 by default; scripts/kill-test.sh
/// runs 100).
@Suite(.serialized)
struct CrashRecoveryTests {
    @Test func killNineAtRandomMomentsLosesNoAlert() throws {
        let iterations = ProcessInfo.processInfo.environment["TRAILHOUND_KILL_ITERATIONS"].flatMap(Int.init) ?? 20
        let daemon = try DaemonHarness()
        var expected: [String] = []
        for file in 0..<80 {
            let ids = (0..<5).map { "kill-\(file)-\($0)" }
            expected += ids
            try daemon.drop(DaemonHarness.name(minute: file % 60, tag: "k\(file)"), DaemonHarness.file(eventIDs: ids))
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<iterations {
            try daemon.start()
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...1.5, using: &generator))
            daemon.stop(signal: SIGKILL)
            // More files keep arriving between crashes.
        }
        try daemon.start()
        let complete = daemon.wait(seconds: 60) { Set(daemon.alertedEventIDs).isSuperset(of: expected) }
        Thread.sleep(forTimeInterval: 1)
        daemon.stop(signal: SIGTERM)
        let delivered = daemon.alertedEventIDs
        #expect(complete)
        #expect(Set(delivered) == Set(expected), "missing: \(Set(expected).subtracting(delivered).sorted().prefix(10))")
        let repeats = delivered.count - Set(delivered).count
        #expect(repeats <= iterations, "\(repeats) repeats over \(iterations) kills")
        print(
            "kill -9: \(iterations) kills, \(expected.count) alerts expected, \(Set(delivered).count) delivered, \(repeats) repeated"
        )
    }
}
