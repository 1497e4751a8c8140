import TrailDelivery
package import TrailEngine

extension DaemonConfiguration {
    /// How the daemon's alarm rules treat time: how late a match may arrive and still count where
    /// `trailhound replay` would count it, and how far ahead of our clock an `eventTime` may be.
    package struct Alarms: Sendable, Hashable {
        /// Matches older than this (by the wall clock) do not count, and history is kept this long
        /// (plus the rule's window); the default is the engine's (`AlarmAdmission.defaultLateness`).
        package var lateness: Duration = AlarmAdmission.defaultLateness
        /// Matches later than now plus this do not count: a time beyond it is not real.
        package var clockSkew: Duration = AlarmAdmission.defaultClockSkew

        package init() {}

        /// The lateness the configuration allows: an hour at least (less would skip files CloudTrail
        /// routinely delivers late), 30 days at most (the history is kept, and evaluated again, that long).
        static let latenessRange = Duration.seconds(3_600)...Duration.seconds(30 * 86_400)
        /// The clock skew it allows: up to a day.
        static let clockSkewRange = Duration.zero...Duration.seconds(86_400)
    }

    /// Checks the `alarms:` section and fills in its defaults.
    static func alarms(_ section: ConfigurationFile.Alarms) throws(ConfigurationError) -> Alarms {
        var alarms = Alarms()
        if let lateness = section.lateness {
            guard Alarms.latenessRange.contains(lateness.duration) else {
                throw .invalidValue(
                    path: "alarms.lateness",
                    reason:
                        "`\(lateness)` is out of range: it must be between 1h (less would skip files CloudTrail "
                        + "routinely delivers late) and 30d (alarm history is kept, and evaluated again, that long)")
            }
            alarms.lateness = lateness.duration
        }
        if let skew = section.clockSkew {
            guard Alarms.clockSkewRange.contains(skew.duration) else {
                throw .invalidValue(
                    path: "alarms.clock_skew",
                    reason: "`\(skew)` is out of range: it must be at most 1d (fix the host clock instead; use NTP)")
            }
            alarms.clockSkew = skew.duration
        }
        return alarms
    }
}

extension AlarmAdmission {
    /// The daemon's admission: the configured lateness and clock skew.
    package init(_ alarms: DaemonConfiguration.Alarms) {
        self.init(lateness: alarms.lateness, clockSkew: alarms.clockSkew)
    }
}
