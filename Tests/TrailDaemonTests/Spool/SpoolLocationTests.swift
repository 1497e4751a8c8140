import Foundation
import Testing
import TrailReader

@testable import TrailDaemon

#if canImport(Glibc)
    import Glibc
#endif

/// Reaching a spool file without following links: every directory on the way is checked, and what
/// is done to the file goes through the directory that was checked.
struct SpoolLocationTests {
    static let day = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22"
    static let name = "111122223333_CloudTrail_us-east-1_20261122T1005Z_a.json.gz"

    func open(_ spool: SpoolTestDirectory, _ path: String) -> Result<SpoolLocation, SpoolLocation.Failure> {
        SpoolLocation.open(root: spool.path, path: path)
    }

    func refusal(_ result: Result<SpoolLocation, SpoolLocation.Failure>) -> SpoolError? {
        if case .failure(.refused(let error)) = result { return error }
        return nil
    }

    @Test("a file below real directories is opened, examined and deleted through its directory")
    func regular() throws {
        let spool = try SpoolTestDirectory()
        try spool.write(Self.day + "/" + Self.name, bytes: 42)
        let location = try open(spool, Self.day + "/" + Self.name).get()
        #expect(location.name == Self.name)
        #expect(location.absolute == spool.path + "/" + Self.day + "/" + Self.name)
        let file = try location.openFile(limits: .default)
        #expect(file.size == 42)
        #expect(location.stillHolds(file))
        try location.remove()
        #expect(location.status() == nil)
        #expect(!location.stillHolds(file))
        try location.remove()  // already gone: not an error
    }

    @Test("a directory on the way replaced by a link is refused, whatever is behind it")
    func linkedDirectory() throws {
        let spool = try SpoolTestDirectory()
        let outside = try SpoolTestDirectory()
        try outside.write("22/" + Self.name, bytes: 7)
        try spool.makeDirectory("AWSLogs/111122223333/CloudTrail/us-east-1/2026/11")
        #expect(symlink(outside.absolute("22"), spool.absolute(Self.day)) == 0)

        let error = try #require(refusal(open(spool, Self.day + "/" + Self.name)))
        #expect(error.kind == .outsideSpool)
        #expect(error.path == Self.day + "/" + Self.name)
        #expect(
            error.description
                == "\(Self.day)/\(Self.name): refused a path that leads outside the spool: `\(Self.day)` is a symbolic"
                + " link, which trailhound does not follow below the spool; nothing was opened through it")
        #expect(FileManager.default.fileExists(atPath: outside.absolute("22/" + Self.name)))
    }

    @Test("a file where a directory should be, `..` and empty segments are refused; a missing directory is gone")
    func otherRefusals() throws {
        let spool = try SpoolTestDirectory()
        try spool.write("AWSLogs/file", bytes: 1)
        let notDirectory = try #require(refusal(open(spool, "AWSLogs/file/" + Self.name)))
        #expect(notDirectory.cause == "`AWSLogs/file` is not a directory; nothing was opened through it")
        for path in ["AWSLogs/../" + Self.name, "AWSLogs//" + Self.name, "./" + Self.name] {
            #expect(refusal(open(spool, path))?.kind == .outsideSpool, "\(path)")
        }
        guard case .failure(.gone) = open(spool, "AWSLogs/missing/" + Self.name) else {
            Issue.record("a missing directory should read as gone")
            return
        }
    }

    @Test("a directory swapped for a link after the walk: the delete still happens in the checked directory")
    func swappedAfterTheWalk() throws {
        let spool = try SpoolTestDirectory()
        let outside = try SpoolTestDirectory()
        try spool.write(Self.day + "/" + Self.name, bytes: 5)
        try outside.write("22/" + Self.name, bytes: 9)
        let location = try open(spool, Self.day + "/" + Self.name).get()
        let file = try location.openFile(limits: .default)

        #expect(rename(spool.absolute(Self.day), outside.absolute("moved-away")) == 0)
        #expect(symlink(outside.absolute("22"), spool.absolute(Self.day)) == 0)

        #expect(location.stillHolds(file))
        try location.remove()
        #expect(!FileManager.default.fileExists(atPath: outside.absolute("moved-away/" + Self.name)))
        #expect(FileManager.default.fileExists(atPath: outside.absolute("22/" + Self.name)))
    }

    @Test("moving takes the entry itself: a link moves as a link, its target stays")
    func moveLink() throws {
        let spool = try SpoolTestDirectory()
        let outside = try SpoolTestDirectory()
        let target = try outside.write("shadow", bytes: 3)
        try spool.makeDirectory(Self.day)
        #expect(symlink(target, spool.absolute(Self.day + "/" + Self.name)) == 0)
        let location = try open(spool, Self.day + "/" + Self.name).get()
        let destination = outside.absolute("quarantine/" + Self.day + "/" + Self.name)
        #expect(try location.move(to: destination))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: destination) == target)
        #expect(FileManager.default.fileExists(atPath: target))
        #expect(try !location.move(to: destination))  // gone now
    }
}
