import Foundation
import Testing

@testable import TrailLint

/// The catalogue compiled into the binary: it is the committed TSV, and it knows the names the
/// lint exists for.
struct EmbeddedCatalogueTests {
    static let dataFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/TrailLint/Data/event-catalogue.tsv")

    @Test("the embedded catalogue is Data/event-catalogue.tsv, byte for byte (rebuild both with the script)")
    func matchesTheDataFile() throws {
        let committed = try Data(contentsOf: Self.dataFile)
        #expect(EventCatalogue.embeddedText == Array(committed))
    }

    @Test("the embedded catalogue parses and holds the events the rule pack depends on")
    func knownEvents() {
        let catalogue = EventCatalogue.embedded
        #expect(catalogue.count > 19_000 && catalogue.sources.count > 350)
        for (source, name) in [
            ("cloudtrail.amazonaws.com", "StopLogging"), ("signin.amazonaws.com", "ConsoleLogin"),
            ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2"), ("lambda.amazonaws.com", "Invoke"),
            ("lambda.amazonaws.com", "PublishLayerVersion20181031"), ("s3.amazonaws.com", "PutBucketPublicAccessBlock"),
            ("iam.amazonaws.com", "CreateAccessKey"), ("ec2.amazonaws.com", "SharedSnapshotVolumeCreated"),
            ("bedrock.amazonaws.com", "InvokeModel"), ("ecr.amazonaws.com", "PutImage"),
            ("ses.amazonaws.com", "CreateEmailIdentity"), ("cloudfront.amazonaws.com", "UpdateDistribution2020_05_31"),
        ] {
            #expect(catalogue.origin(of: name, in: source) != nil, "\(source) \(name)")
        }
        #expect(catalogue.origin(of: "UpdateFunctionCode", in: "lambda.amazonaws.com") == nil)
        #expect(
            catalogue.suggestion(forName: "UpdateFunctionCode", in: ["lambda.amazonaws.com"])
                == "UpdateFunctionCode20150331v2")
    }
}
