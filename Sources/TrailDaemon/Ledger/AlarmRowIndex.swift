import Foundation
import GRDB
import TrailEngine

/// Which minutes `alarm_minutes` holds for each rule and group, and their counts, kept in memory
/// beside the table.
///
/// The table is stored in time order (its key leads with the rule and the minute), so a file's
/// commit, whose matches fall in the few minutes the file covers, rewrites a few neighbouring
/// pages; keyed by group, a rule grouped by principal had a thousand groups in every file, spread
/// over the whole table, and each commit rewrote (and logged to the WAL) most of its pages. In
/// time order the table cannot find one group's minutes by itself: this index can, and then each
/// is one key lookup.
///
/// The minutes and counts let a file's commit read only what its decision needs
/// (`AlarmDecision.Reach`): a group whose matches, stored and new, are too few to fire needs only
/// the minutes the file adds to (most groups of a rule grouped by principal), and any other group
/// only those within a few windows of the file's, not the days it has.
///
/// It holds every row the table has, and for a while some more: a row is listed (with the count
/// written) when its transaction writes it, so a rollback leaves it listed with a count no lower
/// than the stored one, and is removed once a transaction that deleted it has committed. A
/// minute listed but not stored is a lookup that finds nothing, and a count too high more minutes
/// read than needed; a minute stored but not listed would be counted as empty and overwritten,
/// and a count too low could hide a window that fires, which this order rules out.
///
/// It also knows which groups have episodes in `alarm_episodes` (by rule id and group name, as
/// that table keys them), in the same way: listed from the write on, until a sweep's commit.
struct AlarmRowIndex: Sendable {
    /// A listed minute: minutes since 1970 and its count, in 8 bytes (an index of a rule grouped by
    /// principal has a hundred thousand).
    struct Listed: Sendable, Hashable {
        var minute: Int32
        var count: Int32

        init(minute: Int, count: Int) {
            self.minute = Int32(clamping: minute)
            self.count = Int32(clamping: count)
        }
    }

    private var rules: [Int: [EventFingerprint: [Listed]]] = [:]
    private var episodes: [String: Set<String>] = [:]

    init() {}

    /// The index of what the ledger holds now.
    init(_ db: Database) throws {
        let rows = try Row.fetchCursor(
            db, sql: "SELECT rule, grp, minute, length(event_ids) / 16 + anonymous FROM alarm_minutes")
        while let row = try rows.next() {
            guard let group = Ledger.fingerprints(row[1] as Data).first else { continue }
            insert(rule: row[0], group: group, minute: row[2], count: row[3])
        }
        setEpisodes(
            try Row.fetchAll(db, sql: "SELECT DISTINCT rule_id, grp FROM alarm_episodes").map { ($0[0], $0[1]) })
    }

    /// The minutes listed for `group` of `rule`, in no particular order.
    func minutes(rule: Int, group: EventFingerprint) -> [Listed] { rules[rule]?[group] ?? [] }

    /// Lists `minute` of `group` with `count`, the count its row is written with.
    mutating func insert(rule: Int, group: EventFingerprint, minute: Int, count: Int) {
        let listed = Listed(minute: minute, count: count)
        if let index = rules[rule]?[group]?.firstIndex(where: { $0.minute == listed.minute }) {
            rules[rule]![group]![index] = listed
        } else {
            rules[rule, default: [:]][group, default: []].append(listed)
        }
    }

    mutating func remove(rule: Int, group: EventFingerprint, minutes removed: [Int]) {
        guard var minutes = rules[rule]?[group] else { return }
        minutes.removeAll { removed.contains(Int($0.minute)) }
        rules[rule]![group] = minutes.isEmpty ? nil : minutes
    }

    /// Forgets every minute before `cut`, of every rule and group (the ledger's sweep).
    mutating func removeAll(before cut: Int) {
        for rule in Array(rules.keys) {
            rules[rule] = rules[rule]!.compactMapValues { minutes in
                let kept = minutes.filter { Int($0.minute) >= cut }
                return kept.isEmpty ? nil : kept
            }
        }
    }

    func hasEpisodes(rule: String, group: String) -> Bool { episodes[rule]?.contains(group) == true }

    mutating func insertEpisodes(rule: String, group: String) { episodes[rule, default: []].insert(group) }

    /// The groups with episodes are exactly `groups` (what a sweep left).
    mutating func setEpisodes(_ groups: [(rule: String, group: String)]) {
        episodes = [:]
        for (rule, group) in groups { insertEpisodes(rule: rule, group: group) }
    }

}
