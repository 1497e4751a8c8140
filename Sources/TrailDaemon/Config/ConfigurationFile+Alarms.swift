import TrailDelivery

extension ConfigurationFile {
    /// The `alarms:` section as written: how late and how far ahead alarm matches may be.
    struct Alarms: KeyCheckedDecodable, Sendable {
        var lateness: ConfigDuration?
        var clockSkew: ConfigDuration?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case lateness
            case clockSkew = "clock_skew"
        }
    }
}
