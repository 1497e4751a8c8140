import TrailDelivery

extension ConfigurationFile {
    /// One sink as written: the keys every sink has, and each kind's own section (`SinkKinds`).
    /// Its `type` says which kind's keys apply; the second stage refuses a key that does not
    /// apply to the type, so a Slack sink with a `routing_key` is caught at start.
    struct Sink: Decodable, Sendable {
        var name: String?
        var type: String?
        var inDoubt: String?
        var rate: String?
        var burst: Int?
        var groupWindow: ConfigDuration?
        var digestEvents: Int?
        /// Every kind's section, decoded from this sink's mapping, in the kinds' order; the one
        /// whose kind `type` names is validated in the second stage.
        var sections: [any WrittenSinkSection] = []

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, type, rate, burst
            case inDoubt = "in_doubt"
            case groupWindow = "group_window"
            case digestEvents = "digest_events"
        }

        /// The keys present, to refuse those that do not apply to the sink's type.
        var present: Set<String> = []

        /// The kinds of sink to decode with: those the configuration is parsed with
        /// (`DaemonConfiguration.parse`), else the daemon's own.
        static let kindsKey = CodingUserInfoKey(rawValue: "trailhound.sinkKinds")!

        init(from decoder: any Decoder) throws {
            let kinds = decoder.userInfo[Self.kindsKey] as? SinkKinds ?? .builtIn
            try decoder.rejectUnknownKeys(known: CodingKeys.allCases.map(\.rawValue) + kinds.keys)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            present = Set(try decoder.container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue))
            name = try c.decodeIfPresent(String.self, forKey: .name)
            type = try c.decodeIfPresent(String.self, forKey: .type)
            inDoubt = try c.decodeIfPresent(String.self, forKey: .inDoubt)
            rate = try c.decodeIfPresent(String.self, forKey: .rate)
            burst = try c.decodeIfPresent(Int.self, forKey: .burst)
            groupWindow = try c.decodeIfPresent(ConfigDuration.self, forKey: .groupWindow)
            digestEvents = try c.decodeIfPresent(Int.self, forKey: .digestEvents)
            sections = try kinds.decodeSections(from: decoder)
        }
    }

    /// One mute (or, with `until`, a snooze) as written.
    struct Mute: Decodable, Sendable {
        var rules: [String]?
        var sinks: [String]?
        var until: String?
        var reason: String?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case rules, sinks, until, reason
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            rules = try c.decodeIfPresent([String].self, forKey: .rules)
            sinks = try c.decodeIfPresent([String].self, forKey: .sinks)
            until = try c.decodeIfPresent(String.self, forKey: .until)
            reason = try c.decodeIfPresent(String.self, forKey: .reason)
        }
    }
}
