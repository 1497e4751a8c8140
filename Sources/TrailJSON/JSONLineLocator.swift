/// Turns byte offsets in a buffer into 1-based lines and columns.
///
/// It scans forward from its last answer, so locating the errors of a file in order costs one
/// pass over the file, not one pass per error.
package struct JSONLineLocator {
    private let buffer: UnsafeRawBufferPointer
    private var scanned = 0
    private var line = 1
    private var lineStart = 0

    /// `buffer` must stay valid while the locator is used.
    package init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
    }

    /// The line and the column (in bytes) of `offset`.
    package mutating func locate(_ offset: Int) -> (line: Int, column: Int) {
        if offset < scanned {
            (scanned, line, lineStart) = (0, 1, 0)
        }
        let limit = min(offset, buffer.count)
        while scanned < limit {
            if buffer[scanned] == 0x0A {
                line += 1
                lineStart = scanned + 1
            }
            scanned += 1
        }
        return (line, offset - lineStart + 1)
    }
}
