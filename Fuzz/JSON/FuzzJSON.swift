// FuzzJSON: the byte-level JSON layer under libFuzzer.
//
// Every input goes through each reader of JSON bytes: the `JSONValue` parser (the validating
// scanner), the projection automaton (whole record and prefix), the record splitter and its layout
// detection, and the compactor. They must never crash and must terminate, and they must agree:
// the parser and the projection accept the same texts, compacting or printing a valid text keeps
// its value, every record the splitter reports is valid JSON inside the buffer, and a projected
// string decodes to what the parser read at the same key.
import FuzzSupport
import TrailJSON

/// Small limits, so that depth and size errors are reached by short inputs.
private let limits = JSONLimits(maxDepth: 32, maxRecordBytes: 32 << 10)

private let projection = JSONProjection(
    paths: [
        JSONPath([.key("eventName")]),
        JSONPath([.key("a")]),
        JSONPath([.key("userIdentity"), .key("sessionContext"), .key("attributes"), .key("mfaAuthenticated")]),
        JSONPath([.key("resources"), .anyElement, .key("ARN")]),
        JSONPath([.key("x"), .index(1), .index(0)]),
        JSONPath([.anyMember]),
        JSONPath([.key("a"), .anyMember, .anyElement]),
        JSONPath([.key("Records"), .index(0), .key("eventName")]),
        JSONPath([.key("")]),
        JSONPath([.key("a\"b")]),
    ],
    limits: limits)

/// Index of the `$.a` path above, compared with the parser's reading of member `a`.
private let keyAPath = 1

/// Hands libFuzzer's command line and `fuzz` to libFuzzer (see `FuzzDriver`).
@main
enum FuzzJSONMain {
    static func main() {
        FuzzDriver.run { data, size in fuzz(data ?? FuzzDriver.emptyInput, size) }
    }
}

/// One fuzz input; also exported under libFuzzer's name, for drivers that call it directly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: data, count: size)
    let value = try? JSONValue(parsing: buffer, limits: limits)

    var fields = projection.makeFields()
    let projected: Bool
    do {
        try projection.project(buffer, into: &fields)
        projected = true
    } catch {
        projected = false
    }
    FuzzCheck.expect(
        projected == (value != nil), "parser says \(value != nil ? "valid" : "invalid"), projection the opposite")
    if projected {
        checkFields(fields, in: buffer, value: value)
    }

    if let value {
        let printed = try? JSONValue(parsing: Array(value.compactText.utf8), limits: limits)
        FuzzCheck.expect(printed == value, "compactText does not parse back to the same value")
        var compact: [UInt8] = []
        JSONCompactor.compact(buffer, into: &compact)
        let recompacted = try? JSONValue(parsing: compact, limits: limits)
        FuzzCheck.expect(recompacted == value, "the compactor changed the value")
    }

    // A prefix projection reads one value from the first byte and says where it ends.
    if let end = try? projection.projectPrefix(buffer, into: &fields) {
        FuzzCheck.expect(end > 0 && end <= size, "projectPrefix ended at \(end) of \(size)")
        checkFields(fields, in: UnsafeRawBufferPointer(rebasing: buffer[..<end]), value: nil)
    }

    _ = JSONRecordSplitter.Layout.detect(buffer, limits: limits)
    var splitter = JSONRecordSplitter(buffer, limits: limits)
    var previousEnd = 0
    var expectedIndex = 0
    while true {
        let record: JSONRecordSplitter.Record?
        do {
            record = try splitter.next()
        } catch {
            break
        }
        guard let record else { break }
        FuzzCheck.expect(
            record.range.lowerBound >= previousEnd && record.range.upperBound <= size && !record.range.isEmpty,
            "record range \(record.range) after \(previousEnd) in \(size) bytes")
        FuzzCheck.expect(record.index == expectedIndex, "record index \(record.index), expected \(expectedIndex)")
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[record.range])
        FuzzCheck.expect(
            (try? JSONValue(parsing: bytes, limits: limits)) != nil, "the splitter reported an invalid record")
        previousEnd = record.range.upperBound
        expectedIndex += 1
    }
    return 0
}

/// Every projected value lies inside the record, and `$.a`, when the parser read it as a string,
/// is among the projected candidates once decoded.
private func checkFields(_ fields: ProjectedFields, in record: UnsafeRawBufferPointer, value: JSONValue?) {
    var decoded: [UInt8] = []
    for path in 0..<fields.pathCount {
        for candidate in fields.candidates(path) {
            FuzzCheck.expect(
                candidate.start >= 0 && candidate.start <= candidate.end && Int(candidate.end) <= record.count,
                "projected range \(candidate.range) outside a record of \(record.count) bytes")
            if candidate.kind == .string {
                decoded.removeAll(keepingCapacity: true)
                JSONString.decode(UnsafeRawBufferPointer(rebasing: record[candidate.range]), into: &decoded)
            }
        }
    }
    if case .string(let expected)? = value?["a"] {
        let found = fields.candidates(keyAPath).contains { candidate in
            guard candidate.kind == .string else { return false }
            decoded.removeAll(keepingCapacity: true)
            JSONString.decode(UnsafeRawBufferPointer(rebasing: record[candidate.range]), into: &decoded)
            return String(decoding: decoded, as: UTF8.self) == expected
        }
        FuzzCheck.expect(found, "the projection of $.a does not hold the parser's value \(expected.debugDescription)")
    }
}
