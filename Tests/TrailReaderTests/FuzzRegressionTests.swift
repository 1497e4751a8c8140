import Testing
import TrailJSON
import TrailTestKit

@testable import TrailReader

/// Inputs the fuzz targets (Fuzz/Reader) found, each named after what it guards.
struct FuzzRegressionTests {
    /// Reads `bytes` from memory and returns the records (with their offsets) or the error.
    func read(_ bytes: [UInt8]) -> (records: [String], offsets: [Int], error: ReaderError?) {
        var records: [String] = []
        var offsets: [Int] = []
        do {
            _ = try TrailFileReader.read(bytes: bytes, name: "fuzz.json") { event in
                if case .record(let record) = event {
                    records.append(String(decoding: record.bytes, as: UTF8.self))
                    offsets.append(record.offset)
                }
            }
            return (records, offsets, nil)
        } catch {
            return (records, offsets, error)
        }
    }

    /// The refill that found the end of the text had moved the scalar to the front of the
    /// window, and the reader framed it from its old offset (a crash: lower bound above upper).
    @Test(
        "a top-level scalar cut by the end of the text after another value is framed where it starts",
        arguments: [
            (Array(#"{"event6789":"A"}"ev"#.utf8), [#"{"event6789":"A"}"#, #""ev"#], [0, 17]),
            (Array(#"{"eventName":"A"} 12"#.utf8), [#"{"eventName":"A"}"#, "12"], [0, 18]),
            (Gzip.compress(#"{"eventName":"A"}  -1.5"#), [#"{"eventName":"A"}"#, "-1.5"], [0, 19]),
        ])
    func topLevelScalarCutByEndOfTextIsFramedWhereItStarts(_ input: [UInt8], _ records: [String], _ offsets: [Int]) {
        let outcome = read(input)
        #expect(outcome.error == nil)
        #expect(outcome.records == records)
        #expect(outcome.offsets == offsets)
    }
}
