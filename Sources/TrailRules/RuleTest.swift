/// A test a rule carries: a record, and whether the rule must alert on it.
package struct RuleTest: Sendable, Hashable {
    package var name: String
    package var expectAlert: Bool
    /// The record's JSON text.
    package var record: [UInt8]
    /// Where the test is written, for failure messages.
    package var line: Int
}
