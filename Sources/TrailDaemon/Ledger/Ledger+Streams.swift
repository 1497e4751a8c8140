import Foundation
import GRDB
package import TrailRules

extension Ledger {
    /// Every account and region that has delivered a file.
    package func streams() throws(LedgerError) -> [DeliveryGapPolicy.Stream] {
        try read("read the delivery streams") { db in
            try Row.fetchAll(db, sql: "SELECT account, region, last_delivery, gap_since FROM streams").map {
                DeliveryGapPolicy.Stream(
                    account: $0["account"], region: $0["region"], lastDelivery: $0["last_delivery"],
                    gapSince: $0["gap_since"])
            }
        }
    }

    /// Records a gap decision and enqueues its alert in one transaction.
    package func apply(_ decision: DeliveryGapPolicy.Decision, alert: RoutedAlert, now: Int64) throws(LedgerError) {
        try write("record a delivery gap") { db in
            switch decision {
            case .open(let stream):
                try db.execute(
                    sql: "UPDATE streams SET gap_since = ? WHERE account = ? AND region = ? AND gap_since IS NULL",
                    arguments: [stream.lastDelivery, stream.account, stream.region])
            case .close(let stream):
                try db.execute(
                    sql: "UPDATE streams SET gap_since = NULL WHERE account = ? AND region = ?",
                    arguments: [stream.account, stream.region])
            }
            guard db.changesCount > 0 else { return }
            _ = try Ledger.insert(alert, file: nil, now: now, db)
        }
    }
}

extension DeliveryGapPolicy.Decision {
    /// The alert (gap) or notice (recovery) this decision raises.
    package func alert(severity: RuleSeverity, now: Int) -> Alert {
        switch self {
        case .open(let stream):
            let last = Alert.isoTime(stream.lastDelivery)
            return Alert(
                notice: "trailhound-delivery-gap",
                title: "No CloudTrail files from \(stream.account) \(stream.region) since \(last)",
                severity: severity, key: "\(stream.account)\u{0}\(stream.region)\u{0}\(stream.lastDelivery)",
                account: stream.account, region: stream.region, time: Alert.isoTime(now), file: "(spool)",
                details: ["lastDelivery": last, "account": stream.account, "region": stream.region])
        case .close(let stream):
            let since = Alert.isoTime(stream.gapSince ?? stream.lastDelivery)
            return Alert(
                notice: "trailhound-delivery-resumed",
                title: "CloudTrail files from \(stream.account) \(stream.region) resumed (gap since \(since))",
                severity: .info, key: "\(stream.account)\u{0}\(stream.region)\u{0}\(stream.lastDelivery)",
                account: stream.account, region: stream.region, time: Alert.isoTime(now), file: "(spool)",
                details: [
                    "gapSince": since, "resumedWith": Alert.isoTime(stream.lastDelivery), "account": stream.account,
                    "region": stream.region,
                ])
        }
    }
}
