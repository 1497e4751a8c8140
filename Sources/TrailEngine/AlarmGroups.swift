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

    private var numbers: [String: Int32] = [:]
    private var groups: [Group] = []

    package init() {}

    /// Adds what `tally` (one file's) counted, as `AlarmTally.merge` does. Returns the triggers
    /// that were a minute's latest match and are no longer.
    @discardableResult
    package mutating func merge(_ tally: AlarmTally) -> [AlarmTrigger] {
        var replaced: [AlarmTrigger] = []
        for (key, minute) in tally.minutes {
            let number: Int
            if let known = numbers[key.group] {
                number = Int(known)
            } else {
                number = groups.count
                numbers[key.group] = Int32(number)
                groups.append(Group(name: key.group, added: 0, minutes: []))
            }
            groups[number].added += minute.count
            if let index = groups[number].minutes.firstIndex(where: { $0.minute == key.minute }) {
                let before = groups[number].minutes[index].state.trigger
                groups[number].minutes[index].state.merge(minute)
                if groups[number].minutes[index].state.trigger != before { replaced.append(before) }
            } else {
                groups[number].minutes.append((key.minute, minute))
            }
        }
        return replaced
    }

    /// The matches added for `group` so far, repeats included.
    package func added(_ group: String) -> Int { numbers[group].map { groups[Int($0)].added } ?? 0 }

    /// The state of one group's minute.
    package func minute(_ key: AlarmTally.Key) -> AlarmMinute? {
        guard let number = numbers[key.group] else { return nil }
        return groups[Int(number)].minutes.first { $0.minute == key.minute }?.state
    }

    /// The firings of `spec` over every group, in the order `AlarmTally.firings` gives them.
    package func firings(_ spec: AlarmSpec) -> [AlarmTally.Firing] {
        let evaluator = AlarmEvaluator(spec)
        var result: [AlarmTally.Firing] = []
        for group in groups where AlarmTally.canFire(spec, total: group.minutes.reduce(0) { $0 + $1.state.count }) {
            let minutes = Dictionary(uniqueKeysWithValues: group.minutes.map { ($0.minute, $0.state) })
            result += AlarmTally.firings(evaluator, group: group.name, minutes: minutes)
        }
        return result.sorted { ($0.firing.at, $0.firing.group) < ($1.firing.at, $1.firing.group) }
    }
}
