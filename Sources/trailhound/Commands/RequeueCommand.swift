import ArgumentParser
import Foundation
import TrailDaemon

/// `trailhound requeue`: releases quarantined files so that they are read again.
struct RequeueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Release quarantined files so that the daemon reads them again.",
        discussion: """
            A quarantined file is not read again unless it changes. When the cause is gone (a limit raised, a reader fixed), release it: its ledger row is removed, a file moved aside (quarantine.action: move) is moved back to its place in the spool, and the running daemon reads it within a second (or the next one, at its start). PATH is relative to the spool, or a path below the spool or the quarantine directory. Safe while the daemon runs. Exit status: 0 when every PATH was released, 1 when some were not quarantined or could not be moved back.
            """
    )

    @OptionGroup var daemon: DaemonOptions

    @Flag(name: .long, help: "Release every quarantined file.")
    var quarantined = false

    @Argument(help: ArgumentHelp("Quarantined files to release.", valueName: "path"))
    var paths: [String] = []

    func validate() throws {
        guard quarantined != !paths.isEmpty else {
            throw ValidationError("give the quarantined files to release, or --quarantined for all of them")
        }
    }

    func run() throws {
        let configuration = try daemon.load()
        let release = QuarantineRelease(configuration: configuration)
        let ledger = try Ledger(path: configuration.state.path, synchronous: configuration.state.synchronous)
        let results = try release.release(quarantined ? nil : paths.map(release.spoolPath), ledger: ledger)
        var failed = false
        for (path, result) in results {
            switch result {
            case .released(let movedBack):
                StandardStream.output.writeLine("released \(path)\(movedBack ? " (moved back into the spool)" : "")")
            case .notQuarantined:
                failed = true
                StandardStream.error.writeLine("trailhound requeue: \(path): not quarantined in \(ledger.path)")
            case .moveFailed(let reason):
                failed = true
                StandardStream.error.writeLine(
                    "trailhound requeue: \(path): not released (still quarantined): \(reason)")
            }
        }
        if results.isEmpty { StandardStream.output.writeLine("no quarantined files") }
        StandardStream.output.flush()
        if failed { throw ExitCode(1) }
    }
}
