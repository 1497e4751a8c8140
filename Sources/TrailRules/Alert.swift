import Crypto
import TrailJSON

/// What a rule firing on a record becomes: everything an on-call engineer needs to act, and a
/// stable id so that the same alert is never delivered twice (see architecture.md, durability).
package struct Alert: Sendable, Hashable, Codable {
    /// Hex SHA-256 of the rule id and the event id (or of the record, when it has no `eventID`).
    package var id: String
    package var ruleID: String
    package var title: String
    package var severity: RuleSeverity
    package var eventTime: String?
    package var eventID: String?
    package var account: String?
    package var region: String?
    package var eventSource: String?
    package var eventName: String?
    package var principalType: String?
    package var principalARN: String?
    package var principalName: String?
    package var sourceIPAddress: String?
    package var userAgent: String?
    package var errorCode: String?
    package var errorMessage: String?
    /// Where the record came from.
    package var file: String
    package var recordIndex: Int
    /// The whole record, as compact JSON.
    package var record: String
    /// The event in the CloudTrail console, in the right partition.
    package var consoleURL: String?
    /// For an alarm rule: the group and window that went into ALARM, and how many matches it held.
    package var alarm: AlarmContext?

    /// Why an alarm rule fired; the alert's record is the match that tipped the window.
    package struct AlarmContext: Sendable, Hashable, Codable {
        package var group: String
        /// The window, as ISO 8601 UTC times.
        package var windowStart: String
        package var windowEnd: String
        package var count: Int
    }

    /// This alert (built from the triggering record) as the firing of an alarm: its id becomes a
    /// hash of the rule, the group and the window, so the same firing is never raised twice.
    package func firing(group: String, windowStart: Int, windowEnd: Int, count: Int) -> Alert {
        var alert = self
        alert.alarm = AlarmContext(
            group: group, windowStart: Alert.isoTime(windowStart), windowEnd: Alert.isoTime(windowEnd), count: count)
        alert.id = Alert.firingID(ruleID: ruleID, group: group, windowStart: windowStart)
        return alert
    }

    /// The id of an alarm rule's firing: a hash of the rule, the group and the window's start.
    package static func firingID(ruleID: String, group: String, windowStart: Int) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(ruleID.utf8) + [0] + Array(group.utf8) + [0] + Array(String(windowStart).utf8))
        return Alert.hex(hasher.finalize())
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970.
    package static func isoTime(_ seconds: Int) -> String {
        let days = AlarmEvaluator.floorDiv(seconds, 86_400)
        let rest = seconds - days * 86_400
        let (year, month, day) = CivilDate.date(days: days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }

    /// Lowercase hex of a digest.
    package static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// The paths an alert reads, projected in one pass (no tree is built for a matched record).
    private static let fieldPaths: [JSONPath] = [
        ["eventTime"], ["eventID"], ["recipientAccountId"], ["userIdentity", "accountId"], ["awsRegion"],
        ["eventSource"],
        ["eventName"], ["userIdentity", "type"], ["userIdentity", "arn"], ["userIdentity", "userName"],
        ["userIdentity", "sessionContext", "sessionIssuer", "userName"], ["sourceIPAddress"], ["userAgent"],
        ["errorCode"],
        ["errorMessage"],
    ].map { JSONPath($0.map { JSONPath.Step.key($0) }) }
    private static let fieldProjection = JSONProjection(paths: fieldPaths)

    /// The alert `rule` raises on `record`.
    package init(rule: Rule, record bytes: UnsafeRawBufferPointer, file: String, recordIndex: Int) {
        var compact: [UInt8] = []
        JSONCompactor.compact(bytes, into: &compact)
        var fields = Alert.fieldProjection.makeFields()
        let projected = (try? Alert.fieldProjection.project(bytes, into: &fields)) != nil
        func text(_ path: Int) -> String? {
            guard projected, let value = fields.candidates(path).first else { return nil }
            let raw = UnsafeRawBufferPointer(rebasing: bytes[value.range])
            switch value.kind {
            case .string: return value.hasEscapes ? JSONString.decodedString(raw) : String(decoding: raw, as: UTF8.self)
            case .number: return String(decoding: raw, as: UTF8.self)
            default: return nil
            }
        }
        ruleID = rule.id
        title = rule.title
        severity = rule.severity
        eventTime = text(0)
        eventID = text(1)
        account = text(2) ?? text(3)
        region = text(4)
        eventSource = text(5)
        eventName = text(6)
        principalType = text(7)
        principalARN = text(8)
        principalName = text(9) ?? text(10)
        sourceIPAddress = text(11)
        userAgent = text(12)
        errorCode = text(13)
        errorMessage = text(14)
        self.file = file
        self.recordIndex = recordIndex
        self.record = String(decoding: compact, as: UTF8.self)
        var hasher = SHA256()
        hasher.update(data: Array(rule.id.utf8) + [0])
        hasher.update(data: eventID.map { Array($0.utf8) } ?? compact)
        id = Alert.hex(hasher.finalize())
        consoleURL = Alert.consoleURL(region: region, eventID: eventID, arn: principalARN)
    }

    /// The CloudTrail console's page for the event: `aws`, `aws-us-gov` and `aws-cn` partitions
    /// have different consoles. The partition comes from the principal's ARN, or the region.
    static func consoleURL(region: String?, eventID: String?, arn: String?) -> String? {
        guard let region, let eventID, !region.isEmpty, !eventID.isEmpty else { return nil }
        let partition =
            arn.flatMap { $0.split(separator: ":").dropFirst().first.map(String.init) }
            ?? (region.hasPrefix("us-gov-") ? "aws-us-gov" : region.hasPrefix("cn-") ? "aws-cn" : "aws")
        switch partition {
        case "aws-us-gov":
            return "https://console.amazonaws-us-gov.com/cloudtrail/home?region=\(region)#/events/\(eventID)"
        case "aws-cn": return "https://console.amazonaws.cn/cloudtrail/home?region=\(region)#/events/\(eventID)"
        default: return "https://\(region).console.aws.amazon.com/cloudtrailv2/home?region=\(region)#/events/\(eventID)"
        }
    }

    /// The alert as one line of JSON (fields in a fixed order; absent values omitted).
    package var jsonLine: String {
        var members: [JSONValue.Member] = [
            .init("id", .string(id)), .init("rule", .string(ruleID)), .init("title", .string(title)),
            .init("severity", .string(severity.rawValue)),
        ]
        let optional: [(String, String?)] = [
            ("eventTime", eventTime), ("eventID", eventID), ("account", account), ("region", region),
            ("eventSource", eventSource), ("eventName", eventName), ("principalType", principalType),
            ("principalArn", principalARN), ("principalName", principalName), ("sourceIPAddress", sourceIPAddress),
            ("userAgent", userAgent), ("errorCode", errorCode), ("errorMessage", errorMessage),
            ("consoleUrl", consoleURL),
        ]
        for (key, value) in optional { if let value { members.append(.init(key, .string(value))) } }
        if let alarm {
            members.append(
                .init(
                    "alarm",
                    .object([
                        .init("group", .string(alarm.group)), .init("windowStart", .string(alarm.windowStart)),
                        .init("windowEnd", .string(alarm.windowEnd)), .init("count", .number(String(alarm.count))),
                    ])))
        }
        members.append(.init("file", .string(file)))
        members.append(.init("recordIndex", .number(String(recordIndex))))
        var bytes: [UInt8] = []
        JSONValue.object(members).write(to: &bytes)
        // The record is spliced in as it was read, not re-encoded.
        bytes.removeLast()
        bytes += Array(",\"record\":".utf8) + Array(record.utf8) + [UInt8(ascii: "}")]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The alert for people: one headline and the who, what and where.
    package var text: String {
        var lines = ["[\(severity.rawValue.uppercased())] \(ruleID): \(title)"]
        if let alarm {
            lines.append(
                "  alarm: \(alarm.count) matches for \(alarm.group) between \(alarm.windowStart) and \(alarm.windowEnd)"
            )
        }
        let what = [eventSource, eventName].compactMap { $0 }.joined(separator: " ")
        lines.append("  \(eventTime ?? "(no time)")  \(what)  account \(account ?? "?")  \(region ?? "?")")
        lines.append("  by \(principalARN ?? principalType ?? "(unknown principal)") from \(sourceIPAddress ?? "?")")
        if let errorCode { lines.append("  error \(errorCode)\(errorMessage.map { ": \($0)" } ?? "")") }
        lines.append("  \(file) record \(recordIndex)\(consoleURL.map { "  \($0)" } ?? "")")
        return lines.joined(separator: "\n")
    }
}
