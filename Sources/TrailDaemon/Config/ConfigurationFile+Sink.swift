import TrailDelivery

extension ConfigurationFile {
    /// One sink as written: the keys every sink has, and each kind's own section (`SinkKinds`).
    /// Its `type` says which kind's keys apply; the second stage refuses a key that does not
    /// apply to the type, so a Slack sink with a `routing_key` is caught at start.
    ///
    /// Its keys are checked here, not by `KeyCheckedDecodable`: the mapping's known keys are the
    /// common ones and every kind's, which only the kinds decoding it know.
    struct Sink: Decodable, Sendable {
        /// The keys every sink has, whatever its kind.
        var common: Common
        /// Every kind's section, decoded from this sink's mapping, in the kinds' order; the one
        /// whose kind `type` names is validated in the second stage.
        var sections: [any WrittenSinkSection]
        /// The keys present, to refuse those that do not apply to the sink's type.
        var present: Set<String>

        /// The keys every sink has, read from the same mapping as the kinds' sections.
        struct Common: Decodable, Sendable {
            var name: String?
            var type: String?
            var inDoubt: String?
            var rate: String?
            var burst: Int?
            var groupWindow: ConfigDuration?
            var digestEvents: Int?

            enum CodingKeys: String, CodingKey, CaseIterable {
                case name, type, rate, burst
                case inDoubt = "in_doubt"
                case groupWindow = "group_window"
                case digestEvents = "digest_events"
            }
        }

        /// The kinds of sink to decode with: those the configuration is parsed with
        /// (`DaemonConfiguration.parse`), else the daemon's own.
        static let kindsKey = CodingUserInfoKey(rawValue: "trailhound.sinkKinds")!

        /// Refuses a key that neither the common keys nor any kind lists, then decodes the common
        /// keys and every kind's section from the one mapping.
        init(from decoder: any Decoder) throws {
            let kinds = decoder.userInfo[Self.kindsKey] as? SinkKinds ?? .builtIn
            try decoder.rejectUnknownKeys(known: Common.CodingKeys.allCases.map(\.rawValue) + kinds.keys)
            present = Set(try decoder.container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue))
            common = try Common(from: decoder)
            sections = try kinds.decodeSections(from: decoder)
        }
    }

    /// One mute (or, with `until`, a snooze) as written.
    struct Mute: KeyCheckedDecodable, Sendable {
        var rules: [String]?
        var sinks: [String]?
        var until: String?
        var reason: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case rules, sinks, until, reason
        }
    }
}
