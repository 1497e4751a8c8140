import Foundation
import Testing

@testable import TrailDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// Walking a real directory tree: what is listed, what is refused, what is never entered.
struct SpoolScannerTests {
    static let day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22"
    static func log(_ unique: String) -> String {
        "111122223333_CloudTrail_us-east-1_20261122T1005Z_\(unique).json.gz"
    }

    @Test("nested files are listed with size and mtime; links and FIFOs are listed as non-regular")
    func walk() throws {
        let spool = try SpoolTestDirectory()
        let regular = Self.day + "/" + Self.log("regular")
        try spool.write(regular, bytes: 123)
        try spool.write("AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/11/22/" + Self.log("org"), bytes: 5)
        // A link with a taken name, pointing at a real log: listed, flagged, never followed.
        let outside = try SpoolTestDirectory()
        let target = try outside.write(Self.log("target"), bytes: 999)
        try FileManager.default.createSymbolicLink(
            atPath: spool.absolute(Self.day + "/" + Self.log("link")), withDestinationPath: target)
        // A symlinked directory full of logs: not entered.
        try outside.write("nested/" + Self.log("hidden-behind-link"))
        try FileManager.default.createSymbolicLink(
            atPath: spool.absolute("AWSLogs/linked-dir"), withDestinationPath: outside.absolute("nested"))
        // A FIFO with a taken name: listed without being opened, so the scan cannot hang on it.
        #expect(mkfifo(spool.absolute(Self.day + "/" + Self.log("fifo")), 0o600) == 0)
        // Ignored: a dotfile, a hidden directory, temporaries, a digest, an unrelated file.
        try spool.write(Self.day + "/.DS_Store")
        try spool.write("AWSLogs/.staging/" + Self.log("staged"))
        try spool.write(Self.day + "/" + Self.log("partial") + ".tmp")
        try spool.write(Self.day + "/" + Self.log("sync") + ".1a2B3c4D")
        try spool.write(
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/22/"
                + "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261122T100500Z.json.gz")

        let scan = try SpoolScanner.scan(root: spool.path, filter: SpoolFilter())

        #expect(
            scan.files.map(\.path) == [
                "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/" + Self.log("fifo"),
                "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/" + Self.log("link"),
                "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/" + Self.log("regular"),
                "AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/11/22/" + Self.log("org"),
            ])
        let byName = Dictionary(uniqueKeysWithValues: scan.files.map { ($0.fileName, $0) })
        let file = try #require(byName[Self.log("regular")])
        #expect(file.isRegular && file.size == 123)
        var status = stat()
        #expect(lstat(spool.absolute(regular), &status) == 0)
        #expect(file.modified == Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
        #expect(file.name?.deliveryTime == 1_795_341_900)
        #expect(byName[Self.log("link")]?.type == .symbolicLink)
        #expect(byName[Self.log("link")]?.isRegular == false)
        #expect(byName[Self.log("fifo")]?.type == .fifo)

        #expect(!scan.directories.contains("AWSLogs/linked-dir"))
        #expect(!scan.directories.contains("AWSLogs/.staging"))
        #expect(scan.directories.contains(Self.day))
        #expect(scan.directories.contains("AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/11/22"))
        let ignored = Dictionary(uniqueKeysWithValues: scan.ignored.map { ($0.path, $0.reason) })
        #expect(ignored[Self.day + "/.DS_Store"] == .hidden)
        #expect(ignored["AWSLogs/.staging"] == .hidden)
        #expect(ignored["AWSLogs/linked-dir"] == .notMatched)
        #expect(ignored[Self.day + "/" + Self.log("partial") + ".tmp"] == .temporary)
        #expect(ignored[Self.day + "/" + Self.log("sync") + ".1a2B3c4D"] == .temporary)
        #expect(scan.ignored.contains { $0.path.contains("CloudTrail-Digest_") && $0.reason == .notMatched })
        // The link to a directory is reported, so the files behind it are not silently missing;
        // the link to a file is a taken name, quarantined by the daemon instead.
        #expect(scan.problems.map(\.path) == ["AWSLogs/linked-dir"])
        #expect(
            scan.problems.first?.description
                == "AWSLogs/linked-dir: not following a symbolic link to a directory: trailhound reads only what is"
                + " really below the spool (point `spool.directory` at the real directory, or bind-mount it)")
    }

    @Test("an unreadable subdirectory is reported and skipped; the rest is still scanned")
    func unreadableSubdirectory() throws {
        let spool = try SpoolTestDirectory()
        try spool.write("a/" + Self.log("readable"))
        try spool.write("b/" + Self.log("locked"))
        try spool.write("c/" + Self.log("unsearchable"))
        #expect(chmod(spool.absolute("b"), 0o000) == 0)
        // Readable but not searchable: names list, but nothing can be examined.
        #expect(chmod(spool.absolute("c"), 0o444) == 0)
        let scan = try FilePrivileges.asNobody { try SpoolScanner.scan(root: spool.path, filter: SpoolFilter()) }
        #expect(scan.files.map(\.path) == ["a/" + Self.log("readable")])
        #expect(scan.problems.map(\.path).sorted() == ["b", "c"])
        #expect(scan.problems.allSatisfy { $0.kind == .unreadableDirectory })
        #expect(scan.problems.first?.description == "b: cannot read spool subdirectory: Permission denied")
    }

    @Test("an unreadable root throws, naming the path and the cause")
    func unreadableRoot() throws {
        let spool = try SpoolTestDirectory()
        let missing = spool.absolute("missing")
        #expect {
            try SpoolScanner.scan(root: missing, filter: SpoolFilter())
        } throws: { error in
            guard let error = error as? SpoolError else { return false }
            return error.kind == .unreadableRoot && error.path == missing && error.cause == "No such file or directory"
                && error.description
                    == "\(missing): cannot read the spool directory: No such file or directory"
                    + " (create it, or fix `spool.path` in the configuration)"
        }
        let file = try spool.write("file")
        #expect(throws: SpoolError.self) { try SpoolScanner.scan(root: file, filter: SpoolFilter()) }
    }

    @Test("a root given through a symbolic link is followed; links below it are not")
    func rootLink() throws {
        let spool = try SpoolTestDirectory()
        try spool.write("real/" + Self.log("x"))
        try FileManager.default.createSymbolicLink(
            atPath: spool.absolute("alias"), withDestinationPath: spool.absolute("real"))
        let scan = try SpoolScanner.scan(root: spool.absolute("alias"), filter: SpoolFilter())
        #expect(scan.files.map(\.path) == [Self.log("x")])
        #expect(scan.problems.isEmpty)
    }

    @Test("custom globs decide what is listed")
    func globs() throws {
        let spool = try SpoolTestDirectory()
        try spool.write("in/a.json")
        try spool.write("in/skip/b.json")
        try spool.write("out/c.json")
        let filter = try SpoolFilter(include: ["in/**/*.json"], exclude: ["**/skip/**"])
        let scan = try SpoolScanner.scan(root: spool.path, filter: filter)
        #expect(scan.files.map(\.path) == ["in/a.json"])
        #expect(scan.directories == ["in", "in/skip", "out"])
    }
}
