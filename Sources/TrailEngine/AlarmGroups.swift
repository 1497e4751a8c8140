package import TrailRules

/// One alarm rule's minutes gathered from many files (a replay's), by group: what merging their
/// `AlarmTally`s gives, laid out for a rule grouped by principal, where a hundred thousand groups
/// have one minute each. Each group is named once and numbered, and its minutes are a small array
/// beside the count of its matches; a table keyed by (group name, minute) spent most of replay's
/// memory on its buckets and on the copy each time it grew.
package struct AlarmGroups: Sendable {
    private struct Group: Sendable {
        var name: String
        /// Matches added so far (a repeated event counts again: an upper bound of the count).
        var added: Int
        var minutes: [(minute: Int, state: AlarmMinute)]
    }

    /// Groups by the fingerprint of their name (`EventFingerprint`, as the daemon's ledger keys
    /// them): a key compared where it lies in the table, not through a string's storage
    /// elsewhere in memory, which a hundred thousand groups make a cache miss each time.
    private var numbers: [EventFingerprint: Int32] = [:]
    private var groups: [Group] = []

    package init() {}

    /// Adds what `tally` (one file's) counted, as `AlarmTally.merge` does. Returns the triggers
    /// that were a minute's latest match and are no longer, and the number of the group of each
    /// of `tally`'s minutes, in the order `tally.minutes` lists them.
    @discardableResult
    package mutating func merge(_ tally: AlarmTally) -> (replaced: [AlarmTrigger], groups: [Int32]) {
        var replaced: [AlarmTrigger] = []
        var numbered: [Int32] = []
        numbered.reserveCapacity(tally.minutes.count)
        for (key, minute) in tally.minutes {
            // One hash of the name, found or inserted.
            let next = Int32(groups.count)
            let number = { (number: inout Int32) in number }(&numbers[EventFingerprint(key.group), default: next])
            if number == next { groups.append(Group(name: key.group, added: 0, minutes: [])) }
            numbered.append(number)
            let index = Int(number)
            groups[index].added += minute.count
            if let found = groups[index].minutes.firstIndex(where: { $0.minute == key.minute }) {
                let before = groups[index].minutes[found].state.trigger
                groups[index].minutes[found].state.merge(minute)
                if groups[index].minutes[found].state.trigger != before { replaced.append(before) }
            } else {
                groups[index].minutes.append((key.minute, minute))
            }
        }
        return (replaced, numbered)
    }

    /// The number `merge` gave `group`, if it has had a match.
    package func number(of group: String) -> Int32? { numbers[EventFingerprint(group)] }

    /// The matches added for the group numbered `group` so far, repeats included.
    package func added(group: Int32) -> Int { groups[Int(group)].added }

    /// The state of `minute` of the group numbered `group`.
    package func minute(group: Int32, minute: Int) -> AlarmMinute? {
        groups[Int(group)].minutes.first { $0.minute == minute }?.state
    }

    /// The firings of `spec` over every group, in time order (then group order), each with the
    /// match that tipped its window.
    package func firings(_ spec: AlarmSpec) -> [AlarmTally.Firing] {
        let evaluator = AlarmEvaluator(spec)
        // Only groups that can fire are evaluated: with missing data that does not breach, a
        // window in ALARM holds a period of at least `threshold` matches, so a group with fewer
        // in all cannot (most groups of a rule grouped by principal are one match).
        var result: [AlarmTally.Firing] = []
        for group in groups where AlarmTally.canFire(spec, total: group.minutes.reduce(0) { $0 + $1.state.count }) {
            let minutes = Dictionary(uniqueKeysWithValues: group.minutes.map { ($0.minute, $0.state) })
            result += AlarmTally.firings(evaluator, group: group.name, minutes: minutes)
        }
        return result.sorted { ($0.firing.at, $0.firing.group) < ($1.firing.at, $1.firing.group) }
    }
}
