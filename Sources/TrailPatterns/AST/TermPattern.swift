/// A term pattern: words and quoted phrases searched for in the record's text (section 6).
///
/// Plain terms must all occur; `-term`s must not occur; `?term`s form an OR group that is only
/// used when the pattern has no plain or `-` terms (as CloudWatch documents). Matching is
/// case-sensitive substring search.
package struct TermPattern: Sendable, Hashable {
    /// How a term takes part in the match.
    package enum Role: Sendable, Hashable {
        case required
        case excluded
        case optional
    }

    /// One term, its text decoded.
    package struct Term: Sendable, Hashable {
        package var text: String
        package var role: Role

        package init(_ text: String, _ role: Role) {
            self.text = text
            self.role = role
        }

        /// Terms compare by their UTF-8 bytes, as matching does (no Unicode normalisation).
        package static func == (lhs: Term, rhs: Term) -> Bool {
            lhs.role == rhs.role && lhs.text.utf8.elementsEqual(rhs.text.utf8)
        }

        package func hash(into hasher: inout Hasher) {
            hasher.combine(role)
            hasher.combine(Array(text.utf8))
        }
    }

    package var terms: [Term]

    package init(_ terms: [Term]) {
        self.terms = terms
    }

    /// The terms that decide the match, after the rule that `?` terms are ignored when combined
    /// with plain or `-` terms.
    package var effectiveTerms: [Term] {
        let hasOthers = terms.contains { $0.role != .optional }
        return hasOthers ? terms.filter { $0.role != .optional } : terms
    }
}
