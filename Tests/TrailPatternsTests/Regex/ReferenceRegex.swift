/// A deliberately naive regex used as the oracle for differential tests.
///
/// It is built directly from generated structure (never from the engine's parser), decodes input with the
/// standard library (invalid UTF-8 becomes U+FFFD per maximal subpart, which is what the engine promises), and
/// answers by brute-force backtracking over code points. Exponential in the worst case, fine for tiny inputs.
struct ReferenceRegex {
    struct Term {
        enum Kind {
            case start
            case end
            case atom(@Sendable (Unicode.Scalar) -> Bool)
        }

        var kind: Kind
        var minCount = 1
        var maxCount: Int? = 1
    }

    var alternatives: [[Term]]
    /// The same regex in filter-pattern syntax, for the engine.
    var source: String

    func matches(_ bytes: [UInt8]) -> Bool {
        let scalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        for alternative in alternatives {
            for start in 0...scalars.count where match(alternative, 0, start, scalars) {
                return true
            }
        }
        return false
    }

    private func match(_ terms: [Term], _ index: Int, _ position: Int, _ scalars: [Unicode.Scalar]) -> Bool {
        guard index < terms.count else { return true }
        let term = terms[index]
        switch term.kind {
        case .start:
            return position == 0 && match(terms, index + 1, position, scalars)
        case .end:
            return position == scalars.count && match(terms, index + 1, position, scalars)
        case .atom(let predicate):
            var run = 0
            while run < (term.maxCount ?? Int.max), position + run < scalars.count, predicate(scalars[position + run]) {
                run += 1
            }
            guard run >= term.minCount else { return false }
            for count in stride(from: run, through: term.minCount, by: -1)
            where match(terms, index + 1, position + count, scalars) {
                return true
            }
            return false
        }
    }
}

extension ReferenceRegex {
    /// Character predicates spelled out independently of the engine.
    enum Classes {
        static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20].contains(scalar.value)
        }

        static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
            (0x30...0x39).contains(scalar.value)
        }

        static func isWord(_ scalar: Unicode.Scalar) -> Bool {
            isDigit(scalar) || (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value)
                || scalar == "_"
        }
    }
}
