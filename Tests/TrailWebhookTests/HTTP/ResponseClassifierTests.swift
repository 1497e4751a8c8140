import Foundation
import Testing
import TrailDelivery
import TrailWebhook

/// The delivery decision for every status and provider, hints and reasons (operations.md §2.1–2.7).
@Suite struct ResponseClassifierTests {
    enum Kind: String, Sendable { case delivered, retry, rejected, disable }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let classifier = ResponseClassifier()

    static func kind(_ result: DeliveryResult) -> Kind {
        switch result {
        case .delivered: .delivered
        case .retry: .retry
        case .rejected: .rejected
        case .disable: .disable
        }
    }

    static func reason(_ result: DeliveryResult) -> String {
        switch result {
        case .delivered: ""
        case .retry(_, let reason), .rejected(let reason), .disable(let reason): reason
        }
    }

    static func hint(_ result: DeliveryResult) -> Duration? {
        if case .retry(let after, _) = result { return after }
        return nil
    }

    static func classify(
        _ status: Int, _ provider: WebhookProvider, headers: [(name: String, value: String)] = [], body: String = ""
    ) -> DeliveryResult {
        classifier.classify(
            WebhookResponse(status: status, headers: headers, body: Array(body.utf8)), provider: provider, now: now)
    }

    /// The default outcome per status, for every provider (bodies empty).
    static let statusTable: [Int: Kind] = [
        200: .delivered, 201: .delivered, 202: .delivered, 204: .delivered, 299: .delivered,
        301: .disable, 302: .disable, 303: .disable, 304: .disable, 307: .disable, 308: .disable,
        400: .rejected, 401: .rejected, 403: .rejected, 404: .rejected, 405: .rejected, 409: .rejected,
        413: .rejected, 422: .rejected, 451: .rejected,
        408: .retry, 425: .retry, 429: .retry,
        410: .disable,
        500: .retry, 501: .retry, 502: .retry, 503: .retry, 504: .retry, 599: .retry,
        100: .retry, 199: .retry, 600: .retry,
    ]

    /// Provider-specific departures from `statusTable`.
    static let overrides: [WebhookProvider: [Int: Kind]] = [
        .discord: [404: .disable, 401: .disable]
    ]

    static var tableCases: [(WebhookProvider, Int)] {
        WebhookProvider.allCases.flatMap { provider in statusTable.keys.sorted().map { (provider, $0) } }
    }

    @Test(arguments: tableCases)
    func statusTableForEveryProvider(provider: WebhookProvider, status: Int) throws {
        let expected = try #require(Self.overrides[provider]?[status] ?? Self.statusTable[status])
        let result = Self.classify(status, provider)
        #expect(Self.kind(result) == expected, "\(provider) \(status): \(result)")
        if expected != .delivered {
            let reason = Self.reason(result)
            #expect(reason.hasPrefix("\(provider.rawValue) answered HTTP \(status)"))
            #expect(!reason.contains("\n"))
        }
    }

    @Test(arguments: [
        ("channel_is_archived", 410), ("channel_not_found", 404), ("invalid_token", 403), ("no_service", 404),
        ("team_disabled", 403), ("action_prohibited", 403),
    ])
    func slackDeadHookErrorsDisable(error: String, status: Int) {
        let result = Self.classify(status, .slack, body: error)
        #expect(Self.kind(result) == .disable)
        #expect(Self.reason(result).contains(error))
    }

