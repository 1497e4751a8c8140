import Foundation
import Testing
import TrailTestKit

@testable import TrailAWS

/// `replay s3://` lists only the days a window can reach, found by walking the CloudTrail layout.
struct CloudTrailListingTests {
    @Test func theDaysOfAWindowIncludeTheDayAfterItsEnd() throws {
        #expect(CloudTrailListing.days(since: nil, until: "2026-12-07") == nil)
        #expect(
            CloudTrailListing.days(since: "2026-12-30T10:00:00Z", until: "2027-01-01")
                == ["2026/12/30", "2026/12/31", "2027/01/01", "2027/01/02"])
        let today = try #require(CloudTrailListing.day("2026-03-01"))
        #expect(CloudTrailListing.days(since: "2026-02-27", until: nil, today: today) == ["2026/02/27", "2026/02/28", "2026/03/01"])
        #expect(CloudTrailListing.days(since: "nonsense", until: nil) == nil)
    }

    /// Accounts, an organisation trail and a prefix before `AWSLogs/`; digests and other days
    /// are never listed. (Without moto's signature checks: a prefix with `/` is escaped, see
    /// `MotoServer.init`.)
    @Test(.enabled(if: MotoServer.isAvailable, "needs moto's server (pip install 'moto[server]'; .ci/run installs it)"))
    func onlyTheWindowsDaysAreListed() async throws {
        let moto = try await MotoServer(checksSignatures: false)
        defer { moto.stop() }
        let keys = [
            "org/AWSLogs/111/CloudTrail/us-east-1/2026/12/05/a.json.gz",
            "org/AWSLogs/111/CloudTrail/us-east-1/2026/12/06/b.json.gz",
            "org/AWSLogs/111/CloudTrail/us-east-1/2026/12/07/c.json.gz",
            "org/AWSLogs/111/CloudTrail/us-east-1/2026/12/08/d.json.gz",
            "org/AWSLogs/111/CloudTrail/us-east-1/2026/12/09/e.json.gz",
            "org/AWSLogs/111/CloudTrail-Digest/us-east-1/2026/12/07/digest.json.gz",
            "org/AWSLogs/222/CloudTrail/eu-west-1/2026/12/07/f.json.gz",
            "org/AWSLogs/o-abc123/333/CloudTrail/ap-south-1/2026/12/06/g.json.gz",
            "org/AWSLogs/o-abc123/333/CloudTrail/ap-south-1/2026/11/06/h.json.gz",
        ]
        try await moto.python(
            """
            import boto3
            s3 = boto3.client("s3")
            s3.create_bucket(Bucket="trail")
            for key in \(keys.description):
                s3.put_object(Bucket="trail", Key=key, Body=b"x")
            """)
        let listing = CloudTrailListing(s3: try S3ClientTests.s3(moto), bucket: "trail")
        let found = try await listing.keys(under: "org", since: "2026-12-06", until: "2026-12-07T23:00:00Z")
        #expect(
            found.map(\.key) == [
                "org/AWSLogs/111/CloudTrail/us-east-1/2026/12/06/b.json.gz",
                "org/AWSLogs/111/CloudTrail/us-east-1/2026/12/07/c.json.gz",
                "org/AWSLogs/111/CloudTrail/us-east-1/2026/12/08/d.json.gz",
                "org/AWSLogs/222/CloudTrail/eu-west-1/2026/12/07/f.json.gz",
                "org/AWSLogs/o-abc123/333/CloudTrail/ap-south-1/2026/12/06/g.json.gz",
            ])
        #expect(try await listing.regions(under: "org/").count == 3)
        // Without a window: everything under the prefix, digests included (replay skips those).
        #expect(try await listing.keys(under: "org/AWSLogs/111/", since: nil, until: nil).count == 6)
        // A prefix already below a region is listed as it is.
        #expect(
            try await listing.prefixes(under: "org/AWSLogs/111/CloudTrail/us-east-1/2026/", days: ["2026/12/07"])
                == ["org/AWSLogs/111/CloudTrail/us-east-1/2026/"])
    }
}
