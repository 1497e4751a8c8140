import Foundation
import GRDB
import Testing
import TrailTestKit

/// A real daemon on a real spool, put through an operator's bad day: descriptors run out, a file
/// is unreadable for a while, a bad file is repaired in place, a second copy of the service
/// starts, a directory is misconfigured, a download fails, a name carries a newline, a ledger
/// comes from a newer version, the state directory is read-only. Each test guards one way an
/// alert was lost, repeated or hidden while `/healthz` said ok.
@Suite(.serialized)
struct OperatorFaultTests {
    // MARK: Transient errors are retried, never quarantined

    @Test("A file the service user cannot read yet is retried and shown, then read once it can be, without a restart")
    func unreadableFileIsRetriedUntilItCanBeRead() async throws {
        guard DaemonHarness.canRunAsNobody else {
            print("skipped: needs root and setpriv to run the daemon as an unprivileged user")
            return
        }
        let harness = try DaemonHarness(extra: try DaemonHarness.metricsSection(), logFormat: "json")
        try harness.giveStateToNobody()
        let notify = try NotifySocket(path: harness.root + "/notify.sock")
        #expect(chmod(harness.root + "/notify.sock", 0o666) == 0)
        try harness.start(
            environment: ["NOTIFY_SOCKET": harness.root + "/notify.sock"], wrapper: DaemonHarness.asNobody)
        defer { harness.stop() }
        let port = try #require(await harness.metricsPort(), "no metrics port; log: \(harness.stderr.suffix(2000))")

        // Root's file, mode 600, renamed in complete: the daemon (nobody) gets EACCES.
        let path = DaemonHarness.name(minute: 1, tag: "private")
        let target = harness.spool + "/" + path
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(DaemonHarness.file(eventIDs: ["held-back"])).write(to: URL(fileURLWithPath: target + ".part"))
        #expect(chmod(target + ".part", 0o600) == 0)
        #expect(rename(target + ".part", target) == 0)
        let warned = await harness.waitAsync {
            harness.logged("File cannot be read now; will retry. Its alerts wait until it can be read.")
                .contains { $0["th.file"] as? String == path }
        }
        #expect(warned, "log: \(harness.stderr.suffix(3000))")
        let unhealthy = DaemonHarness.health(port: port)
        #expect(unhealthy.status == 503, "\(unhealthy)")
        #expect(unhealthy.body.contains(path) && unhealthy.body.contains("Permission denied"), "\(unhealthy.body)")
        let status = try await harness.statusJSON()
        let unreadable = status["unreadable"] as? [[String: Any]] ?? []
        #expect(unreadable.contains { $0["path"] as? String == path && $0["kind"] as? String == "file" }, "\(status)")
        #expect(status["filesQuarantined"] as? Int == 0)
        let said = await notify.wait {
            $0.contains { $0.hasPrefix("STATUS=") && $0.contains("1 spool entry cannot be read, retrying") }
        }
        #expect(said, "systemd's STATUS= does not say a file cannot be read")
        // Retried with backoff, logged once.
        try await Task.sleep(for: .seconds(3))
        #expect(
            harness.logged("File cannot be read now; will retry. Its alerts wait until it can be read.").count == 1)