    @Test func slackPayloadErrorsAreRejectedWithTheirText() {
        let result = Self.classify(400, .slack, body: "invalid_payload\n")
        #expect(
            result
                == .rejected(
                    reason: "slack answered HTTP 400 Bad Request: invalid_payload; the receiver "
                        + "refused the payload, so this alert is not retried"))
        #expect(Self.kind(Self.classify(500, .slack, body: "rollup_error")) == .retry)
    }

    @Test func teamsThrottlingInA200BodyIsRetried() {
        let body = "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0,server=msgapi,cv=abc"
        let result = Self.classify(200, .teams, body: body)
        #expect(Self.kind(result) == .retry)
        #expect(Self.reason(result).hasPrefix("teams answered HTTP 200 OK reporting HTTP error 429 in its body: "))
        // Only Teams reports errors that way; other providers' 2xx bodies are not read.
        #expect(Self.classify(200, .webhook, body: body) == .delivered)
    }

    @Test func teamsOtherEmbeddedErrorsFollowTheirStatus() {
        #expect(Self.kind(Self.classify(200, .teams, body: "returned HTTP error 400 (bad card)")) == .rejected)
        #expect(Self.kind(Self.classify(200, .teams, body: "returned HTTP error 503")) == .retry)
        #expect(Self.classify(200, .teams, body: "1") == .delivered)
        #expect(Self.classify(202, .teams) == .delivered)
    }

    @Test func retryAfterSecondsIsTheHint() {
        let result = Self.classify(429, .slack, headers: [("Retry-After", "30")])
        #expect(Self.hint(result) == .seconds(30))
        #expect(Self.hint(Self.classify(503, .pagerduty, headers: [("retry-after", "5")])) == .seconds(5))
        #expect(Self.hint(Self.classify(503, .pagerduty, headers: [("Retry-After", "soon")])) == nil)
        #expect(Self.hint(Self.classify(429, .webhook, headers: [("Retry-After", "86400")])) == .seconds(3_600))
    }

    @Test func retryAfterHTTPDateIsMeasuredFromNow() {
        // 1_800_000_000 is Fri, 15 Jan 2027 08:00:00 GMT.
        let future = Self.classify(429, .teams, headers: [("Retry-After", "Fri, 15 Jan 2027 08:01:30 GMT")])
        #expect(Self.hint(future) == .seconds(90))
        let past = Self.classify(429, .teams, headers: [("Retry-After", "Fri, 15 Jan 2027 07:00:00 GMT")])
        #expect(Self.hint(past) == .zero)
    }

    @Test func discordBodyRetryAfterTakesPrecedence() {
        let body = #"{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}"#
        let result = Self.classify(429, .discord, headers: [("Retry-After", "2")], body: body)
        #expect(Self.hint(result) == .seconds(1.5))
        #expect(Self.reason(result).contains("You are being rate limited."))
        #expect(Self.hint(Self.classify(429, .discord, body: #"{"retry_after": 42.5}"#)) == .seconds(42.5))
        // Without a body value the headers serve.
        #expect(Self.hint(Self.classify(429, .discord, headers: [("Retry-After", "3")])) == .seconds(3))
        #expect(
            Self.hint(Self.classify(429, .discord, headers: [("X-RateLimit-Reset-After", "0.25")])) == .seconds(0.25))
    }

    @Test func discordMillisecondValuesFromUnversionedURLsAreRecognised() {
        // API v6 (unversioned webhook URLs) reports both the body and the header in milliseconds.
        let body = #"{"message": "You are being rate limited.", "retry_after": 1523, "global": false}"#
        let result = Self.classify(429, .discord, headers: [("Retry-After", "1523")], body: body)
        #expect(Self.hint(result) == .seconds(1.523))
        #expect(Self.hint(Self.classify(429, .discord, headers: [("Retry-After", "43323")])) == .seconds(43.323))
        // The boundary: 60 is seconds, 61 milliseconds.
        #expect(Self.hint(Self.classify(429, .discord, body: #"{"retry_after": 60}"#)) == .seconds(60))
        #expect(Self.hint(Self.classify(429, .discord, body: #"{"retry_after": 61}"#)) == .milliseconds(61))
    }

    @Test func discordBodyHintIsIgnoredForOtherProviders() {
        let result = Self.classify(429, .slack, headers: [("Retry-After", "2")], body: #"{"retry_after": 9}"#)
        #expect(Self.hint(result) == .seconds(2))
    }

    @Test func discordUnknownWebhookDisablesWithItsMessage() {
        let result = Self.classify(404, .discord, body: #"{"message": "Unknown Webhook", "code": 10015}"#)
        #expect(Self.kind(result) == .disable)
        #expect(Self.reason(result).contains("Unknown Webhook (code 10015)"))
    }

    @Test func redirectReasonNamesTheTargetWithoutPathOrQuery() {
        let location = "https://hooks.example.com:8443/services/T000/B000/XXXXSECRET?token=abc&sig=def"
        let result = Self.classify(301, .webhook, headers: [("Location", location)])
        let reason = Self.reason(result)
        #expect(Self.kind(result) == .disable)
        #expect(reason.contains("https://hooks.example.com:8443/…#"))
        #expect(reason.contains("not followed"))
        for leak in ["?", "token", "abc", "sig=", "XXXXSECRET", "services"] { #expect(!reason.contains(leak)) }
    }

    @Test func relativeOrMissingRedirectTargets() {
        let relative = Self.reason(Self.classify(302, .slack, headers: [("location", "/login?next=%2Fsecret")]))
        #expect(relative.contains("another path on the same host"))
        #expect(!relative.contains("login") && !relative.contains("secret"))
        #expect(Self.reason(Self.classify(307, .slack)).contains("without a Location header"))
        let otherHost = Self.reason(Self.classify(301, .discord, headers: [("Location", "//evil.example/x?t=SECRET")]))
        #expect(otherHost.contains("a redirect to //evil.example/…#"))
        #expect(!otherHost.contains("SECRET") && !otherHost.contains("?"))
        let opaque = Self.reason(Self.classify(302, .webhook, headers: [("Location", "javascript:SECRET")]))
        #expect(opaque.contains("a redirect to <redacted #"))
        #expect(!opaque.contains("SECRET"))
    }

    @Test func bodyExcerptsAreOneLineShortAndURLFree() {
        let body =
            "error:\r\n  see https://admin.example.com/hooks/SECRETTOKEN?key=KEYVALUE\u{1B}[31m for details\n"
            + String(repeating: "x", count: 1_000)
        let reason = Self.reason(Self.classify(400, .webhook, body: body))
        #expect(!reason.contains("\n") && !reason.contains("\r") && !reason.contains("\u{1B}"))
        #expect(!reason.contains("SECRETTOKEN") && !reason.contains("KEYVALUE"))
        #expect(reason.contains("error: see https://admin.example.com/…#"))
        #expect(reason.contains("…;"))
        #expect(reason.count < 400)
    }

    @Test func htmlErrorPagesShowTheirTitle() {
        let body = "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"
        #expect(
            Self.reason(Self.classify(502, .webhook, body: body))
                == "webhook answered HTTP 502 Bad Gateway: 502 Bad Gateway")
    }

    @Test func pagerDutyErrorsShowMessageAndErrors() {
        let body =
            #"{"status":"invalid event","message":"Event object is invalid","errors":["'routing_key' is invalid"]}"#
        let reason = Self.reason(Self.classify(400, .pagerduty, body: body))
        #expect(reason.contains("Event object is invalid: invalid event: 'routing_key' is invalid"))
    }

    @Test(arguments: [
        TransportFailure.refused, .reset, .timedOut(connect: true), .timedOut(connect: false),
        .tls("certificate has expired"), .dns("Name or service not known"), .other("EOF"),
    ])
    func transportFailuresAreRetried(failure: TransportFailure) {
        let result = Self.classifier.classify(failure, provider: .discord)
        #expect(Self.kind(result) == .retry)
        #expect(Self.hint(result) == nil)
        #expect(Self.reason(result).hasPrefix("discord: "))
    }

    @Test func transportDetailsAreSanitized() {
        let result = Self.classifier.classify(
            .other("failed for https://h.example/x/TOKEN\nsecond line"), provider: .slack)
        #expect(!Self.reason(result).contains("TOKEN"))
        #expect(!Self.reason(result).contains("\n"))
    }
}
