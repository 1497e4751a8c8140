import Testing
import TrailJSON

@testable import TrailPatterns

/// Properties that must hold for every input, checked on many generated cases with a fixed seed
/// (set TRAILHOUND_PROPERTY_SEED to explore others):
/// - print/parse round-trips for random syntax trees;
/// - the parser never crashes on arbitrary text, and its diagnostics point inside the pattern;
/// - the compiled matcher (projection, OR-chain sets, prefilter index) agrees with a direct
///   reading of the spec over `JSONValue` trees, on random patterns and records.
struct PatternPropertyTests {
    static var seed: UInt64 {
        if let text = getenvValue("TRAILHOUND_PROPERTY_SEED"), let value = UInt64(text) { return value }
        return 0x7EA1_4A0D
    }

    @Test("parse(print(ast)) == ast for random syntax trees")
    func roundTrip() throws {
        var random = SplitMix64(seed: Self.seed)
        var checked = 0
        for _ in 0..<3000 {
            var generator = PatternGenerator(random: random)
            let expression = generator.expression(depth: 0)
            random = generator.random
            let pattern = FilterPattern(.json(expression))
            let text = pattern.description
            guard text.unicodeScalars.count <= 1024, generator.regexCount <= 2, generator.wildcardSelectors <= 3 else {
                continue
            }
            let reparsed = try FilterPattern.parse(text)
            #expect(reparsed == pattern, "\(text)")
            #expect(reparsed.description == text)
            checked += 1
        }
        #expect(checked > 1000)
    }

    @Test("the parser never crashes and its diagnostics stay inside the pattern")
    func parserRobustness() throws {
        var random = SplitMix64(seed: Self.seed ^ 0x55)
        let tokens = [
            "{", "}", "(", ")", "$", ".", "$.a", "$.b[0]", "$.c[*]", "$.*", "$.['k.x']", "[", "]", "'", "=", "!=", "<",
            ">=",
            "&&", "||", "&", "|", "IS", "NOT", "EXISTS", "TRUE", "NULL", "is", "IN", "\"", "\"str\"", "\\", "%", "%a+%",
            "%(%", "*", "x*", "1e3", "-", "?", " ", "\n", "é", "😀", "\u{0}", "abc", "12",
        ]
        var parsed = 0
        for iteration in 0..<4000 {
            let text: String
            if iteration % 4 == 0 {
                // Raw bytes, decoded leniently, so invalid UTF-8 sequences become U+FFFD.
                let bytes = (0..<random.next(below: 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                text = String(decoding: bytes, as: UTF8.self)
            } else {
                text = (0..<random.next(below: 16)).map { _ in tokens[random.next(below: tokens.count)] }.joined()
            }
            do {
                let pattern = try FilterPattern.parse(text)
                parsed += 1
                // Whatever parses also prints, reparses to itself, compiles and runs.
                #expect(try FilterPattern.parse(pattern.description) == pattern, "\(text)")
                let matcher = PatternMatcher(pattern)
                var context = matcher.makeContext()
                _ = try Array(#"{"a":"x","b":[1],"c":[{"d":null}]}"#.utf8).withUnsafeBytes {
                    try matcher.matches($0, in: &context)
                }
            } catch let error as PatternError {
                let count = text.utf8.count
                #expect(error.diagnostic.range.lowerBound >= 0 && error.diagnostic.range.upperBound <= count, "\(text)")
                #expect(!error.rendered.isEmpty)
            }
        }
        #expect(parsed > 50)
    }

    @Test("the compiled matcher agrees with the spec's semantics on random patterns and records")
    func differential() throws {
        var random = SplitMix64(seed: Self.seed ^ 0xD1FF)
        var matchedSomething = 0
        var comparisons = 0
        for _ in 0..<400 {
            // A few patterns at once, so that projection sharing and the prefilter are exercised.
            var patterns: [FilterPattern] = []
            for _ in 0..<(1 + random.next(below: 4)) {
                var generator = PatternGenerator(random: random)
                let expression = generator.expression(depth: 0)
                random = generator.random
                guard generator.regexCount <= 2, generator.wildcardSelectors <= 3 else { continue }
                patterns.append(FilterPattern(.json(expression)))
            }
            guard !patterns.isEmpty else { continue }
            let matcher = PatternMatcher(patterns)
            var context = matcher.makeContext()
            for _ in 0..<25 {
                var records = RecordGenerator(random: random)
                let record = records.record()
                random = records.random
                let text = Array(record.compactText.utf8)
                try text.withUnsafeBytes { _ = try matcher.evaluate($0, in: &context) }
                for (index, pattern) in patterns.enumerated() {
                    guard case .json(let expression) = pattern.body else { continue }
                    let expected = ReferenceEvaluator.matches(expression, record)
                    #expect(context.results[index] == expected, "\(pattern) on \(record.compactText)")
                    comparisons += 1
                    if expected { matchedSomething += 1 }
                }
            }
        }
        #expect(comparisons > 5000)
        #expect(matchedSomething > 200)
    }
}

// MARK: - Generators

/// SplitMix64: tiny, fast, and good enough for test data.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    mutating func pick<T>(_ options: [T]) -> T { options[next(below: options.count)] }

    mutating func chance(_ percent: Int) -> Bool { next(below: 100) < percent }
}

/// Random syntax trees over a small vocabulary, in the parser's normal form (no `&&` directly
/// inside `&&`, no `||` directly inside `||`).
struct PatternGenerator {
    var random: SplitMix64
    var regexCount = 0
    var wildcardSelectors = 0

