package import TrailReader

/// The spool as a `UnitArchive`: a committed file is read again where it is, below the spool
/// (opened as every spool file is, without following links), or where `processed: move` put it.
package struct SpoolArchive: UnitArchive {
    let spool: String
    let processed: DaemonConfiguration.ProcessedAction

    package init(spool: String, processed: DaemonConfiguration.ProcessedAction) {
        self.spool = spool
        self.processed = processed
    }

    package func reopen(_ path: String, limits: ReaderLimits) -> InputFile? {
        if case .success(let location) = SpoolLocation.open(root: spool, path: path),
            let file = try? location.openFile(limits: limits)
        {
            return file
        }
        if case .move(let directory) = processed { return try? InputFile.open(directory + "/" + path, limits: limits) }
        return nil
    }
}
