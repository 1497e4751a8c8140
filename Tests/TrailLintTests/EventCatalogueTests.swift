import Foundation
import Testing
import TrailPatterns

@testable import TrailLint

/// The catalogue: its text form, lookups with Lambda's revisions and wildcards, suggestions, and
/// the copy compiled into the binary.
struct EventCatalogueTests {
    let catalogue = LintFixtures.catalogue

    @Test("the text form gives each pair its origins; comments and blank lines are skipped")
    func textForm() {
        #expect(catalogue.count == 23)
        #expect(catalogue.sources.count == 8)
        #expect(catalogue.origin(of: "StopLogging", in: "cloudtrail.amazonaws.com") == [.api, .record])
        #expect(catalogue.origin(of: "ConsoleLogin", in: "signin.amazonaws.com") == .record)
        #expect(catalogue.origin(of: "PublishLayerVersion20181031", in: "lambda.amazonaws.com") == .derived)
        #expect(catalogue.origin(of: "StopLogging", in: "iam.amazonaws.com") == nil)
        #expect(catalogue.origin(of: "stoplogging", in: "cloudtrail.amazonaws.com") == nil, "case-sensitive")
        #expect(catalogue.hasSource("ec2.amazonaws.com") && !catalogue.hasSource("ec2"))
    }

