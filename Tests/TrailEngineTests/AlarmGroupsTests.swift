import Testing
import TrailEngine
import TrailTestKit

@testable import TrailRules

/// `AlarmGroups` is replay's layout of merged tallies (issue 19): it must hold what merging the
/// files' `AlarmTally`s holds, and fire exactly the same windows in the same order.
/// (`AlarmTallyTests` checks its firings against evaluating every match.)
struct AlarmGroupsTests {
    /// Files of matches over a few groups and minutes, with repeated events and events without
    /// an id, merged both ways: the same minutes, firings and replaced triggers.
    @Test(arguments: [1, 7, 42])
    func mergingFilesGivesWhatTheTallyGives(seed: UInt64) throws {
        let spec = try #require(try AlarmTallyTests.rules(threshold: 4).rules.first?.alarm)
        var random = SplitMix64(seed: seed)
        var tally = AlarmTally()
        var groups = AlarmGroups()
        var replacedByTally: [AlarmTrigger] = []
        var replacedByGroups: [AlarmTrigger] = []
        for unit in 0..<12 {
            var file = AlarmTally()
            for record in 0..<40 {
                let id = random.next() % 5 == 0 ? nil : EventFingerprint("e\(random.next() % 150)".utf8)
                let match = AlarmTrigger(
                    time: AlarmTallyTests.base + Int(random.next() % 1_800), order: UInt64(unit) << 32 | UInt64(record),
                    unit: unit, record: record, eventID: id)
                file.add(group: "user-\(random.next() % 6)", match)
            }
            for (key, minute) in file.minutes {
                if let before = tally.minutes[key]?.trigger {
                    var merged = tally.minutes[key]!
                    merged.merge(minute)
                    if merged.trigger != before { replacedByTally.append(before) }
                }
            }
            tally.merge(file)
            let merged = groups.merge(file)
            replacedByGroups += merged.replaced
            for ((key, _), number) in zip(file.minutes, merged.groups) { #expect(groups.number(of: key.group) == number) }
        }
        #expect(Set(replacedByGroups) == Set(replacedByTally))
        for (key, minute) in tally.minutes {
            let group = try #require(groups.number(of: key.group))
            #expect(groups.minute(group: group, minute: key.minute) == minute)
        }
        // `firing.trigger` is the evaluator's handle on the minute, which depends on the order a
        // dictionary is walked in; the match it stands for is `trigger`, and that is compared.
        func comparable(_ firings: [AlarmTally.Firing]) -> [AlarmTally.Firing] {
            firings.map { var firing = $0; firing.firing.trigger = 0; return firing }
        }
        // Each group's firings from the merged tally, in `AlarmGroups`' order.
        let evaluator = AlarmEvaluator(spec)
        let firings = tally.byGroup.flatMap { AlarmTally.firings(evaluator, group: $0.key, minutes: $0.value) }
            .sorted { ($0.firing.at, $0.firing.group) < ($1.firing.at, $1.firing.group) }
        #expect(firings.count >= 3)
        #expect(comparable(groups.firings(spec)) == comparable(firings))
    }

    @Test func addedCountsEveryMatchOfAGroupAndNothingOfOthers() throws {
        var file = AlarmTally()
        let id = EventFingerprint("e1".utf8)
        for record in 0..<3 {
            file.add(
                group: "bob",
                AlarmTrigger(time: AlarmTallyTests.base + record, order: UInt64(record), unit: 0, record: record, eventID: nil))
        }
        file.add(group: "eve", AlarmTrigger(time: AlarmTallyTests.base, order: 9, unit: 0, record: 9, eventID: id))
        var groups = AlarmGroups()
        groups.merge(file)
        groups.merge(file)
        let bob = try #require(groups.number(of: "bob"))
        let eve = try #require(groups.number(of: "eve"))
        #expect(groups.added(group: bob) == 6 && groups.added(group: eve) == 2 && groups.number(of: "mallory") == nil)
        #expect(groups.minute(group: eve, minute: AlarmTallyTests.base / 60)?.count == 1)
    }
}
