import TrailJSON

extension AlertDigest {
    /// The digest as one line of JSON: its summary, then the shown alerts in full (each as its
    /// `jsonLine`, spliced in as written).
    package var jsonLine: String {
        func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
        var members: [JSONValue.Member] = [
            .init("type", .string("digest")), .init("id", .string(id)), .init("rule", .string(ruleID)),
            .init("title", .string(title)), .init("severity", .string(severity.rawValue)),
            .init("count", .number(String(count))),
        ]
        if let firstEventTime { members.append(.init("firstEventTime", .string(firstEventTime))) }
        if let lastEventTime { members.append(.init("lastEventTime", .string(lastEventTime))) }
        members += [
            .init("accounts", strings(accounts)), .init("regions", strings(regions)),
            .init("principals", strings(principals)),
        ]
        var bytes: [UInt8] = []
        JSONValue.object(members).write(to: &bytes)
        bytes.removeLast()
        bytes += Array(",\"alerts\":[".utf8)
        bytes += Array(alerts.map(\.jsonLine).joined(separator: ",").utf8)
        bytes += Array("]}".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The digest for people: a headline with the count and span, then one line per shown alert.
    package var text: String {
        var lines = ["[\(severity.rawValue.uppercased())] \(ruleID): \(count)× \(title)"]
        lines.append("  between \(firstEventTime ?? "?") and \(lastEventTime ?? "?")")
        lines.append("  accounts \(accounts.joined(separator: ", "))  regions \(regions.joined(separator: ", "))")
        for alert in alerts {
            let what = [alert.eventSource, alert.eventName].compactMap { $0 }.joined(separator: " ")
            lines.append(
                "  - \(alert.eventTime ?? "?")  \(what)  by \(alert.principalARN ?? alert.principalName ?? "?")")
        }
        if count > alerts.count { lines.append("  … and \(count - alerts.count) more") }
        lines.append("  digest \(id.prefix(8))")
        return lines.joined(separator: "\n")
    }
}
