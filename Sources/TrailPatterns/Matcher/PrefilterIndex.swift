import TrailJSON

/// Maps the literals patterns require (`PatternRequirement`) to the patterns that require them.
///
/// Most CloudTrail rules only match a handful of `eventName` or `eventSource` values. Instead of
/// evaluating every pattern on every record, the matcher looks each indexed selector's value up
/// here once and evaluates only the patterns listed for it, plus the patterns that have no
/// requirement. Skipping a pattern is safe because its requirement is a necessary condition.
struct PrefilterIndex: Sendable {
    /// One indexed selector: its projection path and its map from value to a postings list.
    struct Entry: Sendable {
        var path: Int32
        var map: ByteStringTable.SetReference
    }

    private(set) var entries: [Entry] = []
    private(set) var table = ByteStringTable()
    /// Postings list `i` is `postings[postingStarts[i]..<postingStarts[i + 1]]`: pattern indexes.
    private(set) var postings: [Int32] = []
    private(set) var postingStarts: [Int32] = [0]
    /// Patterns evaluated on every record.
    private(set) var unconditional: [Int32] = []

    init(requirements: [PatternRequirement?], pathIndex: [JSONPath: Int32]) {
        var bySelector: [JSONPath: [[UInt8]: [Int32]]] = [:]
        var order: [JSONPath] = []
        for (pattern, requirement) in requirements.enumerated() {
            guard let requirement, pathIndex[requirement.selector] != nil else {
                unconditional.append(Int32(pattern))
                continue
            }
            if bySelector[requirement.selector] == nil { order.append(requirement.selector) }
            for value in requirement.values {
                bySelector[requirement.selector, default: [:]][value, default: []].append(Int32(pattern))
            }
        }
        for selector in order {
            let values = bySelector[selector]!.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            var payloads: [Int32] = []
            for (_, patterns) in values {
                payloads.append(Int32(postingStarts.count - 1))
                postings.append(contentsOf: patterns)
                postingStarts.append(Int32(postings.count))
            }
            let map = table.add(values.map(\.key), payloads: payloads)
            entries.append(Entry(path: pathIndex[selector]!, map: map))
        }
    }

    /// The patterns listed for `value` in `entry`.
    @inline(__always)
    func patterns(for value: UnsafeRawBufferPointer, in entry: Entry) -> Range<Int>? {
        guard let list = table.lookup(value, in: entry.map) else { return nil }
        return Int(postingStarts[Int(list)])..<Int(postingStarts[Int(list) + 1])
    }
}
