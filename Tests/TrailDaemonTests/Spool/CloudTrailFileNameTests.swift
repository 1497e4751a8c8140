import Testing

@testable import TrailDaemon

/// CloudTrail's object names: what parses, into what, and what is refused.
struct CloudTrailFileNameTests {
    @Test(
        "valid names parse into account, region, kind and delivery time",
        arguments: [
            (
                "111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz", "111122223333",
                "us-east-2",
                CloudTrailFileName.Kind.log, Int64(1_438_395_000)
            ),
            (
                "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22/"
                    + "111122223333_CloudTrail_us-east-1_20261122T1005Z_abc.json.gz",
                "111122223333", "us-east-1", .log, 1_795_341_900
            ),
            (
                "000011112222_CloudTrail_eu-west-1_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json", "000011112222", "eu-west-1",
                .log, 1_438_395_000
            ),
            (
                "111122223333_CloudTrail-Insight_us-east-1_20261122T1005Z_Mu0KsOhtH1ar15ZZ.json.gz", "111122223333",
                "us-east-1", .insight, 1_795_341_900
            ),
            (
                "111122223333_CloudTrail-Digest_us-east-2_awscloudtrail-example_us-east-2_20160816T230550Z.json.gz",
                "111122223333", "us-east-2", .digest, 1_471_388_750
            ),
            (
                "111122223333_CloudTrail-Digest_us-east-2_my_trail.v2_us-east-2_20160816T230550Z.json.gz",
                "111122223333", "us-east-2", .digest, 1_471_388_750
            ),
            (
                "111122223333_CloudTrail-Digest_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz", "111122223333",
                "us-east-2", .digest, 1_438_395_000
            ),
            (
                "111122223333_CloudTrail_us-gov-west-1_20240229T2359Z_x.json.gz", "111122223333", "us-gov-west-1", .log,
                1_709_251_140
            ),
            (
                "111122223333_CloudTrail_us-east-1_20000229T0000Z_x.json.gz", "111122223333", "us-east-1", .log,
                951_782_400
            ),
            ("111122223333_CloudTrail_us-east-1_19700101T0000Z_x.json.gz", "111122223333", "us-east-1", .log, 0),
            (
                "111122223333_CloudTrail_us-east-1_99991231T2359Z_x.json.gz", "111122223333", "us-east-1", .log,
                253_402_300_740
            ),
        ])
    func valid(name: String, account: String, region: String, kind: CloudTrailFileName.Kind, time: Int64) throws {
        let parsed = try #require(CloudTrailFileName(fileName: name))
        #expect(parsed == CloudTrailFileName(account: account, region: region, deliveryTime: time, kind: kind))
    }

    @Test(
        "anything else is not a CloudTrail name",
        arguments: [
            "11112222333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // 11-digit account
            "1111222233334_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // 13-digit account
            "11112222333a_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // letter in account
            "111122223333_CloudTrail_us-east-2_20151301T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // month 13
            "111122223333_CloudTrail_us-east-2_20150001T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // month 0
            "111122223333_CloudTrail_us-east-2_20150230T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // 30 February
            "111122223333_CloudTrail_us-east-2_20230229T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // not a leap year
            "111122223333_CloudTrail_us-east-2_21000229T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // century, not leap
            "111122223333_CloudTrail_us-east-2_20150431T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // 31 April
            "111122223333_CloudTrail_us-east-2_20150800T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // day 0
            "111122223333_CloudTrail_us-east-2_20150801T2410Z_Mu0KsOhtH1ar15ZZ.json.gz",  // hour 24
            "111122223333_CloudTrail_us-east-2_20150801T0260Z_Mu0KsOhtH1ar15ZZ.json.gz",  // minute 60
            "111122223333_CloudTrail_us-east-2_19690801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // before 1970
            "111122223333_CloudTrail_us-east-2_20150801T0210_Mu0KsOhtH1ar15ZZ.json.gz",  // no Z
            "111122223333_CloudTrail_us-east-2_2015080T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // short date
            "111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ",  // no suffix
            "111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.gz",  // .gz without .json
            "111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz.tmp",  // temporary
            "111122223333_CloudTrail_US-EAST-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // upper-case region
            "111122223333_CloudTrail_us_east_2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // underscores in region
            "111122223333_CloudTrail_us-east-2_20150801T0210Z.json.gz",  // no unique part
            "111122223333_CloudTrail_us-east-2_20150801T0210Z_.json.gz",  // empty unique part
            "111122223333_CloudTrail_us-east-2_20150801T0210Z_a_b.json.gz",  // extra part
            "111122223333_CloudTrail-Lake_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",  // unknown product
            "111122223333_CloudTrail_us-east-2_20160816T230550Z_Mu0KsOhtH1ar15ZZ.json.gz",  // seconds on a log
            "111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20160816T236050Z.json.gz",  // second 60
            ".json.gz",
            "",
        ])
    func invalid(name: String) {
        #expect(CloudTrailFileName(fileName: name) == nil)
    }

    @Test("every kind parses in the shape CloudTrail writes it")
    func everyKind() {
        let names: [CloudTrailFileName.Kind: String] = [
            .log: "111122223333_CloudTrail_us-east-1_20261122T1005Z_abc.json.gz",
            .insight: "111122223333_CloudTrail-Insight_us-east-1_20261122T1005Z_abc.json.gz",
            .digest: "111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261122T100500Z.json.gz",
        ]
        for kind in CloudTrailFileName.Kind.allCases {
            #expect(CloudTrailFileName(fileName: names[kind] ?? "")?.kind == kind, "\(kind)")
        }
    }
}