    static let keys = ["a", "b", "c", "eventName", "k.dot", "x-y", "n"]
    static let strings = [
        "x", "y", "StopLogging", "", "a b", "q\"uote", "back\\slash", "é", "4", "40", "*", "x*", "*y", "*a*", "Ev*nt",
    ]
    static let numbers = ["0", "4", "40", "-1", "1.5", "1e1", "+10", ".5", "1E-1", "400"]
    static let regexes = ["x", "^4", "y$", "[0-9]+", "a|b", "\\d{2}", ".", "^$"]

    init(random: SplitMix64) { self.random = random }

    mutating func expression(depth: Int, parent: Int = 0) -> PatternExpression {
        let roll = random.next(below: 10)
        if depth >= 3 || roll < 5 { return .predicate(predicate()) }
        let count = 2 + random.next(below: 3)
        // Alternate operators so that the tree is already flat.
        let useOr = parent == 0 ? random.chance(50) : parent == 2
        let operands = (0..<count).map { _ in expression(depth: depth + 1, parent: useOr ? 1 : 2) }
        return useOr ? .or(operands) : .and(operands)
    }

    mutating func selector() -> JSONPath {
        var steps: [JSONPath.Step] = [.key(random.pick(Self.keys))]
        var wildcard = false
        for _ in 0..<random.next(below: 3) {
            switch random.next(below: 5) {
            case 0: steps.append(.index(random.next(below: 3)))
            case 1 where !wildcard:
                steps.append(.anyElement)
                wildcard = true
            case 2 where !wildcard:
                steps.append(.anyMember)
                wildcard = true
            default: steps.append(.key(random.pick(Self.keys)))
            }
        }
        if random.chance(10) && !wildcard {
            steps = [.anyMember]
            wildcard = true
        }
        if wildcard { wildcardSelectors += 1 }
        return JSONPath(steps)
    }

    mutating func predicate() -> Predicate {
        let path = selector()
        switch random.next(below: 12) {
        case 0: return Predicate(path, .isTrue)
        case 1: return Predicate(path, .isFalse)
        case 2: return Predicate(path, .isNull)
        case 3: return Predicate(path, .notExists)
        case 4:
            let comparison = random.pick([
                ComparisonOperator.less, .greater, .lessOrEqual, .greaterOrEqual, .equal, .notEqual,
            ])
            return Predicate(path, .compare(comparison, .number(NumberLiteral(random.pick(Self.numbers))!)))
        case 5:
            regexCount += 1
            let regex = try! FilterRegex(random.pick(Self.regexes))
            return Predicate(path, .compare(random.chance(70) ? .equal : .notEqual, .regex(regex)))
        default:
            let comparison: ComparisonOperator = random.chance(70) ? .equal : .notEqual
            return Predicate(path, .compare(comparison, .string(StringLiteral(random.pick(Self.strings)))))
        }
    }
}

/// Random records over the same vocabulary, so that patterns often hit.
struct RecordGenerator {
    var random: SplitMix64

    mutating func record() -> JSONValue { object(depth: 0) }

    mutating func object(depth: Int) -> JSONValue {
        var members: [JSONValue.Member] = []
        for _ in 0..<random.next(below: 6) {
            members.append(JSONValue.Member(random.pick(PatternGenerator.keys), value(depth: depth + 1)))
        }
        return .object(members)
    }

