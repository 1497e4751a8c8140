import CZlib

/// The catalogue compiled into the binary.
///
/// `EventCatalogueData` holds `Data/event-catalogue.tsv` as a zlib stream in a base64 string
/// literal, written by scripts/build-event-catalogue.py. A string literal costs the compiler
/// nothing measurable and about 150 KB in the binary; SwiftPM's `embedInCode` resources are
/// array literals of the bytes, which took the compiler 34 s for the 110 KB compressed file
/// (and far longer for the 900 KB text), and the text itself as a string literal would add its
/// 900 KB. Inflating (4 ms) and indexing (9 ms, release build) happen once, on the first lint;
/// matching never touches the catalogue.
extension EventCatalogue {
    /// The catalogue compiled into the binary, read on first use.
    package static let embedded: EventCatalogue = {
        do {
            return try EventCatalogue(parsing: embeddedText)
        } catch {
            preconditionFailure("the embedded \(error); rebuild it with scripts/build-event-catalogue.py")
        }
    }()

    /// The text of `Data/event-catalogue.tsv`, as compiled into the binary.
    package static var embeddedText: [UInt8] {
        guard let compressed = Base64.decode(EventCatalogueData.base64) else {
            preconditionFailure(
                "the embedded event catalogue is not base64; rebuild it with scripts/build-event-catalogue.py")
        }
        var text = [UInt8](repeating: 0, count: EventCatalogueData.size)
        var size = uLongf(text.count)
        let status = text.withUnsafeMutableBufferPointer { output in
            compressed.withUnsafeBufferPointer { input in
                uncompress(output.baseAddress, &size, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(size) == EventCatalogueData.size else {
            preconditionFailure(
                "the embedded event catalogue does not inflate to \(EventCatalogueData.size) bytes (zlib status \(status)); rebuild it with scripts/build-event-catalogue.py"
            )
        }
        return text
    }
}
