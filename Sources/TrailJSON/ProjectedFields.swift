/// The values a projection found in one record, grouped by path.
///
/// A reusable table: `JSONProjection.project` resets it and fills it, so a reader keeps one per
/// thread and allocates nothing per record once capacities have grown. Paths are identified by
/// their index in `JSONProjection.paths`. A path has zero candidates when it is absent, one in the
/// usual case, and several behind a wildcard (or when an object repeats a key: every occurrence
/// counts, so a duplicated key cannot hide a value from a rule).
package struct ProjectedFields: Sendable {
    @usableFromInline var heads: [Int32]
    @usableFromInline var tails: [Int32]
    @usableFromInline var values: [ProjectedValue]
    /// The kind of the record's top-level value; nil before the first projection.
    package internal(set) var rootKind: JSONKind?
    /// Scratch space for decoding escaped object keys.
    var keyScratch: [UInt8] = []

    package init(pathCount: Int) {
        heads = Array(repeating: -1, count: pathCount)
        tails = Array(repeating: -1, count: pathCount)
        values = []
        values.reserveCapacity(64)
    }

    /// Number of paths the table has slots for.
    package var pathCount: Int { heads.count }

    mutating func reset() {
        for index in heads.indices {
            heads[index] = -1
            tails[index] = -1
        }
        values.removeAll(keepingCapacity: true)
        rootKind = nil
    }

    @inline(__always)
    mutating func append(path: Int32, _ value: ProjectedValue) {
        let index = Int32(values.count)
        values.append(value)
        let slot = Int(path)
        if tails[slot] < 0 {
            heads[slot] = index
        } else {
            values[Int(tails[slot])].next = index
        }
        tails[slot] = index
    }

    /// Whether `path` has no candidates.
    @inlinable
    package func isAbsent(_ path: Int) -> Bool { heads[path] < 0 }

    /// Calls `body` for each candidate of `path` in document order until it returns true; returns
    /// whether any call did (the existential reading a wildcard selector needs).
    @inlinable
    package func contains(_ path: Int, where body: (ProjectedValue) throws(Never) -> Bool) -> Bool {
        var index = heads[path]
        while index >= 0 {
            let value = values[Int(index)]
            if body(value) { return true }
            index = value.next
        }
        return false
    }

    /// Index of the first candidate of `path`, or -1; continue with `candidate(at:).nextIndex`.
    @inlinable
    package func firstIndex(of path: Int) -> Int32 { heads[path] }

    @inlinable
    package func candidate(at index: Int32) -> ProjectedValue { values[Int(index)] }

    /// The candidates of `path` in document order (tests and tools).
    package func candidates(_ path: Int) -> [ProjectedValue] {
        var result: [ProjectedValue] = []
        _ = contains(path) { value in
            result.append(value)
            return false
        }
        return result
    }
}
