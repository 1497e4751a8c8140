/// Compiles a `RegexSyntaxTree` into a `RegexProgram` (Thompson construction, no backtracking constructs).
struct RegexCompiler {
    /// Upper bound on NFA instructions for the regex itself; beyond it DFA construction gets too slow per byte.
    static let maxInstructions = 20_000

    private typealias Instruction = RegexProgram.Instruction

    private var instructions: [Instruction] = []
    private var byteSets: [RegexByteSet] = []
    private var byteSetIndex: [RegexByteSet: Int32] = [:]

    static func compile(_ tree: RegexSyntaxTree) throws(RegexSyntaxError) -> RegexProgram {
        try checkSize(tree)
        var compiler = RegexCompiler()
        return compiler.build(tree)
    }

    /// Instructions one atom costs: one for ASCII-only classes, ten when UTF-8 decoding is needed.
    private static func atomCost(_ set: RegexCharClass) -> Int {
        set.includesNonASCII ? 1 + Int(RegexProgram.continuationCount) : 1
    }

    /// Rejects programs over budget before building them, pointing at the leftmost term that crosses the limit.
    private static func checkSize(_ tree: RegexSyntaxTree) throws(RegexSyntaxError) {
        var total = 1 + tree.alternatives.count
        for term in tree.alternatives.joined() {
            switch term.kind {
            case .startAnchor, .endAnchor:
                total += 1
            case .atom(let set):
                let copies: Int
                let splits: Int
                if let maxCount = term.maxCount {
                    copies = maxCount
                    splits = maxCount - term.minCount
                } else {
                    copies = max(term.minCount, 1)
                    splits = 1
                }
                total += copies * atomCost(set) + splits
            }
            if total > maxInstructions {
                let offset = term.quantifierOffset ?? term.offset
                let length = term.quantifierOffset == nil ? term.length : term.quantifierLength
                throw RegexSyntaxError(
                    .tooComplex, offset: offset, length: max(length, 1),
                    message: "the regex is too complex: it would need more than \(maxInstructions) matcher states",
                    hint: "use smaller repetition counts, or `*` / `+` instead of large bounds")
            }
        }
    }

    private mutating func build(_ tree: RegexSyntaxTree) -> RegexProgram {
        let matchIndex = append(Instruction(opcode: .match))
        var entries: [Int32] = []
        for alternative in tree.alternatives {
            // Build back to front so each term's successor already exists.
            var target = matchIndex
            for term in alternative.reversed() {
                target = emit(term, next: target)
            }
            entries.append(target)
        }
        var start = entries[entries.count - 1]
        for entry in entries.dropLast().reversed() {
            start = append(Instruction(opcode: .split, next: entry, alt: start))
        }
        // Unanchored search: a loop that skips one whole character before (re)trying the regex, so attempts only
        // start on character boundaries. Skipped when every alternative starts with `^`, letting the DFA die early.
        let anchored = tree.alternatives.allSatisfy { $0.first?.kind == .startAnchor }
        if !anchored {
            let loop = append(Instruction(opcode: .split))
            let skip = emitAtom(.any, next: loop)
            instructions[Int(loop)].next = skip
            instructions[Int(loop)].alt = start
            start = loop
        }
        let (classes, classCount) = computeByteClasses()
        return RegexProgram(
            instructions: instructions, byteSets: byteSets, start: start, byteClasses: classes,
            byteClassCount: classCount, matchesEmptyInput: reachesMatchOnEmptyInput(from: start))
    }

    @discardableResult
    private mutating func append(_ instruction: Instruction) -> Int32 {
        instructions.append(instruction)
        return Int32(instructions.count - 1)
    }

    private mutating func setIndex(_ set: RegexByteSet) -> Int32 {
        if let index = byteSetIndex[set] {
            return index
        }
        byteSets.append(set)
        let index = Int32(byteSets.count - 1)
        byteSetIndex[set] = index
        return index
    }

