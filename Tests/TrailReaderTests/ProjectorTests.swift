import Foundation
import Testing
import TrailJSON
import TrailTestKit

@testable import TrailReader

/// Framing by projection (the fused hot path) yields exactly what structural framing yields.
struct ProjectorTests {
    @Test("the same records, with or without a projector, across chunk boundaries; invalid records fall back")
    func sameRecords() throws {
        var records: [String] = []
        for index in 0..<300 {
            records.append(
                #"{"eventName":"E\#(index)","pad":"\#(String(repeating: "z", count: (index * 53) % 2500))"}"#)
        }
        records[150] = #"{"eventName":tru}"#  // invalid: framed structurally, projected by the caller
        let text = #"{"Records":[\#(records.joined(separator: ", "))]}"#
        let directory = TemporaryDirectory("trailhound-projector")
        defer { directory.remove() }
        let path = try directory.write("records.json.gz", Gzip.compress(text))

        let projection = JSONProjection(paths: [JSONPath([.key("eventName")])])
        var fields = projection.makeFields()
        let limits = ReaderLimits(chunkBytes: 4096)
        var plain: [String] = []
        _ = try TrailFileReader.read(path: path, limits: limits) { event in
            if case .record(let record) = event { plain.append(String(decoding: record.bytes, as: UTF8.self)) }
        }
        var fused: [String] = []
        var projected: [Bool] = []
        var names: [String] = []
        _ = try TrailFileReader.read(
            path: path, limits: limits,
            projector: { (buffer) throws(JSONError) in try projection.projectPrefix(buffer, into: &fields) }
        ) { event in
            guard case .record(let record) = event else { return }
            fused.append(String(decoding: record.bytes, as: UTF8.self))
            projected.append(record.isProjected)
            if record.isProjected, let value = fields.candidates(0).first {
                names.append(String(decoding: record.bytes[value.range], as: UTF8.self))
            }
        }
        #expect(plain == records)
        #expect(fused == records)
        #expect(projected.filter { !$0 }.count == 1)
        #expect(projected[150] == false)
        #expect(names.count == 299 && names.first == "E0" && names.last == "E299")
    }
}
