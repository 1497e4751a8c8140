/// A fixed-capacity list of `Int32` in manually owned memory, used as reusable scratch space by the DFA builder.
///
/// Appending and clearing never allocate, reference-count or check uniqueness, which dominates the cost of
/// building DFA states otherwise. Capacities are derived from the NFA size, so overflow is a logic error.
struct RegexScratchList: ~Copyable {
    private let base: UnsafeMutablePointer<Int32>
    private let capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// The current elements; valid until the list is next mutated.
    var elements: UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: base, count: count)
    }

    subscript(index: Int) -> Int32 {
        base[index]
    }

    mutating func append(_ value: Int32) {
        precondition(count < capacity, "scratch list overflow")
        (base + count).initialize(to: value)
        count += 1
    }

    mutating func popLast() -> Int32? {
        guard count > 0 else { return nil }
        count -= 1
        return base[count]
    }

    mutating func removeAll() {
        count = 0
    }

    /// Sorts in place: insertion sort for the usual tiny lists, heapsort (no extra memory) for large ones.
    mutating func sort() {
        let values = base
        let count = count
        if count <= 24 {
            for i in stride(from: 1, to: count, by: 1) {
                let value = values[i]
                var j = i
                while j > 0, values[j - 1] > value {
                    values[j] = values[j - 1]
                    j -= 1
                }
                values[j] = value
            }
            return
        }
        func siftDown(_ root: Int, _ end: Int) {
            var parent = root
            while true {
                var child = 2 * parent + 1
                if child >= end { return }
                if child + 1 < end, values[child + 1] > values[child] { child += 1 }
                if values[parent] >= values[child] { return }
                (values[parent], values[child]) = (values[child], values[parent])
                parent = child
            }
        }
        for root in stride(from: count / 2 - 1, through: 0, by: -1) {
            siftDown(root, count)
        }
        for end in stride(from: count - 1, to: 0, by: -1) {
            (values[0], values[end]) = (values[end], values[0])
            siftDown(0, end)
        }
    }
}
