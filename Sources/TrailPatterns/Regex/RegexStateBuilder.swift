/// Computes lazy-DFA states: NFA closures, byte steps and end-of-input acceptance over sorted NFA state sets.
///
/// A DFA state is the sorted list of "kernel" NFA instructions (those that consume bytes or wait for the end of
/// input); epsilon-only instructions are followed eagerly and never stored, and reaching `match` ends the search.
/// The builder keeps its own copy of the program in manually owned memory plus fixed-size scratch buffers, so
/// building a state never allocates and does no reference counting.
struct RegexStateBuilder: ~Copyable {
    /// The result of computing a state.
    enum Outcome {
        /// The regex has matched; the search can stop.
        case match
        /// No NFA thread survives; the search can stop with no match.
        case dead
        /// A live state, whose sorted kernel is in `kernel`.
        case state
    }

    private let instructions: UnsafeMutableBufferPointer<RegexProgram.Instruction>
    private let byteSets: UnsafeMutableBufferPointer<RegexByteSet>
    private let start: Int32
    /// Threads for the next position.
    private var visited: RegexSparseSet
    private var next: RegexScratchList
    /// Threads created at the current position by a truncated UTF-8 sequence ending before the current byte.
    private var pendingVisited: RegexSparseSet
    private var pending: RegexScratchList
    private var stack: RegexScratchList
    private var sawMatch = false

    init(program: RegexProgram) {
        let count = program.instructions.count
        instructions = .allocate(capacity: count)
        _ = instructions.initialize(from: program.instructions)
        byteSets = .allocate(capacity: max(program.byteSets.count, 1))
        _ = byteSets.initialize(from: program.byteSets)
        start = program.start
        visited = RegexSparseSet(capacity: count)
        pendingVisited = RegexSparseSet(capacity: count)
        // Each instruction enters a list at most once per step; a closure pushes at most two successors per
        // instruction it visits, plus its root.
        next = RegexScratchList(capacity: count)
        pending = RegexScratchList(capacity: count)
        stack = RegexScratchList(capacity: 2 * count + 1)
    }

    deinit {
        instructions.deallocate()
        byteSets.deallocate()
    }

    /// The sorted kernel of the last `.state` outcome; valid until the next call on the builder.
    var kernel: UnsafeBufferPointer<Int32> {
        next.elements
    }

    /// The state at input position 0, where `^` holds.
    mutating func startState() -> Outcome {
        visited.removeAll()
        next.removeAll()
        sawMatch = false
        addClosure(start, atStart: true, toPending: false)
        return finish()
    }

    /// The state after consuming `byte` from the state whose kernel is `set`.
    mutating func step(from set: UnsafeBufferPointer<Int32>, byte: UInt8) -> Outcome {
        visited.removeAll()
        next.removeAll()
        pendingVisited.removeAll()
        pending.removeAll()
        sawMatch = false
        for index in set {
            consume(index, byte)
        }
        // Threads released by a truncated sequence see the same byte; they never contain continuations.
        var cursor = 0
        while cursor < pending.count {
            consume(pending[cursor], byte)
            cursor += 1
        }
        return finish()
    }

    /// Whether the state whose kernel is `set` matches when the input ends there (at a position > 0).
    mutating func acceptsAtEnd(_ set: UnsafeBufferPointer<Int32>) -> Bool {
        pendingVisited.removeAll()
        for index in set {
            let instruction = instructions[Int(index)]
            switch instruction.opcode {
            case .assertEnd:
                if reachesMatchAtEnd(instruction.next) { return true }
            case .continuation:
                // End of input also ends a truncated sequence.
                if reachesMatchAtEnd(instruction.alt) { return true }
            case .match:
                return true
            case .byteSet, .character, .split, .assertStart:
                break
            }
        }
        return false
    }

    private mutating func finish() -> Outcome {
        if sawMatch {
            return .match
        }
        if next.isEmpty {
            return .dead
        }
        next.sort()
        return .state
    }

    private mutating func consume(_ index: Int32, _ byte: UInt8) {
        let instruction = instructions[Int(index)]
        switch instruction.opcode {
        case .byteSet:
            if byteSets[Int(instruction.set)].contains(byte) {
                addClosure(instruction.next, atStart: false, toPending: false)
            }
        case .character:
            if byte < 0x80 {
                if byteSets[Int(instruction.set)].contains(byte) {
                    addClosure(instruction.next, atStart: false, toPending: false)
                }
            } else {
                let target = RegexProgram.leadTarget(byte)
                addClosure(target == 0 ? instruction.next : index + target, atStart: false, toPending: false)
            }
        case .continuation:
            if byteSets[Int(instruction.set)].contains(byte) {
                addClosure(instruction.next, atStart: false, toPending: false)
            } else {
                addClosure(instruction.alt, atStart: false, toPending: true)
            }
        case .match:
            sawMatch = true
        case .assertEnd, .split, .assertStart:
            break
        }
    }

    /// Adds the kernel instructions reachable from `root` by epsilon moves.
    private mutating func addClosure(_ root: Int32, atStart: Bool, toPending: Bool) {
        stack.removeAll()
        stack.append(root)
        while let index = stack.popLast() {
            let isNew = toPending ? pendingVisited.insert(index) : visited.insert(index)
            guard isNew else { continue }
            let instruction = instructions[Int(index)]
            switch instruction.opcode {
            case .split:
                stack.append(instruction.alt)
                stack.append(instruction.next)
            case .assertStart:
                if atStart {
                    stack.append(instruction.next)
                }
            case .match:
                // Existence is all we report, so a match anywhere ends the search; no need to store it.
                sawMatch = true
            case .byteSet, .character, .continuation, .assertEnd:
                if toPending {
                    pending.append(index)
                } else {
                    next.append(index)
                }
            }
        }
    }

    /// Whether `root` reaches `match` by epsilon moves with `$` satisfied (and `^` not, since position > 0).
    private mutating func reachesMatchAtEnd(_ root: Int32) -> Bool {
        stack.removeAll()
        stack.append(root)
        while let index = stack.popLast() {
            guard pendingVisited.insert(index) else { continue }
            let instruction = instructions[Int(index)]
            switch instruction.opcode {
            case .match:
                return true
            case .split:
                stack.append(instruction.alt)
                stack.append(instruction.next)
            case .assertEnd:
                stack.append(instruction.next)
            case .assertStart, .byteSet, .character, .continuation:
                break
            }
        }
        return false
    }
}
