import TrailJSON

/// Where a match that can tip an alarm's window is: which unit (a file of a replay, a spool file
/// of the daemon) and which record in it, with its event time and arrival order, so the latest
/// match of a minute is known without keeping its record.
package struct AlarmTrigger: Sendable, Hashable {
    /// The match's `eventTime`, seconds since 1970.
    package var time: Int
    /// Arrival order among matches of the same time: the later one is the minute's trigger, as
    /// it is when every match is kept (`AlarmEvaluator` orders by time, then arrival).
    package var order: UInt64
    /// The caller's handle on the unit the record came from.
    package var unit: Int
    /// The record's index in its unit.
    package var record: Int
    /// The record's `eventID`, fingerprinted; nil when it has none.
    package var eventID: EventFingerprint?

    package init(time: Int, order: UInt64, unit: Int, record: Int, eventID: EventFingerprint?) {
        self.time = time
        self.order = order
        self.unit = unit
        self.record = record
        self.eventID = eventID
    }

    /// Whether this match comes after `other` in the order windows see them.
    package func isLater(than other: AlarmTrigger) -> Bool { (time, order) > (other.time, other.order) }

    /// The fingerprint of `record`'s `eventID` as the tally read it (a string, decoded, or a
    /// number), to check that a record read again is the one that was counted.
    package static func eventID(of record: UnsafeRawBufferPointer) -> EventFingerprint? {
        var fields = eventIDProjection.makeFields()
        guard (try? eventIDProjection.project(record, into: &fields)) != nil,
            let value = fields.candidates(0).first
        else { return nil }
        let raw = UnsafeRawBufferPointer(rebasing: record[value.range])
        switch value.kind {
        case .string: return EventFingerprint(value.hasEscapes ? Array(JSONString.decodedString(raw).utf8) : Array(raw))
        case .number: return EventFingerprint(raw)
        default: return nil
        }
    }

    private static let eventIDProjection = JSONProjection(paths: [JSONPath([.key("eventID")])])
}
