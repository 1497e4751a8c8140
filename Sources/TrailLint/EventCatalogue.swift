/// The CloudTrail event catalogue: the eventNames each eventSource is known to log.
///
/// The text form is `Data/event-catalogue.tsv`: `eventSource<TAB>eventName<TAB>origin` lines,
/// `#` comments. Names compare by their bytes, case-sensitively, as the pattern language does.
/// A `derived` name (a Lambda operation with the API version of its REST path, such as
/// `UpdateFunctionCode20150331`) also stands for itself followed by `v<digits>`, the revision
/// CloudTrail sometimes appends (`UpdateFunctionCode20150331v2`).
package struct EventCatalogue: Sendable {
    /// Where a name comes from: the origin letters of the text form.
    package struct Origin: OptionSet, Sendable, Hashable {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }

        /// `a`: an operation in botocore's service models.
        package static let api = Origin(rawValue: 1)
        /// `r`: seen in a real CloudTrail record.
        package static let record = Origin(rawValue: 2)
        /// `d`: derived from botocore; also accepts a `v<digits>` suffix.
        package static let derived = Origin(rawValue: 4)
    }

    /// A line of the text form that is not `source<TAB>name<TAB>origin`.
    package struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
        /// 1-based.
        package var line: Int
        package var reason: String
        package var description: String { "event catalogue, line \(line): \(reason)" }
    }

    /// eventSource → eventName → origin.
    package private(set) var sources: [String: [String: Origin]] = [:]
    /// Every eventSource, in byte order (so that answers never depend on hashing).
    package private(set) var sortedSources: [String] = []

    /// How many (eventSource, eventName) pairs the catalogue holds.
    package var count: Int { sources.values.reduce(0) { $0 + $1.count } }

    /// A catalogue of the given pairs (tests build their own).
    package init(_ entries: [(source: String, name: String, origin: Origin)]) {
        for entry in entries { sources[entry.source, default: [:]][entry.name, default: []].formUnion(entry.origin) }
        sortSources()
    }

    /// Reads the text form. Lines of one source are usually together (the file is sorted), so a
    /// source's names are collected in one dictionary and stored when the source changes.
    package init(parsing text: [UInt8]) throws(FormatError) {
        var currentSource: String?
        var currentNames: [String: Origin] = [:]
        var lineNumber = 0
        var start = 0
        while start < text.count {
            lineNumber += 1
            let end = text[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.count
            defer { start = end + 1 }
            let line = text[start..<end]
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
            guard fields.count == 3, !fields[0].isEmpty, !fields[1].isEmpty, !fields[2].isEmpty else {
                throw FormatError(line: lineNumber, reason: "expected eventSource, eventName and origin, tab-separated")
            }
            var origin: Origin = []
            for letter in fields[2] {
                switch letter {
                case UInt8(ascii: "a"): origin.insert(.api)
                case UInt8(ascii: "r"): origin.insert(.record)
                case UInt8(ascii: "d"): origin.insert(.derived)
                default:
                    throw FormatError(line: lineNumber, reason: "origin must be letters among a, r and d")
                }
            }
            if currentSource.map({ !$0.utf8.elementsEqual(fields[0]) }) ?? true {
                if let currentSource { sources[currentSource] = currentNames }
                let source = String(decoding: fields[0], as: UTF8.self)
                currentSource = source
                currentNames = sources.removeValue(forKey: source) ?? [:]
            }
            currentNames[String(decoding: fields[1], as: UTF8.self), default: []].formUnion(origin)
        }
        if let currentSource { sources[currentSource] = currentNames }
        sortSources()
    }

    private mutating func sortSources() {
        sortedSources = sources.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Whether `source` is a known eventSource.
    package func hasSource(_ source: String) -> Bool { sources[source] != nil }

    /// The origin of `name` under `source`, if CloudTrail logs it there; a `derived` name's
    /// `v<digits>` variants included.
    package func origin(of name: String, in source: String) -> Origin? {
        guard let names = sources[source] else { return nil }
        if let origin = names[name] { return origin }
        guard let base = EventCatalogue.droppingRevision(name), let origin = names[base], origin.contains(.derived)
        else { return nil }
        return origin
    }

    /// `name` without a trailing `v<digits>`, or nil when it has none.
    static func droppingRevision(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        var index = bytes.count
        while index > 0, bytes[index - 1] &- UInt8(ascii: "0") < 10 { index -= 1 }
        guard index < bytes.count, index > 1, bytes[index - 1] == UInt8(ascii: "v") else { return nil }
        return String(decoding: bytes[..<(index - 1)], as: UTF8.self)
    }
}
