import TrailDelivery

extension ConfigurationFile {
    /// The `alarms:` section as written: how late and how far ahead alarm matches may be.
    struct Alarms: Decodable, Sendable {
        var lateness: ConfigDuration?
        var clockSkew: ConfigDuration?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case lateness
            case clockSkew = "clock_skew"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            lateness = try c.decodeIfPresent(ConfigDuration.self, forKey: .lateness)
            clockSkew = try c.decodeIfPresent(ConfigDuration.self, forKey: .clockSkew)
        }
    }
}
