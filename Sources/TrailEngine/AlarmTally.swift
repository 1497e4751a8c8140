package import TrailRules

/// One alarm rule's state: per group and minute of event time, what `AlarmMinute` keeps. It is
/// all that CloudWatch's semantics need (a count per minute, filter-patterns.md section 7), plus
/// the events counted and where the latest match of each minute is, so its size follows the
/// groups and minutes that had matches, never the matches or their records.
///
/// `replay` builds one per rule over every file; the daemon keeps each group's minutes in the
/// ledger and builds a tally of the groups a file touches.
package struct AlarmTally: Sendable, Hashable {
    /// A group's minute.
    package struct Key: Sendable, Hashable {
        package var group: String
        /// Minutes since 1970.
        package var minute: Int

        package init(group: String, minute: Int) {
            self.group = group
            self.minute = minute
        }
    }

    /// A window that fired, and the match that tipped it.
    package struct Firing: Sendable, Hashable {
        package var firing: AlarmEvaluator.Firing
        package var trigger: AlarmTrigger
    }

    package private(set) var minutes: [Key: AlarmMinute] = [:]

    package init(minutes: [Key: AlarmMinute] = [:]) {
        self.minutes = minutes
    }

    /// An empty tally with room for `minimumCapacity` minutes.
    package init(minimumCapacity: Int) {
        minutes = Dictionary(minimumCapacity: minimumCapacity)
    }

    package var isEmpty: Bool { minutes.isEmpty }

    /// The groups with at least one minute.
    package var groups: Set<String> { Set(minutes.keys.map(\.group)) }

    /// Counts a match of `group` unless its event was counted in its minute already. Returns
    /// whether it was counted, and the trigger it replaced as its minute's latest match (nil
    /// when it did not become the trigger, or the minute is new).
    @discardableResult
    package mutating func add(group: String, _ match: AlarmTrigger) -> (counted: Bool, replaced: AlarmTrigger??) {
        let key = Key(group: group, minute: AlarmEvaluator.floorDiv(match.time, 60))
        // One hash of the key, found or inserted: a minute with no match yet is a new one (every
        // stored minute has at least one). Most matches of a rule grouped by principal are new.
        func update(_ minute: inout AlarmMinute) -> (counted: Bool, replaced: AlarmTrigger??) {
            guard minute.count > 0 else {
                minute = AlarmMinute(match)
                return (true, .some(nil))
            }
            let previous = minute.trigger
            let (counted, isTrigger) = minute.add(match)
            guard counted else { return (false, nil) }
            return (true, isTrigger ? .some(previous) : nil)
        }
        return update(&minutes[key, default: AlarmMinute(trigger: match)])
    }

    /// Adds what `other` counted (another file's matches).
    package mutating func merge(_ other: AlarmTally) {
        for (key, minute) in other.minutes {
            if var existing = minutes[key] {
                existing.merge(minute)
                minutes[key] = existing
            } else {
                minutes[key] = minute
            }
        }
    }

    /// Sets a group's minute as stored (the daemon's ledger hands them back).
    package mutating func set(_ key: Key, _ minute: AlarmMinute?) {
        minutes[key] = minute
    }

    /// The minutes of each group, by minute.
    package var byGroup: [String: [Int: AlarmMinute]] {
        var result: [String: [Int: AlarmMinute]] = [:]
        for (key, minute) in minutes { result[key.group, default: [:]][key.minute] = minute }
        return result
    }

    /// Whether a group with `total` matches in all can go into ALARM under `spec`.
    package static func canFire(_ spec: AlarmSpec, total: Int) -> Bool {
        spec.treatMissingData == .breaching || total >= spec.threshold
    }

    /// The firings of one group's minutes, in time order.
    package static func firings(_ evaluator: AlarmEvaluator, group: String, minutes: [Int: AlarmMinute]) -> [Firing] {
        guard canFire(evaluator.spec, total: minutes.values.reduce(0) { $0 + $1.count }) else { return [] }
        var counts: [Int: (count: Int, tag: Int)] = [:]
        var triggers: [AlarmTrigger] = []
        for (minute, state) in minutes {
            counts[minute] = (state.count, triggers.count)
            triggers.append(state.trigger)
        }
        return evaluator.evaluate(group: group, minutes: counts).map {
            Firing(firing: $0, trigger: triggers[$0.trigger])
        }
    }
}

extension AlarmTally {
    /// The same tally with each minute's trigger rewritten (the daemon gives a file's matches its
    /// place in the ledger's order).
    package func mapTriggers(_ transform: (AlarmTrigger) -> AlarmTrigger) -> AlarmTally {
        AlarmTally(minutes: minutes.mapValues { $0.withTrigger(transform($0.trigger)) })
    }
}
