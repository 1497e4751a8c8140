import Testing
import TrailDelivery
import TrailWebhook

/// The Standard Webhooks signer against the spec's vector, key rules, rotation and tolerance.
@Suite struct StandardWebhookSignerTests {
    // operations.md §2.6, from standard-webhooks' libraries/python/tests/test_webhooks.py.
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp = 1_614_265_330
    static let body = Array(#"{"test": 2432232314}"#.utf8)
    static let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    @Test func signsTheSpecTestVector() throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        #expect(signer.signature(id: Self.id, timestamp: Self.timestamp, body: Self.body) == Self.expected)
    }

    @Test func headersCarryIdTimestampAndSignature() throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        let headers = signer.headers(id: Self.id, timestamp: Self.timestamp, body: Self.body)
        #expect(headers.map(\.0) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.1) == [Self.id, "1614265330", Self.expected])
    }

    @Test func verifiesTheSpecTestVector() throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        try signer.verify(
            id: Self.id, timestamp: "1614265330", signatures: Self.expected, body: Self.body, now: Self.timestamp)
    }

    @Test func theSpecKeyDecodesToExactlyTheMinimumLength() throws {
        // 32 base64 characters without padding are 24 bytes: the minimum is inclusive.
        _ = try StandardWebhookSigner(secret: Secret(Self.secret))
        let short = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa"  // 30 characters → 22 bytes.
        #expect(throws: SigningSecretError.tooShort(secret: Secret(short).redacted, bytes: 22)) {
            try StandardWebhookSigner(secret: Secret(short))
        }
    }

    @Test func acceptsPaddingAndSurroundingWhitespace() throws {
        let padded = try StandardWebhookSigner(secret: Secret("whsec_" + String(repeating: "QUJD", count: 8) + "\n"))
        let unpadded = try StandardWebhookSigner(secret: Secret("whsec_" + String(repeating: "QUJD", count: 8)))
        #expect(
            padded.signature(id: "a", timestamp: 1, body: []) == unpadded.signature(id: "a", timestamp: 1, body: []))
        // 25 bytes base64-encode with one "=": accepted with and without it.
        let withPad = "whsec_" + String(repeating: "QUJD", count: 8) + "QQ=="
        let withoutPad = "whsec_" + String(repeating: "QUJD", count: 8) + "QQ"
        #expect(
            try StandardWebhookSigner(secret: Secret(withPad)).signature(id: "a", timestamp: 1, body: [])
                == StandardWebhookSigner(secret: Secret(withoutPad)).signature(id: "a", timestamp: 1, body: []))
    }

    @Test(arguments: [
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "missing prefix"),
        ("whsec_not*base64!at-all", "bad base64"),
        ("whsec_", "too short"),
        ("whsec_QUJD", "too short"),
    ])
    func refusesBadSecretsWithoutRevealingThem(secret: String, kind: String) {
        do {
            _ = try StandardWebhookSigner(secret: Secret(secret))
            Issue.record("accepted \(kind)")
        } catch {
            switch (error, kind) {
            case (.missingPrefix, "missing prefix"), (.invalidBase64, "bad base64"), (.tooShort, "too short"): break
            default: Issue.record("\(kind): got \(error)")
            }
            let message = error.description
            #expect(message.contains(Secret(secret).fingerprint))
            if secret.count > 6 { #expect(!message.contains(secret.dropFirst(6))) }
            #expect(!message.contains("\n"))
        }
    }

    @Test func rotationAcceptsAnyOfSeveralSignatures() throws {
        let old = try StandardWebhookSigner(secret: Secret(Self.secret))
        let new = try StandardWebhookSigner(secret: Secret("whsec_" + String(repeating: "QUJD", count: 8)))
        let header = [
            old.signature(id: Self.id, timestamp: Self.timestamp, body: Self.body),
            new.signature(id: Self.id, timestamp: Self.timestamp, body: Self.body),
        ].joined(separator: " ")
        for signer in [old, new] {
            try signer.verify(
                id: Self.id, timestamp: String(Self.timestamp), signatures: header, body: Self.body,
                now: Self.timestamp)
        }
        // Unknown versions are skipped, not fatal.
        try new.verify(
            id: Self.id, timestamp: String(Self.timestamp),
            signatures: "v1a,c29tZXRoaW5nIGVsc2U= " + header, body: Self.body, now: Self.timestamp)
    }

    @Test func tamperedBodyFails() throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        var tampered = Self.body
        tampered[tampered.count - 2] ^= 1
        #expect(throws: SignatureVerificationError.mismatch(count: 1)) {
            try signer.verify(
                id: Self.id, timestamp: "1614265330", signatures: Self.expected, body: tampered, now: Self.timestamp)
        }
    }

    @Test func tamperedIdOrTimestampFails() throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        #expect(throws: SignatureVerificationError.mismatch(count: 1)) {
            try signer.verify(
                id: Self.id + "x", timestamp: "1614265330", signatures: Self.expected, body: Self.body,
                now: Self.timestamp)
        }
        #expect(throws: SignatureVerificationError.mismatch(count: 1)) {
            try signer.verify(
                id: Self.id, timestamp: "1614265331", signatures: Self.expected, body: Self.body,
                now: Self.timestamp)
        }
    }

    @Test(arguments: [-301, 301, 86_400])
    func timestampOutsideToleranceFails(offset: Int) throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        #expect(
            throws: SignatureVerificationError.timestampOutsideTolerance(
                timestamp: Self.timestamp, now: Self.timestamp + offset, tolerance: 300)
        ) {
            try signer.verify(
                id: Self.id, timestamp: "1614265330", signatures: Self.expected, body: Self.body,
                now: Self.timestamp + offset)
        }
    }

    @Test(arguments: [-300, 0, 300])
    func timestampWithinToleranceVerifies(offset: Int) throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        try signer.verify(
            id: Self.id, timestamp: "1614265330", signatures: Self.expected, body: Self.body,
            now: Self.timestamp + offset)
    }

    @Test(arguments: ["", "abc", "-1614265330", "1614265330.5"])
    func malformedTimestampFails(timestamp: String) throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        #expect(throws: SignatureVerificationError.invalidTimestamp(timestamp)) {
            try signer.verify(
                id: Self.id, timestamp: timestamp, signatures: Self.expected, body: Self.body, now: Self.timestamp)
        }
    }

    @Test func headerWithoutV1SignatureFails() throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        #expect(throws: SignatureVerificationError.noSignature) {
            try signer.verify(
                id: Self.id, timestamp: "1614265330", signatures: "v2,abc", body: Self.body, now: Self.timestamp)
        }
    }

    @Test func signerNeverPrintsItsKey() throws {
        let signer = try StandardWebhookSigner(secret: Secret(Self.secret))
        var dumped = ""
        dump(signer, to: &dumped)
        for text in [String(describing: signer), String(reflecting: signer), "\(signer)", dumped] {
            #expect(!text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
            #expect(text.contains(Secret(Self.secret).fingerprint))
        }
    }
}
