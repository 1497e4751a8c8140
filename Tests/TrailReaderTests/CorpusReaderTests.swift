import Foundation
import Testing
import TrailJSON
import TrailTestKit

@testable import TrailReader

/// Every file of the shared corpus reads without error, with exact record counts, and every
/// record projects (so it is valid JSON). Skipped, with the reason shown, without the corpus.
@Suite(.enabled(if: SharedCorpus.isAvailable, "needs ../shared/corpus beside the repository"))
struct CorpusReaderTests {
    /// Reads every file under `directory` ending in `suffix`; returns (files, records).
    func readAll(_ directory: String, suffix: String) throws -> (files: Int, records: Int) {
        let root = SharedCorpus.path(directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasSuffix(suffix) }.sorted()
        let projection = JSONProjection(paths: [JSONPath([.key("eventName")])])
        var fields = projection.makeFields()
        var records = 0
        for name in names {
            var invalid: [String] = []
            let summary = try TrailFileReader.read(path: root + "/" + name) { event in
                switch event {
                case .record(let record):
                    do throws(JSONError) {
                        try projection.project(record.bytes, into: &fields)
                    } catch {
                        invalid.append("\(name) record \(record.index): \(error)")
                    }
                case .invalidLine(let error): invalid.append(error.description)
                }
            }
            #expect(invalid.isEmpty, "\(invalid)")
            #expect(summary.kind == .records)
            records += summary.records
        }
        return (names.count, records)
    }

    @Test("the 55 invictus-ir delivery files (gzip) hold 2,900 records")
    func invictus() throws {
        let result = try readAll("invictus-ir-aws_dataset/CloudTrail", suffix: ".json.gz")
        #expect(result.files == 55)
        #expect(result.records == 2900)
    }

    @Test("the 35 Stratus Red Team files (JSON arrays) hold 310 records")
    func stratus() throws {
        let result = try readAll("stratus-red-team-detonation-logs", suffix: ".json")
        #expect(result.files == 35)
        #expect(result.records == 310)
    }

    @Test(
        "the JSON Lines files: TrailDiscover 563, OTRF 103, Panther 461; fivexl is one object, the catalogue an array")
    func lines() throws {
        for (path, count) in [
            ("traildiscover/log-examples.jsonl", 563),
            ("otrf-security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.jsonl", 103),
            ("panther-analysis-cloudtrail-tests.jsonl", 461),
            ("fivexl-cloudtrail-to-slack/test_events.json", 1),
            ("traildiscover/event-catalog.json", 381),  // an array of catalogue entries
        ] {
            var invalid = 0
            let summary = try TrailFileReader.read(path: SharedCorpus.path(path)) { event in
                if case .invalidLine = event { invalid += 1 }
            }
            #expect(summary.records == count, "\(path)")
            #expect(invalid == 0, "\(path)")
        }
    }
}
