/// What an alarm rule keeps of one minute of one group: the count, the events counted, and the
/// latest match. Its size grows with the distinct events of that minute (16 bytes each), never
/// with their records.
package struct AlarmMinute: Sendable, Hashable {
    /// The fingerprints of the `eventID`s counted, sorted: one inline (most minutes of most
    /// groups hold one event, and an array would cost an allocation each), more in an array.
    private enum Events: Sendable, Hashable {
        case none
        case one(EventFingerprint)
        case many([EventFingerprint])
    }

    private var events: Events
    /// Matches without an `eventID`: each counts (nothing says two are the same event).
    package private(set) var anonymous: Int
    /// The latest match (by event time, then arrival): the record a window ending after this
    /// minute, and tipped here, names.
    package private(set) var trigger: AlarmTrigger

    package init(eventIDs: [EventFingerprint] = [], anonymous: Int = 0, trigger: AlarmTrigger) {
        events = Self.events(eventIDs)
        self.anonymous = anonymous
        self.trigger = trigger
    }

    /// The fingerprints of the `eventID`s counted, in order: a repeat is not counted.
    package var eventIDs: [EventFingerprint] {
        switch events {
        case .none: []
        case .one(let id): [id]
        case .many(let ids): ids
        }
    }

    /// Matches counted.
    package var count: Int {
        switch events {
        case .none: anonymous
        case .one: 1 + anonymous
        case .many(let ids): ids.count + anonymous
        }
    }

    /// A minute holding only `match`.
    package init(_ match: AlarmTrigger) {
        events = match.eventID.map { .one($0) } ?? .none
        anonymous = match.eventID == nil ? 1 : 0
        trigger = match
    }

    /// Counts `match` unless its event was counted already; returns whether it was counted and
    /// whether it became the minute's trigger.
    package mutating func add(_ match: AlarmTrigger) -> (counted: Bool, trigger: Bool) {
        if let id = match.eventID {
            if case .one(let only) = events, only == id { return (false, false) }
            if case .many(let ids) = events {
                let index = Self.insertionIndex(id, in: ids)
                if index < ids.count && ids[index] == id { return (false, false) }
            }
            var ids = eventIDs
            events = .none  // the array is then ours alone: the insert is in place
            ids.insert(id, at: Self.insertionIndex(id, in: ids))
            events = Self.events(ids)
        } else {
            anonymous += 1
        }
        guard match.isLater(than: trigger) else { return (true, false) }
        trigger = match
        return (true, true)
    }

    private static func events(_ ids: [EventFingerprint]) -> Events {
        switch ids.count {
        case 0: .none
        case 1: .one(ids[0])
        default: .many(ids)
        }
    }

    /// Adds what `other` counted of the same minute (a file evaluated apart); an event both
    /// counted counts once.
    package mutating func merge(_ other: AlarmMinute) {
        let eventIDs = self.eventIDs
        let otherIDs = other.eventIDs
        var merged: [EventFingerprint] = []
        merged.reserveCapacity(eventIDs.count + otherIDs.count)
        var left = 0
        var right = 0
        while left < eventIDs.count || right < otherIDs.count {
            if right == otherIDs.count || (left < eventIDs.count && eventIDs[left] < otherIDs[right]) {
                merged.append(eventIDs[left])
                left += 1
            } else {
                if left < eventIDs.count && eventIDs[left] == otherIDs[right] { left += 1 }
                merged.append(otherIDs[right])
                right += 1
            }
        }
        events = Self.events(merged)
        anonymous += other.anonymous
        if other.trigger.isLater(than: trigger) { trigger = other.trigger }
    }

    private static func insertionIndex(_ id: EventFingerprint, in ids: [EventFingerprint]) -> Int {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension AlarmMinute {
    /// The same minute with another trigger (the same match, placed otherwise).
    package func withTrigger(_ trigger: AlarmTrigger) -> AlarmMinute {
        AlarmMinute(eventIDs: eventIDs, anonymous: anonymous, trigger: trigger)
    }
}
