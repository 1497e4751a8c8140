/// Decides when an account and region's CloudTrail delivery has stopped, and when it resumed:
/// a pure function of the streams the ledger knows and the time, tested without a clock.
package struct DeliveryGapPolicy: Sendable {
    /// The newest file an account and region delivered, and whether a gap alert is open.
    package struct Stream: Sendable, Hashable {
        package var account: String
        package var region: String
        /// Delivery time (from the file name), seconds since 1970.
        package var lastDelivery: Int
        /// The `lastDelivery` the open gap alert was raised for; nil when none is open.
        package var gapSince: Int?

        package init(account: String, region: String, lastDelivery: Int, gapSince: Int? = nil) {
            self.account = account
            self.region = region
            self.lastDelivery = lastDelivery
            self.gapSince = gapSince
        }
    }

    package enum Decision: Sendable, Hashable {
        /// No file for `after` or longer: raise the gap alert.
        case open(Stream)
        /// Files resumed after an open gap: send the recovery notice.
        case close(Stream)
    }

    package let configuration: DaemonConfiguration.DeliveryGap

    package init(_ configuration: DaemonConfiguration.DeliveryGap) {
        self.configuration = configuration
    }

    /// What to raise for `streams` at `now` (seconds since 1970).
    package func decide(_ streams: [Stream], now: Int) -> [Decision] {
        let after = Int(configuration.after.components.seconds)
        var decisions: [Decision] = []
        for stream in streams {
            if !configuration.accounts.isEmpty && !configuration.accounts.contains(stream.account) { continue }
            if !configuration.regions.isEmpty && !configuration.regions.contains(stream.region) { continue }
            if let since = stream.gapSince {
                if stream.lastDelivery > since { decisions.append(.close(stream)) }
            } else if now - stream.lastDelivery >= after {
                decisions.append(.open(stream))
            }
        }
        return decisions
    }
}