    mutating func value(depth: Int) -> JSONValue {
        switch random.next(below: depth >= 3 ? 6 : 9) {
        case 0: return .bool(random.chance(50))
        case 1: return .null
        case 2, 3:
            return .number(random.pick(PatternGenerator.numbers.filter { !$0.hasPrefix("+") && !$0.hasPrefix(".") }))
        case 4, 5: return .string(random.pick(PatternGenerator.strings + ["xyz", "4x", "yy", "\n"]))
        case 6: return object(depth: depth)
        default: return .array((0..<random.next(below: 4)).map { _ in value(depth: depth + 1) })
        }
    }
}

/// The semantics of section 4 and the decisions of 4.10, read directly off a `JSONValue` tree.
/// Deliberately naive: it shares no code with the matcher except the regex engine.
enum ReferenceEvaluator {
    static func matches(_ expression: PatternExpression, _ record: JSONValue) -> Bool {
        guard case .object = record else { return false }
        return evaluate(expression, record)
    }

    static func evaluate(_ expression: PatternExpression, _ record: JSONValue) -> Bool {
        switch expression {
        case .predicate(let predicate): return evaluate(predicate, record)
        case .and(let operands): return operands.allSatisfy { evaluate($0, record) }
        case .or(let operands): return operands.contains { evaluate($0, record) }
        }
    }

    static func resolve(_ steps: ArraySlice<JSONPath.Step>, _ value: JSONValue) -> [JSONValue] {
        guard let step = steps.first else { return [value] }
        let rest = steps.dropFirst()
        switch (step, value) {
        case (.key(let name), .object(let members)):
            return members.filter { $0.key == name }.flatMap { resolve(rest, $0.value) }
        case (.index(let index), .array(let elements)) where index < elements.count:
            return resolve(rest, elements[index])
        case (.anyMember, .object(let members)):
            return members.flatMap { resolve(rest, $0.value) }
        case (.anyElement, .array(let elements)):
            return elements.flatMap { resolve(rest, $0) }
        default:
            return []
        }
    }

    static func evaluate(_ predicate: Predicate, _ record: JSONValue) -> Bool {
        let candidates = resolve(predicate.selector.steps[...], record)
        switch predicate.test {
        case .notExists: return candidates.isEmpty
        case .isNull: return candidates.contains(.null)
        case .isTrue: return candidates.contains(.bool(true))
        case .isFalse: return candidates.contains(.bool(false))
        case .compare(let comparison, let literal):
            return candidates.contains { candidate in
                let text: String
                switch candidate {
                case .string(let string): text = string
                case .number(let number): text = number
                default: return false  // objects, arrays, booleans and null never compare
                }
                switch (comparison, literal) {
                case (.equal, _): return equals(candidate, text, literal)
                case (.notEqual, _): return !equals(candidate, text, literal)
                case (_, .number(let number)):
                    guard case .number = candidate, let value = Double(text) else { return false }
                    switch comparison {
                    case .less: return value < number.value
                    case .greater: return value > number.value
                    case .lessOrEqual: return value <= number.value
                    case .greaterOrEqual: return value >= number.value
                    case .equal, .notEqual: return false
                    }
                default: return false
                }
            }
        }
    }

    static func equals(_ candidate: JSONValue, _ text: String, _ literal: PatternValue) -> Bool {
        switch literal {
        case .number(let number):
            if case .number = candidate { return Double(text) == number.value }
            return text == number.text
        case .regex(let regex):
            return regex.matches(Array(text.utf8))
        case .string(let string):
            let pattern = string.text
            if pattern == "*" { return true }
            let leading = pattern.hasPrefix("*")
            let trailing = pattern.hasSuffix("*") && pattern.count > 1
            let core = String(pattern.dropFirst(leading ? 1 : 0).dropLast(trailing ? 1 : 0))
            switch (leading, trailing) {
            case (true, true):
                return text.utf8.count >= core.utf8.count && Array(text.utf8).containsSubsequence(Array(core.utf8))
            case (true, false): return Array(text.utf8).reversed().starts(with: Array(core.utf8).reversed())
            case (false, true): return Array(text.utf8).starts(with: Array(core.utf8))
            case (false, false): return Array(text.utf8) == Array(core.utf8)
            }
        }
    }
}

extension Array where Element == UInt8 {
    func containsSubsequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard count >= needle.count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

private func getenvValue(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}
