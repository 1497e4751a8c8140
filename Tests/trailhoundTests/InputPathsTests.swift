import Foundation
import Testing
import TrailTestKit

@testable import trailhound

/// Directory arguments: walked recursively, in name order, CloudTrail-looking files only, links
/// not followed.
struct InputPathsTests {
    @Test("directories expand to their CloudTrail files; links and other files are left out")
    func expand() throws {
        let directory = TemporaryDirectory("trailhound-paths")
        defer { directory.remove() }
        let root = directory.path
        let manager = FileManager.default
        for file in [
            "AWSLogs/1/CloudTrail/us-east-1/b.json.gz", "AWSLogs/1/CloudTrail/us-east-1/a.json.gz", "events.jsonl",
            "README.md", "elsewhere/secret.json",
        ] {
            try directory.write(file, "{}")
        }
        try manager.createSymbolicLink(
            atPath: root + "/link.json", withDestinationPath: root + "/elsewhere/secret.json")
        try manager.createSymbolicLink(atPath: root + "/linked-dir", withDestinationPath: root + "/elsewhere")

        let entries = InputPaths.expand([root + "/AWSLogs", root + "/events.jsonl", "-", root + "/linked-dir"])
        #expect(
            entries == [
                .file(root + "/AWSLogs/1/CloudTrail/us-east-1/a.json.gz"),
                .file(root + "/AWSLogs/1/CloudTrail/us-east-1/b.json.gz"),
                .file(root + "/events.jsonl"),
                .file("-"),
                // A link given by name is passed on, and the reader refuses it with a reason.
                .file(root + "/linked-dir"),
            ])
        let all = InputPaths.expand([root])
        #expect(!all.contains(.file(root + "/README.md")))
        #expect(!all.contains(.file(root + "/link.json")))
        #expect(all.contains(.file(root + "/elsewhere/secret.json")))
    }
}
