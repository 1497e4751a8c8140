// TrailTestKit: support shared by the test targets (fixture builders), never linked into trailhound.

import CZlib

/// Writes gzip members with zlib, so fixtures are real `.gz` bytes made by the test itself.
package enum Gzip {
    package static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deallocate()
        }
        precondition(trailhound_deflateInit2(stream, level, 15 + 16) == Z_OK)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))) + 64)
        var input = bytes
        let written = input.withUnsafeMutableBytes { source in
            output.withUnsafeMutableBytes { target in
                stream.pointee.next_in = source.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = target.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(target.count)
                precondition(deflate(stream, Z_FINISH) == Z_STREAM_END)
                return target.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[0..<written])
    }

    package static func compress(_ text: String) -> [UInt8] { compress(Array(text.utf8)) }
}
