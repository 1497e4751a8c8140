package import TrailJSON

/// One or more filter patterns compiled to a shared projection and flat evaluation programs.
///
/// Compilation collects the selectors of every JSON pattern into one `JSONProjection`, so a record
/// is scanned once whatever the number of patterns. Each pattern becomes a small tree of nodes over
/// tests that read projected fields; an OR-chain of exact string equalities on one selector becomes
/// a single hash-set test. Everything the evaluation loop touches is a plain value in a flat array.
package struct PatternMatcher: Sendable {
    package let patterns: [FilterPattern]
    package let projection: JSONProjection
    /// What each pattern requires of a record before it can match (for prefilter indexes).
    package let requirements: [PatternRequirement?]

    private let programs: [Program]
    private let nodes: [Node]
    private let children: [Int32]
    private let tests: [Test]
    private let termTests: [Int32]
    private let literals: [UInt8]
    /// KMP failure tables, one entry per byte of `literals` (see `ByteSearch`).
    private let failures: [Int32]
    private let sets: ByteStringTable
    private let regexes: [FilterRegex]
    private let prefilter: PrefilterIndex

    /// How one pattern is evaluated; a plain value so that the loop over patterns copies no
    /// reference-counted payload.
    private struct Program: Sendable {
        enum Kind: UInt8, Sendable {
            case matchAll
            /// `start` is the root node.
            case json
            /// `start..<start + count` in `termTests` holds required, then excluded, then optional tests.
            case terms
            /// `start` is the regex index.
            case regex
        }

        var kind: Kind
        var start: Int32 = 0
        var required: Int32 = 0
        var excluded: Int32 = 0
        var optional: Int32 = 0
    }

    private struct Node: Sendable {
        enum Kind: UInt8, Sendable {
            case test
            case and
            case or
        }

        var kind: Kind
        /// For `.test` the test index; otherwise the first index into `children`.
        var start: Int32
        var count: Int32
    }

    private struct Test: Sendable {
        enum Kind: UInt8, Sendable {
            case text
            case number
            case set
            case regex
            case isTrue
            case isFalse
            case isNull
            case notExists
        }

        var kind: Kind
        var path: Int32
        /// `!=`: the comparison holds when the value is comparable and does not equal the literal.
        var negated = false
        var shape = TextShape.exact
        var comparison = ComparisonOperator.equal
        /// Literal text in `literals` (strings, number spelling, term text).
        var literalStart: Int32 = 0
        var literalCount: Int32 = 0
        var number: Double = 0
        var set = ByteStringTable.SetReference(start: 0, mask: 0)
        var regex: Int32 = 0
    }

    ///
    /// `extraPaths` are projected too, at indices `0..<extraPaths.count`, for callers that read
    /// fields no pattern tests (the daemon reads every record's `eventTime` to measure lag).
    package init(_ patterns: [FilterPattern], extraPaths: [JSONPath] = [], limits: JSONLimits = .default) {
        var compiler = Compiler()
        for path in extraPaths { _ = compiler.path(path) }
        var programs: [Program] = []
        for pattern in patterns {
            programs.append(compiler.compile(pattern))
        }
        self.patterns = patterns
        self.programs = programs
        projection = JSONProjection(paths: compiler.paths, limits: limits)
        requirements = patterns.map(PatternRequirement.init(for:))
        nodes = compiler.nodes
        children = compiler.children
        tests = compiler.tests
        termTests = compiler.termTests
        literals = compiler.literals
        failures = compiler.failures
        sets = compiler.sets
        regexes = compiler.regexes
        prefilter = PrefilterIndex(requirements: requirements, pathIndex: compiler.pathIndex)
    }

    /// Compiles a single pattern.
    package init(_ pattern: FilterPattern, limits: JSONLimits = .default) {
        self.init([pattern], limits: limits)
    }

    /// Scratch state for evaluating records on one thread.
    package func makeContext() -> MatchContext {
        MatchContext(
            fields: projection.makeFields(), patternCount: patterns.count, regexes: regexes.map { $0.makeMatcher() })
    }

    /// Projects `record` and evaluates every pattern; `context.results[i]` tells whether pattern `i`
    /// matched. Returns how many matched.
    ///
    /// Throws when the record is not valid JSON; JSON patterns never match such a record (4.1), so
    /// callers decide whether that is an error for their input.
    @discardableResult
    package func evaluate(_ record: UnsafeRawBufferPointer, in context: inout MatchContext) throws(JSONError) -> Int {
        try projection.project(record, into: &context.fields)
        return evaluateProjected(record, in: &context)
    }

    /// Evaluates every pattern on `record`, whose fields are already in `context.fields`
    /// (projected with `projection`, offsets relative to `record`).
    @discardableResult
    package func evaluateProjected(_ record: UnsafeRawBufferPointer, in context: inout MatchContext) -> Int {
        context.rawTextReady = false
        let isObject: Bool
        if case .object? = context.fields.rootKind { isObject = true } else { isObject = false }
        for index in context.results.indices {
            context.results[index] = false
            context.evaluated[index] = false
        }
        for pattern in prefilter.unconditional {
            context.results[Int(pattern)] = run(programs[Int(pattern)], isObject: isObject, record, &context)
        }
        // Patterns with a requirement are JSON patterns: they never match a non-object record.
        if isObject {
            for entry in prefilter.entries {
                var candidate = context.fields.firstIndex(of: Int(entry.path))
                while candidate >= 0 {
                    let value = context.fields.candidate(at: candidate)
                    if PatternSemantics.isComparable(value.kind) {
                        let listed = withValueText(value, record, &context) { text, _ in
                            prefilter.patterns(for: text, in: entry)
                        }
                        if let listed {
                            for posting in listed {
                                let pattern = Int(prefilter.postings[posting])
                                // A wildcard selector can list a pattern once per candidate value.
                                if !context.evaluated[pattern] {
                                    context.evaluated[pattern] = true
                                    context.results[pattern] = run(programs[pattern], isObject: true, record, &context)
                                }
                            }
                        }
                    }
                    candidate = value.nextIndex
                }
            }
        }
        return context.results.count { $0 }
    }

    /// Whether pattern 0 matches `record` (the single-pattern convenience of `match`).
    package func matches(_ record: UnsafeRawBufferPointer, in context: inout MatchContext) throws(JSONError) -> Bool {
        try evaluate(record, in: &context)
        return context.results[0]
    }

    // MARK: Evaluation

    @inline(__always)
    private func run(
        _ program: Program, isObject: Bool, _ record: UnsafeRawBufferPointer, _ context: inout MatchContext
    ) -> Bool {
        switch program.kind {
        case .matchAll:
            return true
        case .json:
            // A JSON pattern only ever matches an object record (4.1).
            return isObject && evaluate(node: program.start, record, &context)
        case .terms:
            let required = Int(program.start)..<Int(program.start + program.required)
            let excluded = required.upperBound..<required.upperBound + Int(program.excluded)
            let optional = excluded.upperBound..<excluded.upperBound + Int(program.optional)
            return withRawText(record, &context) { text in
                for test in required where !containsLiteral(tests[Int(termTests[test])], text) { return false }
                for test in excluded where containsLiteral(tests[Int(termTests[test])], text) { return false }
                return optional.isEmpty || optional.contains { containsLiteral(tests[Int(termTests[$0])], text) }
            }
        case .regex:
            let matcher = context.regexMatchers[Int(program.start)]
            return withRawText(record, &context) { text in matcher.matches(text) }
        }
    }

    private func evaluate(node index: Int32, _ record: UnsafeRawBufferPointer, _ context: inout MatchContext) -> Bool {
        let node = nodes[Int(index)]
        switch node.kind {
        case .test:
            return evaluate(test: tests[Int(node.start)], record, &context)
        case .and:
            for child in Int(node.start)..<Int(node.start + node.count)
            where !evaluate(node: children[child], record, &context) {
                return false
            }
            return true
        case .or:
            for child in Int(node.start)..<Int(node.start + node.count)
            where evaluate(node: children[child], record, &context) {
                return true
            }
            return false
        }
    }

    @inline(__always)
    private func evaluate(test: Test, _ record: UnsafeRawBufferPointer, _ context: inout MatchContext) -> Bool {
        let path = Int(test.path)
        switch test.kind {
        case .notExists:
            return context.fields.isAbsent(path)
        case .isTrue:
            return context.fields.contains(path) { value in
                if case .true = value.kind { return true }
                return false
            }
        case .isFalse:
            return context.fields.contains(path) { value in
                if case .false = value.kind { return true }
                return false
            }
        case .isNull:
            return context.fields.contains(path) { value in
                if case .null = value.kind { return true }
                return false
            }
        case .text, .number, .set, .regex:
            var index = context.fields.firstIndex(of: path)
            while index >= 0 {
                let value = context.fields.candidate(at: index)
                if PatternSemantics.isComparable(value.kind) && compare(test, value, record, &context) != test.negated {
                    return true
                }
                index = value.nextIndex
            }
            return false
        }
    }

    /// The comparison itself (before `!=` negation) for one string or number value.
    @inline(__always)
    private func compare(
        _ test: Test, _ value: ProjectedValue, _ record: UnsafeRawBufferPointer, _ context: inout MatchContext
    ) -> Bool {
        if test.kind == .number {
            switch PatternSemantics.numberComparison(value.kind, test.comparison) {
            case .numeric:
                let text = UnsafeRawBufferPointer(rebasing: record[value.range])
                guard let number = PatternSemantics.double(text) else { return false }
                return PatternSemantics.compareNumbers(number, test.comparison, test.number)
            case .never:
                return false
            case .text:
                break  // compared below with the literal's spelling
            }
        }
        // `= *` needs no look at the value (and no decoding).
        if test.kind == .text && test.shape == .any { return true }
        return withValueText(value, record, &context) { text, context in
            switch test.kind {
            case .text, .number:
                return withLiteral(test) { literal, failure in
                    PatternSemantics.matchesText(test.shape, literal: literal, failure: failure, value: text)
                }
            case .set:
                return sets.contains(text, in: test.set)
            case .regex:
                return context.regexMatchers[Int(test.regex)].matches(text)
            case .isTrue, .isFalse, .isNull, .notExists:
                return false
            }
        }
    }

    /// Calls `body` with a value's comparable text: a string's decoded bytes or a number's text.
    @inline(__always)
    private func withValueText<Result>(
        _ value: ProjectedValue, _ record: UnsafeRawBufferPointer, _ context: inout MatchContext,
        _ body: (UnsafeRawBufferPointer, inout MatchContext) -> Result
    ) -> Result {
        let raw = UnsafeRawBufferPointer(rebasing: record[value.range])
        guard value.hasEscapes else { return body(raw, &context) }
        var decoded = context.takeDecodeBuffer()
        JSONString.decode(raw, into: &decoded)
        let result = decoded.withUnsafeBytes { body($0, &context) }
        context.returnDecodeBuffer(decoded)
        return result
    }

    private func containsLiteral(_ test: Test, _ text: UnsafeRawBufferPointer) -> Bool {
        withLiteral(test) { literal, failure in ByteSearch.contains(text, literal, failure: failure) }
    }

    /// Calls `body` with a test's literal bytes and their KMP failure table.
    @inline(__always)
    private func withLiteral(_ test: Test, _ body: (UnsafeRawBufferPointer, UnsafeBufferPointer<Int32>) -> Bool) -> Bool
    {
        let range = Int(test.literalStart)..<Int(test.literalStart + test.literalCount)
        return literals.withUnsafeBytes { pool in
            failures.withUnsafeBufferPointer { tables in
                body(UnsafeRawBufferPointer(rebasing: pool[range]), UnsafeBufferPointer(rebasing: tables[range]))
            }
        }
    }

    /// Calls `body` with the record's compact text (what CloudWatch would see as the message).
    private func withRawText(
        _ record: UnsafeRawBufferPointer, _ context: inout MatchContext, _ body: (UnsafeRawBufferPointer) -> Bool
    ) -> Bool {
        if !context.rawTextReady {
            context.rawText.removeAll(keepingCapacity: true)
            context.rawTextIsRecord = !JSONCompactor.compact(record, into: &context.rawText)
            context.rawTextReady = true
        }
        if context.rawTextIsRecord { return body(record) }
        return context.rawText.withUnsafeBytes(body)
    }

    // MARK: Compilation

    private struct Compiler {
        var paths: [JSONPath] = []
        var pathIndex: [JSONPath: Int32] = [:]
        var nodes: [Node] = []
        var children: [Int32] = []
        var tests: [Test] = []
        var termTests: [Int32] = []
        var literals: [UInt8] = []
        var failures: [Int32] = []
        var sets = ByteStringTable()
        var regexes: [FilterRegex] = []

        mutating func compile(_ pattern: FilterPattern) -> Program {
            switch pattern.body {
            case .matchAll:
                return Program(kind: .matchAll)
            case .json(let expression):
                return Program(kind: .json, start: compile(expression))
            case .regex(let regex):
                regexes.append(regex)
                return Program(kind: .regex, start: Int32(regexes.count - 1))
            case .terms(let terms):
                var program = Program(kind: .terms, start: Int32(termTests.count))
                for role in [TermPattern.Role.required, .excluded, .optional] {
                    for term in terms.effectiveTerms where term.role == role {
                        var test = Test(kind: .text, path: -1)
                        (test.literalStart, test.literalCount) = addLiteral(Array(term.text.utf8))
                        tests.append(test)
                        termTests.append(Int32(tests.count - 1))
                        switch role {
                        case .required: program.required += 1
                        case .excluded: program.excluded += 1
                        case .optional: program.optional += 1
                        }
                    }
                }
                return program
            }
        }

        mutating func compile(_ expression: PatternExpression) -> Int32 {
            switch expression {
            case .predicate(let predicate):
                tests.append(test(for: predicate))
                nodes.append(Node(kind: .test, start: Int32(tests.count - 1), count: 1))
                return Int32(nodes.count - 1)
            case .and(let operands):
                return group(.and, operands.map { compile($0) })
            case .or(let operands):
                return group(.or, compileOr(operands))
            }
        }

        /// Compiles the operands of an `||`, merging exact string equalities on the same selector
        /// into one set test.
        private mutating func compileOr(_ operands: [PatternExpression]) -> [Int32] {
            var groups: [JSONPath: [[UInt8]]] = [:]
            for operand in operands {
                if case .predicate(let predicate) = operand, let member = PatternMatcher.setMember(predicate) {
                    groups[predicate.selector, default: []].append(member)
                }
            }
            var emitted: Set<JSONPath> = []
            var result: [Int32] = []
            for operand in operands {
                guard case .predicate(let predicate) = operand, PatternMatcher.setMember(predicate) != nil,
                    let members = groups[predicate.selector], members.count > 1
                else {
                    result.append(compile(operand))
                    continue
                }
                guard emitted.insert(predicate.selector).inserted else { continue }
                var test = Test(kind: .set, path: path(predicate.selector))
                test.set = sets.add(members)
                tests.append(test)
                nodes.append(Node(kind: .test, start: Int32(tests.count - 1), count: 1))
                result.append(Int32(nodes.count - 1))
            }
            return result
        }

        private mutating func group(_ kind: Node.Kind, _ operands: [Int32]) -> Int32 {
            if operands.count == 1 { return operands[0] }
            let start = Int32(children.count)
            children.append(contentsOf: operands)
            nodes.append(Node(kind: kind, start: start, count: Int32(operands.count)))
            return Int32(nodes.count - 1)
        }

        private mutating func test(for predicate: Predicate) -> Test {
            let path = path(predicate.selector)
            switch predicate.test {
            case .isTrue: return Test(kind: .isTrue, path: path)
            case .isFalse: return Test(kind: .isFalse, path: path)
            case .isNull: return Test(kind: .isNull, path: path)
            case .notExists: return Test(kind: .notExists, path: path)
            case .compare(let comparison, let value):
                var test: Test
                switch value {
                case .string(let literal):
                    test = Test(kind: .text, path: path)
                    let text: String
                    switch literal.shape {
                    case .any: (test.shape, text) = (.any, "")
                    case .exact(let body): (test.shape, text) = (.exact, body)
                    case .prefix(let body): (test.shape, text) = (.prefix, body)
                    case .suffix(let body): (test.shape, text) = (.suffix, body)
                    case .contains(let body): (test.shape, text) = (.contains, body)
                    }
                    (test.literalStart, test.literalCount) = addLiteral(Array(text.utf8))
                case .number(let number):
                    test = Test(kind: .number, path: path)
                    test.number = number.value
                    test.comparison = comparison
                    (test.literalStart, test.literalCount) = addLiteral(Array(number.text.utf8))
                case .regex(let regex):
                    test = Test(kind: .regex, path: path)
                    regexes.append(regex)
                    test.regex = Int32(regexes.count - 1)
                }
                // Relational tests carry their operator; `=`/`!=` share one test and a flag.
                test.negated = comparison == .notEqual
                if test.kind == .number && !comparison.isRelational { test.comparison = .equal }
                return test
            }
        }

        private mutating func addLiteral(_ bytes: [UInt8]) -> (Int32, Int32) {
            let start = Int32(literals.count)
            literals.append(contentsOf: bytes)
            failures.append(contentsOf: ByteSearch.failureTable(bytes))
            return (start, Int32(bytes.count))
        }

        mutating func path(_ selector: JSONPath) -> Int32 {
            if let known = pathIndex[selector] { return known }
            let index = Int32(paths.count)
            paths.append(selector)
            pathIndex[selector] = index
            return index
        }
    }

    /// The bytes an `= "exact string"` predicate contributes to a set test, or nil.
    private static func setMember(_ predicate: Predicate) -> [UInt8]? {
        guard case .compare(.equal, .string(let literal)) = predicate.test, case .exact(let text) = literal.shape else {
            return nil
        }
        return Array(text.utf8)
    }
}
