import TrailJSON

/// The few fields that tell a person which event a record is, for the heading of its explanation.
struct RecordFacts: Equatable {
    var eventTime: String?
    var eventID: String?
    var eventSource: String?
    var eventName: String?

    private static let projection = JSONProjection(
        paths: ["eventTime", "eventID", "eventSource", "eventName"].map { JSONPath([.key($0)]) })

    /// The fields of `record` (a valid JSON text); a field that is missing or not a string is nil.
    init(_ record: UnsafeRawBufferPointer) {
        var fields = Self.projection.makeFields()
        let projected = (try? Self.projection.project(record, into: &fields)) != nil
        func text(_ path: Int) -> String? {
            guard projected, let value = fields.candidates(path).first, value.kind == .string else { return nil }
            let raw = UnsafeRawBufferPointer(rebasing: record[value.range])
            return value.hasEscapes ? JSONString.decodedString(raw) : String(decoding: raw, as: UTF8.self)
        }
        eventTime = text(0)
        eventID = text(1)
        eventSource = text(2)
        eventName = text(3)
    }
}
