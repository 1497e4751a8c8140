import Foundation
import Testing

@testable import trailhound

/// Directory arguments: walked recursively, in name order, CloudTrail-looking files only, links
/// not followed.
struct InputPathsTests {
    @Test("directories expand to their CloudTrail files; links and other files are left out")
    func expand() throws {
        let root = NSTemporaryDirectory() + "trailhound-paths-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/AWSLogs/1/CloudTrail/us-east-1", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
        for file in [
            "AWSLogs/1/CloudTrail/us-east-1/b.json.gz", "AWSLogs/1/CloudTrail/us-east-1/a.json.gz", "events.jsonl",
            "README.md", "elsewhere/secret.json",
        ] {
            try Data("{}".utf8).write(to: URL(fileURLWithPath: root + "/" + file))
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
