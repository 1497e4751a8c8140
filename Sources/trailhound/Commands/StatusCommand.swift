import ArgumentParser
import Foundation
import TrailDaemon

/// `trailhound status`: what the ledger says.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the daemon's state from its ledger.",
        discussion: """
            Reads the ledger (read-only, safe while the daemon runs): files done and quarantined (with reasons), files and directories that cannot be read now (retrying), the newest file per account and region, the outbox by state, and dead letters. The spool backlog is what the spool holds that the ledger has not recorded. Paths and reasons are escaped as the logs escape them (a newline prints as \\n).
            """
    )

    @OptionGroup var daemon: DaemonOptions

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let report: StatusReport
        if daemon.configPath == nil && daemon.spool == nil {
            // No configuration: the ledger alone (the default place, or --state).
            let ledger =
                daemon.state ?? DaemonConfiguration.stateDirectory(ProcessInfo.processInfo.environment)
                + "/trailhound.sqlite"
            report = try StatusReport.make(ledgerPath: ledger, spool: nil)
        } else {
            report = try StatusReport.make(configuration: try daemon.load())
        }
        StandardStream.output.writeLine(json ? report.json : report.text)
        StandardStream.output.flush()
    }
}
