/// Why a listen address (`metrics.listen`) was refused: the input as written and what is wrong with it.
package struct ListenAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The address exactly as configured.
    package var input: String
    /// What is wrong, with the expected form where that helps.
    package var reason: String

    /// An error for `input`.
    package init(input: String, reason: String) {
        self.input = input
        self.reason = reason
    }

    /// One line: `invalid listen address "INPUT": REASON`.
    package var description: String {
        "invalid listen address \"\(input)\": \(reason)"
    }
}
