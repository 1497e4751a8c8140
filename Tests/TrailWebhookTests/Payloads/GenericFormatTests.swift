import Testing
import TrailJSON
import TrailRules
import TrailWebhook

/// Generic JSON payloads: exactly the alert's `jsonLine`, and digests with alerts spliced raw.
struct GenericFormatTests {
    typealias F = PayloadFixtures

    @Test("an alert renders as exactly its jsonLine, byte for byte, every time")
    func alertIsJSONLine() throws {
        for alert in [F.consoleLogin, F.deniedIngress, F.hostile()] {
            let first = GenericFormat().render(alert)
            #expect(first == Array(alert.jsonLine.utf8))
            #expect(GenericFormat().render(alert) == first)
            #expect(try F.parse(first)["id"] == .string(alert.id))
        }
    }

    @Test("a digest of 500 alerts shown 10 has its fields in order and the 10 jsonLines spliced raw")
    func digestOfFiveHundred() throws {
        let digest = AlertDigest(alerts: F.manyAlerts(), shown: 10)
        let bytes = GenericFormat().render(digest)
        #expect(GenericFormat().render(digest) == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        let head =
            #"{"type":"digest","id":"\#(digest.id)","rule":"cis-3.2-console-login-without-mfa","#
            + #""title":"Console sign-in without MFA","severity":"high","count":500,"#
            + #""firstEventTime":"2026-11-22T11:00:00Z","lastEventTime":"2026-11-22T11:08:19Z","#
            + #""accounts":["111122223330","111122223331","111122223332"],"regions":["eu-west-1","us-east-1"],"#
        #expect(text.hasPrefix(head))
        let alerts = "\"alerts\":[" + digest.alerts.map(\.jsonLine).joined(separator: ",") + "]}"
        #expect(text.hasSuffix(alerts))
        let value = try F.parse(bytes)
        #expect(
            F.keys(value) == [
                "type", "id", "rule", "title", "severity", "count", "firstEventTime", "lastEventTime", "accounts",
                "regions", "principals", "alerts",
            ])
        #expect(F.array(value["principals"]).count == 7 && F.array(value["alerts"]).count == 10)
    }

    @Test("a digest without event times leaves the times out instead of writing null")
    func digestWithoutTimes() throws {
        let notice = Alert(
            notice: "trailhound-gap", title: "No CloudTrail files", severity: .high, key: "gap-1", account: nil,
            region: nil, time: "2026-11-22T10:00:00Z", file: "-", details: [:])
        var timeless = notice
        timeless.eventTime = nil
        let value = try F.parse(GenericFormat().render(AlertDigest(alerts: [timeless], shown: 5)))
        #expect(value["firstEventTime"] == nil && value["lastEventTime"] == nil)
        #expect(value["count"] == .number("1") && F.array(value["accounts"]).isEmpty)
    }
}
