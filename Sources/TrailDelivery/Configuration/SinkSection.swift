/// One kind of sink's own configuration, validated: what its factory needs to build the sink
/// (a webhook's provider, URL and secrets; stdout's format), with every default filled in.
///
/// The daemon's configuration holds it beside what every sink has (name, `in_doubt`, rate, group
/// window) and never looks inside; the factory that lists the kinds builds the sink from it.
/// Equality decides whether a reload restarts the sink.
package protocol SinkSection: Sendable, Hashable {
    /// The rate this kind's receivers document, used when the sink sets none; nil: unlimited.
    var defaultRate: Rate? { get }
    /// The group window used when the sink sets none; nil: no digests.
    var defaultGroupWindow: Duration? { get }
}

extension SinkSection {
    /// No documented rate: unlimited.
    package var defaultRate: Rate? { nil }
    /// No digests unless the sink asks for them.
    package var defaultGroupWindow: Duration? { nil }
}
