/// What an alarm rule keeps of one minute of one group: the count, the events counted, and the
/// latest match. Its size grows with the distinct events of that minute (16 bytes each), never
/// with their records.
package struct AlarmMinute: Sendable, Hashable {
    /// Fingerprints of the `eventID`s counted, in order (binary search): a repeat is not counted.
    package private(set) var eventIDs: [EventFingerprint]
    /// Matches without an `eventID`: each counts (nothing says two are the same event).
    package private(set) var anonymous: Int
    /// The latest match (by event time, then arrival): the record a window ending after this
    /// minute, and tipped here, names.
    package private(set) var trigger: AlarmTrigger

    package init(eventIDs: [EventFingerprint] = [], anonymous: Int = 0, trigger: AlarmTrigger) {
        self.eventIDs = eventIDs
        self.anonymous = anonymous
        self.trigger = trigger
    }

    /// Matches counted.
    package var count: Int { eventIDs.count + anonymous }

    /// A minute holding only `match`.
    package init(_ match: AlarmTrigger) {
        eventIDs = match.eventID.map { [$0] } ?? []
        anonymous = match.eventID == nil ? 1 : 0
        trigger = match
    }

    /// Counts `match` unless its event was counted already; returns whether it was counted and
    /// whether it became the minute's trigger.
    package mutating func add(_ match: AlarmTrigger) -> (counted: Bool, trigger: Bool) {
        if let id = match.eventID {
            let index = insertionIndex(id)
            if index < eventIDs.count && eventIDs[index] == id { return (false, false) }
            eventIDs.insert(id, at: index)
        } else {
            anonymous += 1
        }
        guard match.isLater(than: trigger) else { return (true, false) }
        trigger = match
        return (true, true)
    }

    /// Adds what `other` counted of the same minute (a file evaluated apart); an event both
    /// counted counts once.
    package mutating func merge(_ other: AlarmMinute) {
        var merged: [EventFingerprint] = []
        merged.reserveCapacity(eventIDs.count + other.eventIDs.count)
        var left = 0
        var right = 0
        while left < eventIDs.count || right < other.eventIDs.count {
            if right == other.eventIDs.count || (left < eventIDs.count && eventIDs[left] < other.eventIDs[right]) {
                merged.append(eventIDs[left])
                left += 1
            } else {
                if left < eventIDs.count && eventIDs[left] == other.eventIDs[right] { left += 1 }
                merged.append(other.eventIDs[right])
                right += 1
            }
        }
        eventIDs = merged
        anonymous += other.anonymous
        if other.trigger.isLater(than: trigger) { trigger = other.trigger }
    }

    private func insertionIndex(_ id: EventFingerprint) -> Int {
        var low = 0
        var high = eventIDs.count
        while low < high {
            let middle = (low + high) / 2
            if eventIDs[middle] < id { low = middle + 1 } else { high = middle }
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
