import Testing
import TrailWebhook

/// The response value: case-insensitive headers and the capped body.
@Suite struct WebhookResponseTests {
    @Test func headerLookupIgnoresCaseAndReturnsTheFirst() {
        let response = WebhookResponse(status: 429, headers: [("retry-AFTER", "5"), ("Retry-After", "9")])
        #expect(response.header("Retry-After") == "5")
        #expect(response.header("RETRY-after") == "5")
        #expect(response.header("Location") == nil)
    }

    @Test func bodyIsCappedAt64KiB() {
        let big = WebhookResponse(status: 500, body: [UInt8](repeating: 0x41, count: 100_000))
        #expect(big.bodyPrefix.count == 65_536)
        #expect(big.isTruncated)
        let small = WebhookResponse(status: 500, body: Array("ok".utf8))
        #expect(small.bodyText == "ok")
        #expect(!small.isTruncated)
    }
}