    /// Emits one term followed by `next`; returns its entry instruction.
    private mutating func emit(_ term: RegexSyntaxTree.Term, next: Int32) -> Int32 {
        switch term.kind {
        case .startAnchor:
            return append(Instruction(opcode: .assertStart, next: next))
        case .endAnchor:
            return append(Instruction(opcode: .assertEnd, next: next))
        case .atom(let set):
            guard let maxCount = term.maxCount else {
                // x{m,} = x{m-1} x+ ; x+ is one copy looping back through a split; x* is the split first.
                let loop = append(Instruction(opcode: .split))
                let body = emitAtom(set, next: loop)
                instructions[Int(loop)].next = body
                instructions[Int(loop)].alt = next
                var target = term.minCount == 0 ? loop : body
                for _ in 0..<max(term.minCount - 1, 0) {
                    target = emitAtom(set, next: target)
                }
                return target
            }
            // Optional copies nest as x(x(x)?)? so each skip jumps straight to `next`; this keeps DFA state sets
            // small compared with a flat x?x?x? chain.
            var target = next
            for _ in 0..<(maxCount - term.minCount) {
                let body = emitAtom(set, next: target)
                target = append(Instruction(opcode: .split, next: body, alt: next))
            }
            for _ in 0..<term.minCount {
                target = emitAtom(set, next: target)
            }
            return target
        }
    }

    /// Emits a single-character matcher for `set`; returns its entry.
    private mutating func emitAtom(_ set: RegexCharClass, next: Int32) -> Int32 {
        let ascii = setIndex(set.asciiByteSet)
        guard set.includesNonASCII else {
            return append(Instruction(opcode: .byteSet, set: ascii, next: next))
        }
        // Layout is fixed relative to the `character` instruction; see `RegexProgram.leadTarget`.
        let base = append(Instruction(opcode: .character, set: ascii, next: next))
        let tail3 = base + 5
        let tail4 = base + 9
        let sequence: [(UInt8, UInt8, Int32)] = [
            (0x80, 0xBF, next),  // +1 second byte of a two-byte sequence
            (0xA0, 0xBF, tail3),  // +2 after E0 (no overlongs)
            (0x80, 0xBF, tail3),  // +3 after E1–EC, EE–EF
            (0x80, 0x9F, tail3),  // +4 after ED (no surrogates)
            (0x80, 0xBF, next),  // +5 last byte of a three-byte sequence
            (0x90, 0xBF, tail4),  // +6 after F0 (no overlongs)
            (0x80, 0xBF, tail4),  // +7 after F1–F3
            (0x80, 0x8F, tail4),  // +8 after F4 (nothing above U+10FFFF)
            (0x80, 0xBF, tail3),  // +9 third byte of a four-byte sequence
        ]
        for (lower, upper, target) in sequence {
            let index = setIndex(RegexByteSet(range: lower, upper))
            append(Instruction(opcode: .continuation, set: index, next: target, alt: next))
        }
        return base
    }

    /// Partitions the 256 byte values into classes no instruction can tell apart, shrinking DFA rows.
    private func computeByteClasses() -> ([UInt8], Int) {
        var classes = [Int](repeating: 0, count: 256)
        var count = 1
        func refine(keyCount: Int, key: (UInt8) -> Int) {
            var remap = [Int](repeating: -1, count: count * keyCount)
            var newCount = 0
            for byte in 0...255 {
                let slot = classes[byte] * keyCount + key(UInt8(byte))
                if remap[slot] < 0 {
                    remap[slot] = newCount
                    newCount += 1
                }
                classes[byte] = remap[slot]
            }
            count = newCount
        }
        for set in byteSets {
            refine(keyCount: 2) { set.contains($0) ? 1 : 0 }
        }
        if instructions.contains(where: { $0.opcode == .character }) {
            refine(keyCount: 11) { $0 < 0x80 ? 10 : Int(RegexProgram.leadTarget($0)) }
        }
        return (classes.map { UInt8($0) }, count)
    }

    /// Whether the empty input matches: follow epsilons with both `^` and `$` satisfied.
    private func reachesMatchOnEmptyInput(from start: Int32) -> Bool {
        var seen = Set<Int32>()
        var stack = [start]
        while let index = stack.popLast() {
            guard seen.insert(index).inserted else { continue }
            let instruction = instructions[Int(index)]
            switch instruction.opcode {
            case .match:
                return true
            case .split:
                stack.append(instruction.next)
                stack.append(instruction.alt)
            case .assertStart, .assertEnd:
                stack.append(instruction.next)
            case .byteSet, .character, .continuation:
                break
            }
        }
        return false
    }
}
