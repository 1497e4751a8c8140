import Foundation
import Testing
import TrailTestKit

@testable import TrailAWS

/// The AWS signing test suite (aws-c-auth's `v4` cases, copied unchanged into
/// `../shared/corpus/aws-sigv4-test-suite/`): every case's canonical request, string to sign and
/// signature, in the `Authorization` header form and the presigned query form.
@Suite(.enabled(if: SharedCorpus.isAvailable, "needs ../shared/corpus beside the repository"))
struct SigV4SuiteTests {
    static let directory = SharedCorpus.path("aws-sigv4-test-suite/v4")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// One case: the request parsed from `request.txt`, and the signer from `context.json`.
    struct Case {
        var request: SigV4Request
        var signer: SigV4Signer
        var date: Date
        var expires: Int
        var signsSessionToken: Bool
        var body: [UInt8]

        init(_ name: String) throws {
            let folder = SigV4SuiteTests.directory + "/" + name
            let context = try JSONSerialization.jsonObject(
                with: try Data(contentsOf: URL(fileURLWithPath: folder + "/context.json"))) as! [String: Any]
            let credentials = context["credentials"] as! [String: String]
            signer = SigV4Signer(
                credentials: AWSCredentials(
                    accessKeyID: credentials["access_key_id"]!, secretAccessKey: credentials["secret_access_key"]!,
                    sessionToken: credentials["token"]),
                region: context["region"] as! String, service: context["service"] as! String,
                normalizesPath: context["normalize"] as? Bool ?? true)
            date = ISO8601DateFormatter().date(from: context["timestamp"] as! String)!
            expires = context["expiration_in_seconds"] as? Int ?? 3600
            signsSessionToken = !(context["omit_session_token"] as? Bool ?? false)
            (request, body) = try Self.parse(try String(contentsOfFile: folder + "/request.txt", encoding: .utf8))
            request.payloadHash = SigV4Signer.payloadHash(body)
            if context["sign_body"] as? Bool == true {
                request.headers.append(.init("x-amz-content-sha256", request.payloadHash))
            }
        }

        /// `METHOD target HTTP/1.1`, header lines (a line starting with a space continues the
        /// one before), a blank line, the body.
        static func parse(_ text: String) throws -> (SigV4Request, [UInt8]) {
            let parts = text.components(separatedBy: "\n\n")
            let head = parts[0].components(separatedBy: "\n")
            let body = Array(parts.dropFirst().joined(separator: "\n\n").utf8)
            let requestLine = head[0].split(separator: " ")
            let target = String(requestLine[1...].dropLast().joined(separator: " "))
            let (path, rawQuery) =
                target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) }
                ?? (target, "")
            let query: [SigV4Request.Parameter] = rawQuery.isEmpty
                ? []
                : rawQuery.split(separator: "&", omittingEmptySubsequences: false).map { pair in
                    let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    return SigV4Request.Parameter(
                        String(halves[0]).removingPercentEncoding ?? String(halves[0]),
                        halves.count > 1 ? String(halves[1]).removingPercentEncoding ?? String(halves[1]) : "")
                }
            var headers: [SigV4Request.Header] = []
            for line in head.dropFirst() where !line.isEmpty {
                if line.first == " " || line.first == "\t", !headers.isEmpty {
                    headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                    continue
                }
                let colon = line.firstIndex(of: ":")!
                headers.append(.init(String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
            return (
                SigV4Request(method: String(requestLine[0]), path: path, query: query, headers: headers), body
            )
        }
    }

    func expected(_ name: String, _ file: String) throws -> String {
        try String(contentsOfFile: Self.directory + "/" + name + "/" + file, encoding: .utf8)
    }

    @Test(arguments: cases)
    func headerForm(_ name: String) throws {
        let test = try Case(name)
        let signed = test.signer.sign(test.request, at: test.date, signsSessionToken: test.signsSessionToken)
        #expect(signed.canonicalRequest == (try expected(name, "header-canonical-request.txt")))
        #expect(signed.stringToSign == (try expected(name, "header-string-to-sign.txt")))
        #expect(signed.signature == (try expected(name, "header-signature.txt")))
        let authorization = try #require(signed.headers.first { $0.name == "Authorization" }?.value)
        #expect((try expected(name, "header-signed-request.txt")).contains("Authorization:" + authorization))
    }

    @Test(arguments: cases)
    func queryForm(_ name: String) throws {
        let test = try Case(name)
        var request = test.request
        // The presigned form signs the empty body's hash, and no x-amz-content-sha256 header.
        request.headers.removeAll { $0.name == "x-amz-content-sha256" }
        let signed = test.signer.presign(
            request, at: test.date, expires: test.expires, signsSessionToken: test.signsSessionToken)
        #expect(signed.canonicalRequest == (try expected(name, "query-canonical-request.txt")))
        #expect(signed.stringToSign == (try expected(name, "query-string-to-sign.txt")))
        #expect(signed.signature == (try expected(name, "query-signature.txt")))
    }

    @Test func theSuiteIsThere() {
        #expect(Self.cases.count == 38)
    }
}
