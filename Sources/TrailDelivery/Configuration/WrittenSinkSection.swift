/// One kind of sink's own keys as written: the first configuration stage of a sink section,
/// and the step to the second.
///
/// A kind owns its keys next to its code (Vector's sinks): it names the `type` values it
/// answers to and the keys it reads, decodes them from the sink's mapping (leaving the keys that
/// are not its own to others: the daemon reads the common ones, `name`, `type`, `in_doubt`,
/// `rate`, `burst`, `group_window`, `digest_events`), and validates them into its `Section`.
/// Every kind's section is decoded from every sink, so a value of the wrong type is reported
/// wherever it is; only the kind that `type` names validates. `SinkKinds` lists the kinds.
package protocol WrittenSinkSection: Decodable, Sendable {
    /// The validated section.
    associatedtype Section: SinkSection

    /// The values of `type` this kind builds (`stdout`; `slack`, `teams`, …), in the order
    /// messages list them.
    static var types: [String] { get }
    /// Every key this kind reads, for any of its types, in the order messages list them.
    static var keys: [String] { get }
    /// The keys a sink of `type` may have besides the common ones; any other key present is
    /// refused as not applying to that type.
    static func keys(for type: String) -> [String]

    /// The second stage: checks the values for a sink of `type` and fills in the defaults.
    /// `path` is the sink's key path (`sinks[0]`); errors name the key under it at fault.
    func validated(type: String, path: String) throws(ConfigurationError) -> Section
}