    @Test(
        "a malformed line is refused with its line number",
        arguments: [
            ("ok.amazonaws.com\tName\ta\nbad line\n", 2, "expected eventSource, eventName and origin, tab-separated"),
            ("ok.amazonaws.com\tName\tx\n", 1, "origin must be letters among a, r and d"),
            ("# header\nok.amazonaws.com\t\ta\n", 2, "expected eventSource, eventName and origin, tab-separated"),
        ])
    func malformed(text: String, line: Int, reason: String) {
        #expect(throws: EventCatalogue.FormatError(line: line, reason: reason)) {
            try EventCatalogue(parsing: Array(text.utf8))
        }
    }

    @Test("a derived Lambda name also stands for itself plus v<digits>, and only a derived one does")
    func revisions() {
        let lambda = "lambda.amazonaws.com"
        #expect(catalogue.origin(of: "PublishLayerVersion20181031v2", in: lambda) == .derived)
        #expect(catalogue.origin(of: "UpdateFunctionCode20150331v12", in: lambda) == [.derived, .record])
        #expect(catalogue.origin(of: "PublishLayerVersion20181031v", in: lambda) == nil)
        #expect(catalogue.origin(of: "PublishLayerVersion20181031x2", in: lambda) == nil)
        #expect(catalogue.origin(of: "Invokev2", in: lambda) == nil, "Invoke is not derived")
    }

    @Test(
        "wildcards match names under the given sources",
        arguments: [
            ("Delete*", ["iam.amazonaws.com"], ["DeleteUser"]),
            (
                "*Snapshot*", ["ec2.amazonaws.com"],
                ["CopySnapshot", "CreateSnapshot", "DeleteSnapshot", "SharedSnapshotVolumeCreated"]
            ),
            (
                "*Snapshot", ["ec2.amazonaws.com", "iam.amazonaws.com"],
                ["CopySnapshot", "CreateSnapshot", "DeleteSnapshot"]
            ),
            ("*Snapshot*", ["iam.amazonaws.com"], []),
            ("delete*", ["iam.amazonaws.com"], []),
            ("PublishLayerVersion20181031v*", ["lambda.amazonaws.com"], ["PublishLayerVersion20181031"]),
            ("*20181031v3", ["lambda.amazonaws.com"], ["PublishLayerVersion20181031"]),
            (
                "UpdateFunctionCode*", ["lambda.amazonaws.com"],
                ["UpdateFunctionCode20150331", "UpdateFunctionCode20150331v2"]
            ),
        ])
    func wildcards(literal: String, sources: [String], expected: [String]) {
        #expect(catalogue.names(matching: StringLiteral(literal).shape, in: sources).map(\.name) == expected)
    }

    @Test(
        "suggestions: letter case, CloudTrail's API versions, then a few edits; nothing when nothing is near",
        arguments: [
            ("consolelogin", nil, "ConsoleLogin"),
            ("UpdateFunctionCode", ["lambda.amazonaws.com"], "UpdateFunctionCode20150331v2"),
            ("PublishLayerVersion", ["lambda.amazonaws.com"], "PublishLayerVersion20181031"),
            ("UpdateDistribution", nil, "UpdateDistribution2020_05_31"),
            ("CreateFunctionUrlConfig20211031", ["lambda.amazonaws.com"], "CreateFunctionUrlConfig"),
            ("StopLoging", nil, "StopLogging"),
            ("DeleteTrial", ["cloudtrail.amazonaws.com"], "DeleteTrail"),
            ("DeletePublicAccessBlock", ["s3.amazonaws.com"], "DeleteBucketPublicAccessBlock"),
            ("DeleteBucketPolicyStatus", ["s3.amazonaws.com"], "DeleteBucketPolicy"),
            ("CreateUser", ["s3.amazonaws.com"], nil),
            ("Frobnicate", nil, nil),
        ] as [(String, [String]?, String?)])
    func nameSuggestions(name: String, sources: [String]?, expected: String?) {
        #expect(catalogue.suggestion(forName: name, in: sources ?? catalogue.sortedSources) == expected)
    }

    @Test(
        "source suggestions: the missing .amazonaws.com, or a few edits",
        arguments: [
            ("iam", "iam.amazonaws.com"), ("lamda.amazonaws.com", "lambda.amazonaws.com"),
            ("Signin.amazonaws.com", "signin.amazonaws.com"), ("example.com", nil),
        ] as [(String, String?)])
    func sourceSuggestions(source: String, expected: String?) {
        #expect(catalogue.suggestion(forSource: source) == expected)
    }

    @Test("camel-case words, and word lists one word apart")
    func words() {
        #expect(
            EventCatalogue.camelCaseWords("UpdateFunctionCode20150331v2") == ["Update", "Function", "Code20150331v2"])
        #expect(EventCatalogue.camelCaseWords("") == [])
        let words = EventCatalogue.camelCaseWords
        #expect(
            EventCatalogue.differByOneWord(words("DeletePublicAccessBlock"), words("DeleteBucketPublicAccessBlock")))
        #expect(EventCatalogue.differByOneWord(words("GetBucketAcl"), words("GetAcl")))
        #expect(!EventCatalogue.differByOneWord(words("GetBucketAcl"), words("PutBucketAcl")))
        #expect(!EventCatalogue.differByOneWord(words("Get"), words("GetAcl")), "one word alone is too little to go on")
    }

    @Test("edit distance stops past its limit")
    func editDistance() {
        func distance(_ lhs: String, _ rhs: String, _ limit: Int) -> Int? {
            EventCatalogue.editDistance(Array(lhs.utf8), Array(rhs.utf8), limit: limit)
        }
        #expect(distance("StopLoging", "StopLogging", 2) == 1)
        #expect(distance("kitten", "sitting", 3) == 3)
        #expect(distance("kitten", "sitting", 2) == nil)
        #expect(distance("", "abc", 3) == 3)
        #expect(distance("abc", "abc", 0) == 0)
    }

    @Test(
        "base64 decodes RFC 4648's vectors, skips line breaks, and refuses anything else",
        arguments: [
            ("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"),
            ("Zm9v\nYmFy", "foobar"),
        ])
    func base64(encoded: String, decoded: String) {
        #expect(Base64.decode(encoded) == Array(decoded.utf8))
    }

    @Test("base64 refuses characters outside the alphabet, partial groups and text after padding")
    func base64Refusals() {
        #expect(Base64.decode("Zm9v!") == nil)
        #expect(Base64.decode("Zm9") == nil)
        #expect(Base64.decode("Zg==Zm9v") == nil)
    }
}
