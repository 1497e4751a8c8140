/// Storage for lazily built DFA states: transition rows, the NFA set behind each state, and a hash index.
///
/// States are identified by their row offset (`stateIndex * stride`) so the matching loop indexes the transition
/// table without a multiply. The cache refuses new states past its limits; the matcher then flushes and carries on,
/// which bounds memory while keeping every byte's work at most proportional to the NFA size.
struct RegexDFACache {
    /// Transition entry: not computed yet.
    static let unknown: Int32 = -1
    /// Transition entry: the regex has matched.
    static let matched: Int32 = -2
    /// Transition entry: no thread survives.
    static let dead: Int32 = -3

    /// Row width: one entry per byte class.
    let stride: Int
    private let maxStates: Int
    private let maxBytes: Int

    /// `stride` entries per state: a target row offset or one of the sentinels above.
    private(set) var transitions: [Int32] = []
    private var setStart: [Int32] = []
    private var setCount: [Int32] = []
    private var setHash: [UInt32] = []
    /// Per state: -1 not computed, 0 rejects at end of input, 1 accepts.
    private var endAcceptance: [Int8] = []
    private var storage: [Int32] = []
    /// Open-addressing index: 0 empty, otherwise state index + 1. Size is a power of two kept under half full.
    private var buckets = [Int32](repeating: 0, count: 64)

    init(stride: Int, maxStates: Int, maxBytes: Int) {
        self.stride = stride
        self.maxStates = maxStates
        self.maxBytes = maxBytes
    }

    var stateCount: Int { setStart.count }

    /// Calls `body` with the kernel of the state at `row`.
    func withSet<Result>(row: Int32, _ body: (UnsafeBufferPointer<Int32>) -> Result) -> Result {
        let state = Int(row) / stride
        let start = Int(setStart[state])
        let count = Int(setCount[state])
        return storage.withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[start..<(start + count)]))
        }
    }

    mutating func setTransition(row: Int32, byteClass: Int, to target: Int32) {
        transitions[Int(row) + byteClass] = target
    }

    func endAcceptance(row: Int32) -> Int8 {
        endAcceptance[Int(row) / stride]
    }

    mutating func setEndAcceptance(row: Int32, _ accepts: Bool) {
        endAcceptance[Int(row) / stride] = accepts ? 1 : 0
    }

    /// The row of the state with exactly this sorted kernel, inserting it if needed; nil when the cache is full.
    mutating func intern(_ kernel: UnsafeBufferPointer<Int32>) -> Int32? {
        let hash = Self.hash(kernel)
        let mask = buckets.count - 1
        var slot = Int(hash) & mask
        while buckets[slot] != 0 {
            let state = Int(buckets[slot] - 1)
            if setHash[state] == hash, equals(state, kernel) {
                return Int32(state * stride)
            }
            slot = (slot + 1) & mask
        }
        let cost = (stride + kernel.count) * MemoryLayout<Int32>.size + 16
        let used = (transitions.count + storage.count) * MemoryLayout<Int32>.size + stateCount * 16
        // An empty cache always accepts, so a flush is guaranteed to make progress.
        if stateCount > 0, stateCount >= maxStates || used + cost > maxBytes {
            return nil
        }
        let state = stateCount
        setStart.append(Int32(storage.count))
        setCount.append(Int32(kernel.count))
        setHash.append(hash)
        endAcceptance.append(-1)
        storage.append(contentsOf: kernel)
        transitions.append(contentsOf: repeatElement(Self.unknown, count: stride))
        buckets[slot] = Int32(state + 1)
        if stateCount * 2 > buckets.count {
            rehash(capacity: buckets.count * 2)
        }
        return Int32(state * stride)
    }

    /// Drops every state, keeping allocated capacity for reuse.
    mutating func removeAll() {
        transitions.removeAll(keepingCapacity: true)
        setStart.removeAll(keepingCapacity: true)
        setCount.removeAll(keepingCapacity: true)
        setHash.removeAll(keepingCapacity: true)
        endAcceptance.removeAll(keepingCapacity: true)
        storage.removeAll(keepingCapacity: true)
        for index in buckets.indices {
            buckets[index] = 0
        }
    }

    private func equals(_ state: Int, _ kernel: UnsafeBufferPointer<Int32>) -> Bool {
        let count = Int(setCount[state])
        guard count == kernel.count else { return false }
        let start = Int(setStart[state])
        for offset in 0..<count where storage[start + offset] != kernel[offset] {
            return false
        }
        return true
    }

    private mutating func rehash(capacity: Int) {
        buckets = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for state in 0..<stateCount {
            var slot = Int(setHash[state]) & mask
            while buckets[slot] != 0 {
                slot = (slot + 1) & mask
            }
            buckets[slot] = Int32(state + 1)
        }
    }

    private static func hash(_ kernel: UnsafeBufferPointer<Int32>) -> UInt32 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15
        for value in kernel {
            hash = (hash ^ UInt64(UInt32(bitPattern: value))) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
        }
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}
