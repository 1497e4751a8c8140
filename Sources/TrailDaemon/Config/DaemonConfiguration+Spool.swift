import Foundation
import TrailDelivery

extension DaemonConfiguration {
    /// The `spool:` section: what is read below the spool's root, how often it is rescanned, how
    /// long files settle and retries wait, and the delivery-gap alert.
    mutating func apply(spool written: ConfigurationFile.Spool) throws(ConfigurationError) {
        if let include = written.include { spool.include = include }
        if let exclude = written.exclude { spool.exclude = exclude }
        for (key, globs) in [("include", spool.include), ("exclude", spool.exclude)] {
            for (index, glob) in globs.enumerated() {
                try Self.validate(glob: glob, path: "spool.\(key)[\(index)]")
            }
        }
        if let interval = written.rescanInterval?.duration {
            guard interval >= .seconds(1) else {
                throw .invalidValue(path: "spool.rescan_interval", reason: "must be at least 1s")
            }
            spool.rescanInterval = interval
        }
        if let settle = written.settleTime?.duration { spool.settle = settle }
        if let retryMax = written.retryMax?.duration {
            guard retryMax >= .seconds(1) else {
                throw .invalidValue(path: "spool.retry_max", reason: "must be at least 1s")
            }
            spool.maxRetryDelay = retryMax
        }
        if let gap = written.deliveryGap { spool.deliveryGap = try Self.deliveryGap(gap) }
    }

    /// The `spool.delivery_gap:` section: `after` is required, the filters and severity are not.
    private static func deliveryGap(
        _ written: ConfigurationFile.DeliveryGap
    ) throws(ConfigurationError) -> DeliveryGap {
        guard let after = written.after?.duration, after >= .seconds(60) else {
            throw .invalidValue(
                path: "spool.delivery_gap.after", reason: "required, at least 1m (CloudTrail delivers every ~5m)")
        }
        var gap = DeliveryGap(after: after)
        if let accounts = written.accounts { gap.accounts = Set(accounts) }
        if let regions = written.regions { gap.regions = Set(regions) }
        if let severity = written.severity {
            gap.severity = try Self.severity(severity, path: "spool.delivery_gap.severity")
        }
        return gap
    }

    /// The `processed:` section: what becomes of a file once read. No `action` keeps the default.
    mutating func apply(processed written: ConfigurationFile.Processed) throws(ConfigurationError) {
        switch written.action {
        case nil: return
        case .some("keep"): processed = .keep
        case .some("delete"): processed = .delete
        case .some("move"):
            guard let directory = written.directory, !directory.isEmpty else {
                throw .invalidValue(path: "processed.directory", reason: "required when action is move")
            }
            processed = .move(to: directory)
        case let other?:
            throw .invalidValue(path: "processed.action", reason: "`\(other)` is not keep, delete or move")
        }
    }

    /// The `quarantine:` section: a file that cannot be read is marked, or also moved; a
    /// `directory` without an `action` means move, neither keeps the default.
    mutating func apply(quarantine written: ConfigurationFile.Quarantine) throws(ConfigurationError) {
        switch (written.action, written.directory) {
        case (nil, nil): return
        case (.some("mark"), _): quarantine = .mark
        case (.some("move"), let directory), (nil, let directory):
            quarantine = .move(to: directory ?? (state.path as NSString).deletingLastPathComponent + "/quarantine")
        case (let other?, _):
            throw .invalidValue(path: "quarantine.action", reason: "`\(other)` is not mark or move")
        }
    }

    /// Refuses a processed or quarantine directory inside the spool (see `refuseInsideSpool`).
    func refuseMovesInsideSpool() throws(ConfigurationError) {
        if case .move(let directory) = processed {
            try Self.refuseInsideSpool(directory, key: "processed.directory", spool: spool.directory)
        }
        if case .move(let directory) = quarantine {
            try Self.refuseInsideSpool(directory, key: "quarantine.directory", spool: spool.directory)
        }
    }

    /// Refuses a directory files are moved to when it lies inside the spool: a moved file would
    /// be seen there as new, read and moved again, one level deeper each time.
    static func refuseInsideSpool(_ directory: String, key: String, spool: String) throws(ConfigurationError) {
        let target = resolved(directory)
        let root = resolved(spool)
        guard target == root || target.hasPrefix(root == "/" ? "/" : root + "/") else { return }
        throw .invalidValue(
            path: key,
            reason:
                "`\(directory)` is inside the spool `\(spool)`; files moved there would be read again as new ones. Use a directory outside the spool"
        )
    }

    /// `path` made absolute, with `.`/`..` and the symbolic links of its longest existing prefix
    /// resolved (the rest need not exist yet).
    private static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var existing = (absolute as NSString).standardizingPath
        var rest: [String] = []
        while existing != "/" && !FileManager.default.fileExists(atPath: existing) {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        let real = (existing as NSString).resolvingSymlinksInPath
        return rest.reduce(real) { ($0 as NSString).appendingPathComponent($1) }
    }
}
