#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a whole input (a file path, or `-` for standard input) into memory.
///
/// `match` holds one input at a time; the streaming, gzip-aware reader arrives with TrailReader.
enum InputFile {
    /// Why an input could not be read, in words an operator understands.
    struct ReadError: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): \(reason)" }
    }

    static func read(_ path: String) throws(ReadError) -> [UInt8] {
        let descriptor: Int32
        if path == "-" {
            descriptor = 0
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                close(descriptor)
                throw ReadError(path: path, reason: String(cString: strerror(errno)))
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                close(descriptor)
                throw ReadError(path: path, reason: "is a directory (give the files inside it)")
            }
        }
        defer { if descriptor != 0 { close(descriptor) } }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path == "-" ? "(standard input)" : path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        return data
    }
}
