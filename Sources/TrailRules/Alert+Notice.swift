import Crypto
import TrailJSON

extension Alert {
    /// An alert the daemon raises about the log stream itself rather than about an event (a
    /// delivery gap, its recovery). `key` makes the id: the same notice is never raised twice.
    package init(
        notice ruleID: String, title: String, severity: RuleSeverity, key: String, account: String?, region: String?,
        time: String, file: String, details: [String: String]
    ) {
        self.ruleID = ruleID
        self.title = title
        self.severity = severity
        eventTime = time
        self.account = account
        self.region = region
        eventSource = "trailhound"
        eventName = ruleID
        self.file = file
        recordIndex = 0
        let members =
            [JSONValue.Member("notice", .string(ruleID))]
            + details.sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, .string($0.value)) }
        var bytes: [UInt8] = []
        JSONValue.object(members).write(to: &bytes)
        record = String(decoding: bytes, as: UTF8.self)
        var hasher = SHA256()
        hasher.update(data: Array(ruleID.utf8) + [0] + Array(key.utf8))
        id = Alert.hex(hasher.finalize())
    }
}
