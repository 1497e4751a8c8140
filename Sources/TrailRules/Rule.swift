package import TrailJSON
package import TrailPatterns

/// A validated rule: what to look for, how bad it is, what to do about it, and how to test it.
package struct Rule: Sendable {
    /// References to the frameworks a rule implements, as written in the file.
    package struct References: Sendable, Hashable {
        /// CIS AWS Foundations Benchmark recommendations, e.g. `1.2.0 3.5`.
        package var cis: [String] = []
        /// AWS Security Hub control ids, e.g. `CloudWatch.5`.
        package var securityHub: [String] = []
        /// MITRE ATT&CK technique ids, e.g. `T1562.008`.
        package var mitre: [String] = []
        /// Stratus Red Team technique ids the rule detects, e.g. `aws.defense-evasion.cloudtrail-stop`.
        package var stratus: [String] = []
    }

    package var id: String
    package var title: String
    package var severity: RuleSeverity
    package var description: String
    package var pattern: FilterPattern
    /// The pattern as written (for messages and documentation).
    package var patternText: String
    package var references: References
    package var runbook: String
    package var enabled: Bool
    /// Patterns whose matches never alert (allowlists for known automation).
    package var suppress: [FilterPattern]
    package var alarm: AlarmSpec?
    package var tests: [RuleTest]
    /// The file the rule came from, and where its `id` is written.
    package var file: String
    package var line = 0
    package var column = 0
    /// Where `pattern` and then each of `suppress` are written in `file`; empty for a rule not
    /// read from a file.
    package var patternSites: [PatternSite] = []

    /// The rule's patterns (`pattern`, then `suppress`) with where each is written, for
    /// diagnostics about their text; empty for a rule not read from a file.
    package var writtenPatterns: [(site: PatternSite, pattern: FilterPattern)] {
        Array(zip(patternSites, [pattern] + suppress))
    }
}

/// "N matches in M minutes", with CloudWatch alarm semantics (filter-patterns.md section 7).
package struct AlarmSpec: Sendable, Hashable {
    /// How missing periods count, as CloudWatch's `TreatMissingData`.
    package enum MissingData: String, Sendable, Hashable, CaseIterable {
        case missing
        case notBreaching
        case breaching
        case ignore
    }

    /// Matches in a period at or above which the period breaches (`GreaterThanOrEqualToThreshold`).
    package var threshold: Int
    /// Seconds per period; a multiple of 60.
    package var period: Int
    package var evaluationPeriods: Int
    package var datapointsToAlarm: Int
    package var treatMissingData: MissingData
    /// Up to three selectors whose values split the count, like metric dimensions.
    package var groupBy: [JSONPath]
}
