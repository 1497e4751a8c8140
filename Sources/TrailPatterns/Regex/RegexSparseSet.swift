/// A set of integers below a fixed capacity with O(1) insert and clear (Briggs–Torczon sparse set).
///
/// Clearing just resets a count, so NFA closures reuse one set per step without touching memory proportional to
/// the NFA size. The memory is owned manually (the type is noncopyable) so the hot path has no reference counting
/// or copy-on-write checks.
struct RegexSparseSet: ~Copyable {
    private let dense: UnsafeMutablePointer<Int32>
    private let sparse: UnsafeMutablePointer<Int32>
    private let capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        dense = .allocate(capacity: self.capacity)
        sparse = .allocate(capacity: self.capacity)
        // Any contents are valid for the membership test, but initialise so the memory is never read uninitialised.
        dense.initialize(repeating: 0, count: self.capacity)
        sparse.initialize(repeating: 0, count: self.capacity)
    }

    deinit {
        dense.deallocate()
        sparse.deallocate()
    }

    mutating func removeAll() {
        count = 0
    }

    /// Inserts `value` (which must be below the capacity); returns false if it was already present.
    mutating func insert(_ value: Int32) -> Bool {
        let key = Int(value)
        precondition(key >= 0 && key < capacity, "sparse set value out of range")
        let slot = Int(sparse[key])
        if slot < count, dense[slot] == value {
            return false
        }
        dense[count] = value
        sparse[key] = Int32(count)
        count += 1
        return true
    }
}
