/// A pipeline whose routes name a sink it does not have: refused, so no alert is routed nowhere.
package struct PipelineError: Error, Sendable, CustomStringConvertible {
    /// The index of the route in `routes`.
    package var route: Int
    package var sink: String
    /// The sinks there are.
    package var known: [String]

    package var description: String {
        "routes[\(route)].sinks: no sink is named `\(sink)` (sinks: \(known.joined(separator: ", ")))"
    }
}
