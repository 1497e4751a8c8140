import Foundation
import Testing
import TrailTestKit

/// `trailhound replay s3://…` against moto: the same alerts, in the same order, as a replay of
/// the same files on disk, and with --since only the window's days. (Without moto's signature
/// checks: its S3 miscomputes signatures of escaped prefixes, see `MotoServer.init`; signing is
/// covered by TrailAWSTests.)
@Suite(.enabled(if: MotoServer.isAvailable, "needs moto's server (pip install 'moto[server]'; .ci/run installs it)"))
struct ReplayS3ProcessTests {
    static let sample = BinaryRun.root.appendingPathComponent(
        "samples/spool/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/111122223333_CloudTrail_us-east-1_20261122T1005Z_SampleSpool00001.json.gz"
    ).path

    static let keys = [
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/111122223333_CloudTrail_us-east-1_20261122T1005Z_a.json.gz",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/25/111122223333_CloudTrail_us-east-1_20261125T1005Z_b.json.gz",
        "AWSLogs/444455556666/CloudTrail/eu-west-1/2026/11/22/444455556666_CloudTrail_eu-west-1_20261122T1005Z_c.json.gz",
    ]

    static func ids(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
    }

    @Test func aBucketReplaysAsTheSameFilesOnDisk() async throws {
        let moto = try await MotoServer(checksSignatures: false)
        defer { moto.stop() }
        let local = try TemporaryDirectory("replay-s3-local")
        for key in Self.keys {
            let path = local.path + "/" + key
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.sample, toPath: path)
        }
        try await moto.python(
            """
            import boto3
            s3 = boto3.client("s3")
            s3.create_bucket(Bucket="trail")
            for key in \(Self.keys.description):
                s3.upload_file("\(Self.sample)", "trail", key)
            """)
        let home = try TemporaryDirectory("replay-s3-home")
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": moto.endpoint, "HOME": home.path,
        ]
        let fromDisk = try await BinaryRun.run(["replay", "--format", "jsonl", "--jobs", "2", local.path + "/AWSLogs"])
        let fromS3 = try await BinaryRun.run(
            ["replay", "--format", "jsonl", "--jobs", "2", "s3://trail/AWSLogs/"], environment: environment)
        #expect(fromS3.status == fromDisk.status, "\(fromS3.error)")
        #expect(!Self.ids(fromDisk.output).isEmpty)
        #expect(Self.ids(fromS3.output) == Self.ids(fromDisk.output), "\(fromS3.error)")
        #expect(fromS3.error.contains("replay: 3 files"), "\(fromS3.error)")
        #expect(fromS3.output.contains("s3://trail/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/"))

        // A window: only the 22nd (and the day after) is listed and read.
        let window = try await BinaryRun.run(
            ["replay", "--format", "jsonl", "--since", "2026-11-22", "--until", "2026-11-23", "s3://trail/AWSLogs/"],
            environment: environment)
        #expect(window.error.contains("replay: 2 files"), "\(window.error)")

        // No credentials, wrong bucket: said, exit 2.
        let missing = try await BinaryRun.run(["replay", "s3://absent-bucket/AWSLogs/"], environment: environment)
        #expect(missing.status == 2 && missing.error.contains("absent-bucket"), "\(missing.error)")
        let mixed = try await BinaryRun.run(["replay", "s3://trail/", local.path], environment: environment)
        #expect(mixed.status != 0 && mixed.error.contains("not both"), "\(mixed.error)")
    }
}