        // The operator fixes the mode: the ctime changes, the file is read at once.
        #expect(chmod(harness.spool + "/" + path, 0o644) == 0)
        #expect(await harness.waitAsync(seconds: 10) { harness.alertedEventIDs.contains("held-back") })
        #expect(await harness.waitAsync { DaemonHarness.health(port: port).status == 200 })
        #expect(harness.logged("File can be read again.").contains { $0["th.file"] as? String == path })
        #expect(harness.logged("File quarantined.").isEmpty)
        let after = try await harness.statusJSON()
        #expect((after["unreadable"] as? [Any])?.isEmpty == true, "\(after)")
        #expect(after["filesDone"] as? Int == 1)
    }

    @Test("A spool directory the service cannot list is shown, even after a restart, and its files read once it can be")
    func unlistableDirectoryIsShownUntilItCanBeListed() async throws {
        guard DaemonHarness.canRunAsNobody else {
            print("skipped: needs root and setpriv to run the daemon as an unprivileged user")
            return
        }
        let harness = try DaemonHarness(extra: try DaemonHarness.metricsSection(), logFormat: "json")
        try harness.giveStateToNobody()
        // A day directory root made with mode 700, a file already in it.
        let path = DaemonHarness.name(minute: 3, tag: "closed")
        let directory = ((harness.spool + "/" + path) as NSString).deletingLastPathComponent
        try harness.drop(path, DaemonHarness.file(eventIDs: ["behind-a-closed-door"]))
        #expect(chmod(directory, 0o700) == 0)
        let relative = String(directory.dropFirst(harness.spool.count + 1))

        try harness.start(wrapper: DaemonHarness.asNobody)
        var port = try #require(await harness.metricsPort(), "no metrics port; log: \(harness.stderr.suffix(2000))")
        #expect(await harness.waitAsync { DaemonHarness.health(port: port).status == 503 })
        #expect(DaemonHarness.health(port: port).body.contains(relative), "\(DaemonHarness.health(port: port))")
        let status = try await harness.statusJSON()
        let unreadable = status["unreadable"] as? [[String: Any]] ?? []
        #expect(unreadable.contains { $0["path"] as? String == relative && $0["kind"] as? String == "directory" })
        await harness.stopAsync()

        // Still closed at the next start: still shown, by /healthz too.
        try harness.start(wrapper: DaemonHarness.asNobody)
        port = try #require(await harness.metricsPort())
        #expect(await harness.waitAsync { DaemonHarness.health(port: port).body.contains(relative) })
        await harness.stopAsync()

        // Opened while the daemon was down: the next start reads the file and forgets the problem.
        #expect(chmod(directory, 0o755) == 0)
        try harness.start(wrapper: DaemonHarness.asNobody)
        defer { harness.stop() }
        port = try #require(await harness.metricsPort())
        #expect(await harness.waitAsync(seconds: 15) { harness.alertedEventIDs.contains("behind-a-closed-door") })
        #expect(await harness.waitAsync { DaemonHarness.health(port: port).status == 200 })
        let after = try await harness.statusJSON()
        #expect((after["unreadable"] as? [Any])?.isEmpty == true, "\(after)")
        #expect(after["filesQuarantined"] as? Int == 0)
    }

    @Test("A thousand connections to the metrics port under a 1024-descriptor limit cannot make files fail")
    func metricsConnectionFloodCannotStarveTheSpool() async throws {
        let harness = try DaemonHarness(extra: try DaemonHarness.metricsSection(), logFormat: "json")
        try harness.start(wrapper: ["/usr/bin/prlimit", "--nofile=1024:1024", "--"])
        defer { harness.stop() }
        let port = try #require(await harness.metricsPort(), "no metrics port; log: \(harness.stderr.suffix(2000))")

        var flood: [Int32] = []
        defer { for descriptor in flood { close(descriptor) } }
        for _ in 0..<1000 {
            let descriptor = DaemonHarness.openConnection(port: port)
            if descriptor >= 0 { flood.append(descriptor) }
        }
        #expect(flood.count >= 900, "only \(flood.count) connections opened")
        let ids = (0..<20).map { "during-flood-\($0)" }
        for (index, id) in ids.enumerated() {
            try harness.drop(
                DaemonHarness.name(minute: index, tag: "flood\(index)"), DaemonHarness.file(eventIDs: [id]))
        }
        let all = await harness.waitAsync(seconds: 30) { Set(harness.alertedEventIDs).isSuperset(of: ids) }
        #expect(all, "alerted \(harness.alertedEventIDs.count) of \(ids.count); log: \(harness.stderr.suffix(3000))")
        #expect(harness.logged("File quarantined.").isEmpty)
        #expect(harness.logged("File cannot be read now; will retry. Its alerts wait until it can be read.").isEmpty)
        let pid = harness.process?.processIdentifier ?? 0
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
        #expect(open < 200, "the daemon holds \(open) descriptors under the flood")
        for descriptor in flood { close(descriptor) }
        flood.removeAll()
        #expect(await harness.waitAsync { DaemonHarness.health(port: port).status == 200 })
    }

    // MARK: Identity

    @Test("A quarantined file replaced by a good copy with the same size and mtime (rsync -t, cp -p) is read")
    func goodCopyWithSameSizeAndMtimeIsRead() async throws {
        let harness = try DaemonHarness(logFormat: "json")
        try harness.start()
        defer { harness.stop() }
        let path = DaemonHarness.name(minute: 5, tag: "repaired")
        let good = DaemonHarness.file(eventIDs: ["repaired-in-place"])
        var corrupt = good
        for index in (good.count / 3)..<(good.count / 3 + 8) { corrupt[index] ^= 0x5A }
        try harness.drop(path, corrupt)
        let quarantined = await harness.waitAsync {
            harness.logged("File quarantined.").contains { $0["th.file"] as? String == path }
        }
        #expect(quarantined, "log: \(harness.stderr.suffix(2000))")
        let target = harness.spool + "/" + path
        var before = stat()
        #expect(stat(target, &before) == 0)

        // What `rsync -t` (and `aws s3 cp`) does: write the good copy beside it under a name the
        // spool ignores, give it the old mtime, rename it over the bad one.
        let beside = (target as NSString).deletingLastPathComponent + "/.repaired.tmp"
        try Data(good).write(to: URL(fileURLWithPath: beside))
        let times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, beside, times, 0) == 0)
        #expect(rename(beside, target) == 0)
        var after = stat()
        #expect(stat(target, &after) == 0)
        #expect(after.st_size == before.st_size)
        #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)

        #expect(await harness.waitAsync(seconds: 15) { harness.alertedEventIDs.contains("repaired-in-place") })
    }

    // MARK: One daemon per ledger

    @Test("A second daemon on the same ledger exits at once naming the first; status still works")
    func secondDaemonOnOneLedgerIsRefused() async throws {
        let harness = try DaemonHarness(logFormat: "json")
        try harness.start()
        defer { harness.stop() }
        #expect(await harness.waitAsync { !harness.logged("Watching the spool.").isEmpty })
        let started = ContinuousClock.now
        let second = try await harness.command(["run", "--config", harness.config])
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(second.status != 0)
        let pid = harness.process?.processIdentifier ?? 0
        #expect(second.error.contains("another `trailhound run` (pid \(pid)) is using this ledger"), "\(second.error)")
        #expect(try await harness.statusJSON()["filesDone"] as? Int == 0)
        try harness.drop(DaemonHarness.name(minute: 2, tag: "one"), DaemonHarness.file(eventIDs: ["only-once"]))
        #expect(await harness.waitAsync { harness.alertedEventIDs.contains("only-once") })
        #expect(harness.process?.isRunning == true)
    }

    // MARK: Configuration

    @Test(
        "A processed or quarantine directory inside the spool is refused by check and run",
        arguments: [
            ("processed: {action: move, directory: SPOOL/done}", "processed.directory"),
            ("quarantine: {action: move, directory: SPOOL/../spool/bad}", "quarantine.directory"),
        ])
    func moveDirectoryInsideTheSpoolIsRefused(section: String, key: String) async throws {
        let harness = try DaemonHarness()
        let config = try String(contentsOfFile: harness.config, encoding: .utf8)
        try (config + "\n" + section.replacingOccurrences(of: "SPOOL", with: harness.spool) + "\n")
            .write(toFile: harness.config, atomically: true, encoding: .utf8)
        for subcommand in ["check", "run"] {
            let result = try await harness.command([subcommand, "--config", harness.config])
            #expect(result.status != 0, "\(subcommand) accepted it")
            #expect(
                result.error.contains(key) && result.error.contains("is inside the spool"),
                "\(subcommand): \(result.error)")
        }
    }

    // MARK: Failed downloads

    @Test("A 0-byte .json.gz is truncated: retried while young, quarantined once settled; replay exits 2")
    func emptyGzipIsNotDone() async throws {
        let harness = try DaemonHarness(logFormat: "json")
        try harness.start()
        defer { harness.stop() }
        let path = DaemonHarness.name(minute: 7, tag: "empty")
        try harness.drop(path, [])
        let line = await harness.waitAsync {
            harness.logged("File quarantined.").contains { $0["th.file"] as? String == path }
        }
        #expect(line, "log: \(harness.stderr.suffix(2000))")
        let entry = harness.logged("File quarantined.").first { $0["th.file"] as? String == path }
        #expect(entry?["th.kind"] as? String == "truncated")
        #expect((entry?["th.reason"] as? String)?.contains("the file is empty (0 bytes)") == true)
        let status = try await harness.statusJSON()
        #expect(status["filesDone"] as? Int == 0)

        let replay = try await harness.command(["replay", "--rules", harness.rules, harness.spool + "/" + path])
        #expect(replay.status == 2, "replay: \(replay.status) \(replay.error)")
        #expect(replay.error.contains("the file is empty"))
    }

    // MARK: Status, ledger and state directory

    @Test("status escapes a newline in a file name as the logs do, so it cannot forge a line")
    func statusEscapesFileNames() async throws {
        let harness = try DaemonHarness(logFormat: "json")
        try harness.start()
        defer { harness.stop() }
        let directory = "AWSLogs/111122223333/CloudTrail/us-east-1/evil\nfiles: 999 done, 0 quarantined"
        let name = "111122223333_CloudTrail_us-east-1_20261122T1008Z_forged.json.gz"
        try harness.drop(directory + "/" + name, Array("not gzip and not json".utf8))
        #expect(await harness.waitAsync { !harness.logged("File quarantined.").isEmpty })
        let status = try await harness.command(["status", "--config", harness.config])
        #expect(status.status == 0)
        let lines = status.output.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("files: 999") }, "\(status.output)")
        #expect(status.output.contains("evil\\nfiles: 999 done"), "\(status.output)")
    }

    @Test("A ledger a newer trailhound migrated is refused, naming the migration")
    func newerLedgerIsRefused() async throws {
        let harness = try DaemonHarness(logFormat: "json")
        try harness.start()
        #expect(await harness.waitAsync { !harness.logged("Watching the spool.").isEmpty })
        await harness.stopAsync()
        let queue = try DatabaseQueue(path: harness.root + "/state/trailhound.sqlite")
        try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        let run = try await harness.command(["run", "--config", harness.config])
        #expect(run.status != 0)
        #expect(
            run.error.contains("written by a newer trailhound (schema migration v99, unknown to this version"),
            "\(run.error)")
        let status = try await harness.command(["status", "--config", harness.config])
        #expect(status.status != 0 && status.error.contains("v99"), "\(status.error)")
    }

    @Test("A state directory the service cannot write is named with the fix, not as SQLite error 14")
    func unwritableStateDirectoryIsNamed() async throws {
        guard DaemonHarness.canRunAsNobody else {
            print("skipped: needs root and setpriv to run the daemon as an unprivileged user")
            return
        }
        let harness = try DaemonHarness(logFormat: "json")
        let state = harness.root + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        chmod(state, 0o755)  // root's, so nobody cannot write it
        let run = try await harness.command(["run", "--config", harness.config], wrapper: DaemonHarness.asNobody)
        #expect(run.status != 0)
        #expect(run.error.contains("the state directory \(state)"), "\(run.error)")
        #expect(run.error.contains("not writable by uid 65534") && run.error.contains("state.path"), "\(run.error)")
        #expect(!run.error.hasPrefix("SQLite error"))
    }

    // MARK: Requeue

    @Test("requeue moves a repaired quarantined file back and the running daemon reads it")
    func requeueReleasesAQuarantinedFile() async throws {
        let harness = try DaemonHarness(extra: "quarantine: {action: move}", logFormat: "json")
        try harness.start()
        defer { harness.stop() }
        let path = DaemonHarness.name(minute: 9, tag: "released")
        try harness.drop(path, Array("{\"Records\":[".utf8))
        let aside = harness.root + "/state/quarantine/" + path
        #expect(await harness.waitAsync { FileManager.default.fileExists(atPath: aside) })
        // The operator repairs the quarantined copy, then releases it.
        try Data(DaemonHarness.file(eventIDs: ["released-again"])).write(to: URL(fileURLWithPath: aside))
        let requeue = try await harness.command(["requeue", "--config", harness.config, aside])
        #expect(requeue.status == 0, "\(requeue.error)")
        #expect(requeue.output.contains("released \(path) (moved back into the spool)"), "\(requeue.output)")
        #expect(await harness.waitAsync(seconds: 10) { harness.alertedEventIDs.contains("released-again") })

        let again = try await harness.command(["requeue", "--config", harness.config, path])
        #expect(again.status == 1 && again.error.contains("not quarantined"), "\(again)")
    }

    @Test("requeue --quarantined releases a marked file for the running daemon, which reads it again")
    func requeueReleasesMarkedFiles() async throws {
        let harness = try DaemonHarness(logFormat: "json")
        try harness.start()
        defer { harness.stop() }
        let path = DaemonHarness.name(minute: 11, tag: "marked")
        try harness.drop(path, Array("{\"Records\":[".utf8))
        #expect(await harness.waitAsync { harness.logged("File quarantined.").count == 1 })
        let requeue = try await harness.command(["requeue", "--config", harness.config, "--quarantined"])
        #expect(requeue.status == 0 && requeue.output.contains("released \(path)"), "\(requeue)")
        // Read again (and, being the same bad bytes, quarantined again): the release took effect.
        #expect(
            await harness.waitAsync(seconds: 10) {
                !harness.logged("File released from quarantine; reading it again.").isEmpty
                    && harness.logged("File quarantined.").count == 2
            }, "log: \(harness.stderr.suffix(2000))")
    }
}
