package import TrailJSON

/// Why a pattern matched a record or not: every clause with the values its selector found, and
/// the result of every `&&` and `||` above it.
///
/// Made by `PatternExplainer`, whose evaluation follows the matcher's semantics (the same
/// projection and the same `PatternSemantics` decisions), so `matched` is what `PatternMatcher`
/// answers for the same record. Unlike the matcher, the explainer does not short-circuit: every
/// clause is evaluated, so a failed match shows all the clauses that failed, not just the first.
/// A value, with no I/O: commands render it as text or JSON.
package struct PatternExplanation: Sendable, Hashable {
    /// What the explanation covers, by kind of pattern.
    package enum Body: Sendable, Hashable {
        /// The empty pattern: matches every record.
        case matchAll
        /// A JSON pattern on a JSON object: the tree of clauses.
        case json(Node)
        /// A JSON pattern on a record whose top level is not an object (it never matches, 4.1).
        case notAnObject(JSONKind)
        /// A term pattern: each term, and whether it occurs in the record's compact text.
        case terms([Term])
        /// A standalone `%regex%` searched in the record's compact text.
        case regex(source: String, found: Bool)
    }

    /// One node of a JSON pattern's tree, in the parser's grouping: chains of the same operator
    /// are one node, and parentheses show as nesting.
    package indirect enum Node: Sendable, Hashable {
        case clause(Clause)
        /// Every operand must hold.
        case and([Node], result: Bool)
        /// At least one operand must hold.
        case or([Node], result: Bool)

        package var result: Bool {
            switch self {
            case .clause(let clause): clause.result
            case .and(_, let result), .or(_, let result): result
            }
        }

        /// Every clause below the node, left to right.
        package var clauses: [Clause] {
            switch self {
            case .clause(let clause): [clause]
            case .and(let operands, _), .or(let operands, _): operands.flatMap(\.clauses)
            }
        }
    }

    /// One predicate, the values its selector landed on, and its truth.
    package struct Clause: Sendable, Hashable {
        package var predicate: Predicate
        /// The candidates in document order: none when the field is missing, several behind a
        /// wildcard selector or a repeated key.
        package var values: [FoundValue]
        /// The first candidate that satisfies the predicate (it is true when any does); nil when
        /// none does, and for `NOT EXISTS`, which looks at no value.
        package var satisfiedBy: Int?
        package var result: Bool
        /// Why the clause is false when the reason is not plain inequality (a missing field, a
        /// value of a kind that never compares), for the rules people trip over.
        package var note: Note?

        /// The predicate as canonical pattern text, e.g. `$.eventName = "ConsoleLogin"`.
        package var text: String { PatternPrinter.print(predicate) }
    }

    /// The reasons a clause is false that its values alone do not make obvious.
    package enum Note: Sendable, Hashable {
        /// The selector found nothing; only `NOT EXISTS` is true for a missing field.
        case missing
        /// The selector found nothing, and `!=` is false for a missing field too (section 4.3).
        case notEqualOnMissing
        /// Every value found is an object, array, boolean or null: `=` and `!=` never compare those.
        case notComparable(JSONKind)
        /// `<`, `>`, `<=` and `>=` are false for strings, numeric ones included (4.10 rule 4).
        case relationalOnString
        /// `IS TRUE`, `IS FALSE` and `IS NULL` test JSON literals; a string such as `"true"` is not one.
        case literalIsString
    }

    /// A value the selector found: its kind and its text.
    package struct FoundValue: Sendable, Hashable {
        package var kind: JSONKind
        /// A string's decoded UTF-8; any other kind's JSON text as written. For objects and arrays
        /// only the first `FoundValue.containerPrefix` bytes are kept (they are never compared).
        package var bytes: [UInt8]
        /// The length of the whole text (more than `bytes.count` when a container was cut).
        package var byteCount: Int

        package init(kind: JSONKind, bytes: [UInt8], byteCount: Int? = nil) {
            self.kind = kind
            self.bytes = bytes
            self.byteCount = byteCount ?? bytes.count
        }

        /// The text as a Swift string (invalid UTF-8 repaired; records are validated before this).
        package var text: String { String(decoding: bytes, as: UTF8.self) }

        /// How much of an object's or array's text is kept: enough to recognise it, and a bound
        /// on memory for a 100 KB `requestParameters`.
        package static let containerPrefix = 512
    }

    /// One term of a term pattern.
    package struct Term: Sendable, Hashable {
        package var term: TermPattern.Term
        /// Whether the term occurs in the record's compact text.
        package var found: Bool
        /// Whether the term decides the match: `?` terms are ignored next to plain or `-` terms.
        package var counts: Bool
        /// Whether this term, on its own, is as the pattern wants it (found, absent for `-`).
        package var satisfied: Bool {
            switch term.role {
            case .required, .optional: found
            case .excluded: !found
            }
        }
    }

    package var body: Body
    package var matched: Bool

    package init(_ body: Body, matched: Bool) {
        self.body = body
        self.matched = matched
    }
}
