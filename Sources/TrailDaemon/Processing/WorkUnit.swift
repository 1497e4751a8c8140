package import TrailReader

/// One unit of work a source hands the daemon: what the ledger identifies it by, its bytes,
/// opened, and what its name says of where it came from. The spool hands out files; an SQS queue
/// will hand out S3 objects. Nothing after the source knows which.
package struct WorkUnit {
    /// The unit's identity in the ledger: a path relative to the source (the spool, or a bucket),
    /// size, times and content hash.
    package var identity: FileIdentity
    /// The unit's bytes, opened and not yet read (the hash, when computed, was read from it).
    package var file: InputFile
    /// The account, region and delivery time the unit's name says (a CloudTrail file name).
    package var name: CloudTrailFileName?

    package init(identity: FileIdentity, file: InputFile, name: CloudTrailFileName?) {
        self.identity = identity
        self.file = file
        self.name = name
    }
}
