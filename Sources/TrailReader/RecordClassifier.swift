import TrailJSON

/// Decides what a top-level JSON object is: a CloudTrail record, an EventBridge envelope around
/// one, a CloudWatch Logs subscription payload carrying several, or a CloudTrail digest file.
///
/// It projects the few paths that tell these apart, which validates the object on the way; the
/// Records arrays of ordinary CloudTrail files never come here (see `TrailFileReader`).
struct RecordClassifier {
    enum Shape {
        /// The object is itself a record.
        case record
        /// An EventBridge event: the record is the value of `detail` (this range).
        case envelope(Range<Int>)
        /// A CloudWatch Logs subscription payload: each `logEvents[].message` holds a record as a
        /// JSON string (these are the string bodies, still escaped).
        case logEvents([ProjectedValue])
        /// A CloudWatch Logs control message (no events).
        case control
        /// A CloudTrail digest file (log file integrity validation): no records.
        case digest
    }

    private static let paths = [
        JSONPath([.key("detail-type")]),
        JSONPath([.key("detail")]),
        JSONPath([.key("messageType")]),
        JSONPath([.key("logEvents"), .anyElement, .key("message")]),
        JSONPath([.key("digestStartTime")]),
        JSONPath([.key("logFiles")]),
        JSONPath([.key("logEvents")]),
    ]

    private let projection: JSONProjection
    private var fields: ProjectedFields

    init(limits: JSONLimits) {
        projection = JSONProjection(paths: RecordClassifier.paths, limits: limits)
        fields = projection.makeFields()
    }

    /// The shape of the object in `bytes`. An object that is not valid JSON is passed on as a
    /// record, so that the engine's projection reports it with its position.
    mutating func classify(_ bytes: UnsafeRawBufferPointer) -> Shape {
        do {
            try projection.project(bytes, into: &fields)
        } catch {
            return .record
        }
        // The first candidate without building the candidates array: this runs for every record
        // of an array or NDJSON file.
        func first(_ path: Int) -> ProjectedValue? {
            let index = fields.firstIndex(of: path)
            return index < 0 ? nil : fields.candidate(at: index)
        }
        if let type = first(0), type.kind == .string, let detail = first(1), detail.kind == .object {
            return .envelope(detail.range)
        }
        if let type = first(2), type.kind == .string, let events = first(6), events.kind == .array {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[type.range]), as: UTF8.self)
            if text == "CONTROL_MESSAGE" { return .control }
            return .logEvents(fields.candidates(3).filter { $0.kind == .string })
        }
        if first(4) != nil, let files = first(5), files.kind == .array {
            return .digest
        }
        return .record
    }
}
