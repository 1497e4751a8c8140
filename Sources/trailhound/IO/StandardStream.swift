#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Somewhere command output goes: standard output, standard error, or a buffer in tests.
protocol OutputStream: AnyObject {
    func write(_ bytes: [UInt8])
    func flush()
}

extension OutputStream {
    func write(_ text: String) { write(Array(text.utf8)) }
    func writeLine(_ text: String) { write(Array((text + "\n").utf8)) }
}

/// A buffered writer on a file descriptor; output is written in blocks of up to 64 KiB.
final class StandardStream: OutputStream {
    nonisolated(unsafe) static let output = StandardStream(descriptor: 1)
    nonisolated(unsafe) static let error = StandardStream(descriptor: 2, bufferLimit: 0)

    private let descriptor: Int32
    private let bufferLimit: Int
    private var buffer: [UInt8] = []

    init(descriptor: Int32, bufferLimit: Int = 64 * 1024) {
        self.descriptor = descriptor
        self.bufferLimit = bufferLimit
    }

    deinit { flush() }

    func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count > bufferLimit { flush() }
    }

    func flush() {
        var offset = 0
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return  // EPIPE or a closed stream: nothing more can be written.
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
