import Testing
import TrailDelivery
import TrailWebhook

/// The GitHub-style signer against GitHub's documented vector.
@Suite struct GitHubSignerTests {
    // operations.md §2.6, from docs.github.com "Validating webhook deliveries".
    static let secret = "It's a Secret to Everybody"
    static let body = Array("Hello, World!".utf8)
    static let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

    @Test func signsGitHubsTestVector() throws {
        let signer = try GitHubSigner(secret: Secret(Self.secret))
        #expect(signer.signature(body: Self.body) == Self.expected)
        let headers = signer.headers(id: "ignored", timestamp: 0, body: Self.body)
        #expect(headers.count == 1)
        #expect(headers.first?.0 == "X-Hub-Signature-256")
        #expect(headers.first?.1 == Self.expected)
    }

    @Test func verifiesItsOwnSignatureAndUppercaseHex() throws {
        let signer = try GitHubSigner(secret: Secret(Self.secret))
        try signer.verify(signature: Self.expected, body: Self.body)
        try signer.verify(signature: "sha256=" + Self.expected.dropFirst(7).uppercased(), body: Self.body)
    }

    @Test func tamperedBodyOrMissingPrefixFails() throws {
        let signer = try GitHubSigner(secret: Secret(Self.secret))
        #expect(throws: SignatureVerificationError.mismatch(count: 1)) {
            try signer.verify(signature: Self.expected, body: Array("Hello, World?".utf8))
        }
        #expect(throws: SignatureVerificationError.noSignature) {
            try signer.verify(signature: String(Self.expected.dropFirst(7)), body: Self.body)
        }
    }

    @Test func refusesAnEmptySecret() {
        #expect(throws: SigningSecretError.empty) { try GitHubSigner(secret: Secret("")) }
    }

    @Test func signerNeverPrintsItsSecret() throws {
        let signer = try GitHubSigner(secret: Secret(Self.secret))
        var dumped = ""
        dump(signer, to: &dumped)
        for text in [String(describing: signer), String(reflecting: signer), dumped] {
            #expect(!text.contains("Secret to Everybody"))
        }
    }
}
