/// How urgent a rule's alerts are, from `info` to `critical`.
package enum RuleSeverity: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    case info
    case low
    case medium
    case high
    case critical

    private var rank: Int { RuleSeverity.allCases.firstIndex(of: self)! }

    package static func < (lhs: RuleSeverity, rhs: RuleSeverity) -> Bool { lhs.rank < rhs.rank }
}
