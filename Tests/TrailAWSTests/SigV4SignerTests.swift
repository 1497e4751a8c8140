import Foundation
import Testing

@testable import TrailAWS

/// Signature Version 4 on fixtures of our own and AWS's published examples.
struct SigV4SignerTests {
    /// `20130524T000000Z`, the date of the S3 documentation's examples.
    static let s3ExampleDate = Date(timeIntervalSince1970: 1_369_353_600)

    /// The S3 documentation's "GET Object" example (a `Range` header, the empty body's hash in
    /// `x-amz-content-sha256`): its published signature.
    @Test func theS3GetObjectExampleSignsAsPublished() {
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "s3")
        let request = SigV4Request(
            method: "GET", path: "/test.txt",
            headers: [
                .init("Host", "examplebucket.s3.amazonaws.com"), .init("Range", "bytes=0-9"),
                .init("x-amz-content-sha256", SigV4Request.emptyPayloadHash),
            ])
        let signed = signer.sign(request, at: Self.s3ExampleDate)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            signed.headers.first { $0.name == "Authorization" }?.value
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.headers.first { $0.name == "X-Amz-Date" }?.value == "20130524T000000Z")
    }

    /// S3 keys are encoded once and never normalised: a space, `+`, UTF-8, `./` and `//` stay
    /// what the key says, and the path sent is the path signed.
    @Test func anS3KeyIsEncodedOnceAndKeptAsItIs() {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret"), region: "eu-west-1",
            service: "s3")
        let request = SigV4Request(
            method: "GET", path: "/AWSLogs/o-1/a b+c/./x//ü~.json.gz", headers: [.init("Host", "b.s3.amazonaws.com")])
        let signed = signer.sign(request, at: Self.s3ExampleDate)
        #expect(signed.path == "/AWSLogs/o-1/a%20b%2Bc/./x//%C3%BC~.json.gz")
        #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1] == signed.path[...])
        // A service that normalises its paths resolves the dots and the empty segment.
        let other = SigV4Signer(
            credentials: signer.credentials, region: "eu-west-1", service: "service", normalizesPath: true)
        #expect(other.sign(request, at: Self.s3ExampleDate).path == "/AWSLogs/o-1/a%20b%2Bc/x/%C3%BC~.json.gz")
    }

    /// Query parameters sort by encoded name, then value, and a session token is signed.
    @Test func queryParametersSortAndTheSessionTokenIsSigned() {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "token/+="),
            region: "us-east-1", service: "s3")
        let request = SigV4Request(
            method: "GET", path: "/",
            query: [.init("prefix", "AWSLogs/1/"), .init("list-type", "2"), .init("a", "b c")],
            headers: [.init("Host", "b.s3.amazonaws.com")])
        let signed = signer.sign(request, at: Self.s3ExampleDate)
        let lines = signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2] == "a=b%20c&list-type=2&prefix=AWSLogs%2F1%2F")
        #expect(lines.contains("x-amz-security-token:token/+="))
        #expect(signed.headers.contains(.init("X-Amz-Security-Token", "token/+=")))
        #expect(signed.headers.first { $0.name == "Authorization" }?.value.contains("x-amz-security-token") == true)
    }

    @Test func credentialsNeverShowTheirSecrets() {
        let credentials = AWSCredentials(
            accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: "FwoGZXIvYXdzEXAMPLE")
        let shown = "\(credentials)"
        #expect(shown.contains("AKIDEXAMPLE"))
        #expect(!shown.contains("wJalr") && !shown.contains("FwoGZ"))
    }
}
