/// Runs unanchored searches for one compiled regex, caching the DFA it builds lazily along the way.
///
/// Each input byte costs one table lookup once the states it visits are cached; a cache miss costs one NFA step,
/// proportional to the NFA size. The cache is bounded and flushed when full, so every search is linear in the
/// input length for every pattern. Not thread-safe: create one matcher per thread or evaluation context.
package final class RegexMatcher {
    /// Most DFA states kept before the cache is flushed.
    static let maxStates = 4096
    /// Approximate memory budget for transition rows plus stored NFA sets.
    static let maxCacheBytes = 4 << 20

    private let program: RegexProgram
    private var builder: RegexStateBuilder
    private var cache: RegexDFACache
    /// Row of the start state, or a sentinel; reset whenever the cache is flushed.
    private var startRow = RegexDFACache.unknown

    init(program: RegexProgram) {
        self.program = program
        builder = RegexStateBuilder(program: program)
        cache = RegexDFACache(
            stride: program.byteClassCount, maxStates: Self.maxStates, maxBytes: Self.maxCacheBytes)
    }

    /// Unanchored search: true if the regex matches anywhere in `input`.
    ///
    /// Linear time in `input.count` for every pattern; stops at the first byte where a match is certain.
    /// Allocates nothing once the states the input needs are cached.
    package func matches(_ input: UnsafeRawBufferPointer) -> Bool {
        let count = input.count
        guard count > 0, let base = input.baseAddress else {
            return program.matchesEmptyInput
        }
        var row = startRow == RegexDFACache.unknown ? computeStartRow() : startRow
        var position = 0
        while true {
            if row < 0 {
                return row == RegexDFACache.matched
            }
            // Fast path: follow cached transitions until a miss, a final state, or the end of input.
            var stopped: Int32 = 0
            (position, row, stopped) = cache.transitions.withUnsafeBufferPointer { table in
                program.byteClasses.withUnsafeBufferPointer { classes in
                    var position = position
                    var row = row
                    while position < count {
                        let byte = base.load(fromByteOffset: position, as: UInt8.self)
                        let target = table[Int(row) &+ Int(classes[Int(byte)])]
                        if target < 0 {
                            return (position, row, target)
                        }
                        row = target
                        position &+= 1
                    }
                    return (position, row, 0)
                }
            }
            if position == count {
                return acceptsAtEnd(row: row)
            }
            if stopped != RegexDFACache.unknown {
                return stopped == RegexDFACache.matched
            }
            row = computeTransition(row: row, byte: base.load(fromByteOffset: position, as: UInt8.self))
            position += 1
        }
    }

    private func computeStartRow() -> Int32 {
        let row: Int32
        switch builder.startState() {
        case .match: row = RegexDFACache.matched
        case .dead: row = RegexDFACache.dead
        case .state: row = intern().row
        }
        startRow = row
        return row
    }

    /// Computes, caches and returns the transition from the state at `row` on `byte`.
    private func computeTransition(row: Int32, byte: UInt8) -> Int32 {
        let byteClass = Int(program.byteClasses[Int(byte)])
        let outcome = cache.withSet(row: row) { set in builder.step(from: set, byte: byte) }
        let target: Int32
        switch outcome {
        case .match:
            target = RegexDFACache.matched
        case .dead:
            target = RegexDFACache.dead
        case .state:
            let (newRow, flushed) = intern()
            // A flush invalidated `row`, so there is no source state left to record the edge on.
            if flushed {
                return newRow
            }
            target = newRow
        }
        cache.setTransition(row: row, byteClass: byteClass, to: target)
        return target
    }

    /// Finds or adds the state for `builder.kernel`, flushing the cache first if it is full.
    private func intern() -> (row: Int32, flushed: Bool) {
        if let row = cache.intern(builder.kernel) {
            return (row, false)
        }
        cache.removeAll()
        startRow = RegexDFACache.unknown
        // An empty cache always accepts a state, so the fallback is unreachable.
        return (cache.intern(builder.kernel) ?? RegexDFACache.dead, true)
    }

    private func acceptsAtEnd(row: Int32) -> Bool {
        switch cache.endAcceptance(row: row) {
        case 1: return true
        case 0: return false
        default:
            let accepts = cache.withSet(row: row) { set in builder.acceptsAtEnd(set) }
            cache.setEndAcceptance(row: row, accepts)
            return accepts
        }
    }
}
