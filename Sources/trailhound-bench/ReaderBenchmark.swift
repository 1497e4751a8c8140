import TrailJSON
import TrailPatterns
import TrailReader

#if canImport(Glibc)
    import Glibc
#endif

/// `trailhound-bench reader FILE…`: reads CloudTrail files the way the daemon will (open, inflate,
/// frame records, project the CIS selector set), on one core, and reports time, throughput and
/// the process's peak resident memory. Driven by scripts/bench-reader.sh, which times `zcat` on
/// the same files in the same run.
enum ReaderBenchmark {
    static func run(_ paths: [String], passes: Int) throws {
        let patterns = try CISPatterns.all.map { try FilterPattern.parse($0.pattern) }
        let projection = PatternMatcher(patterns).projection
        var fields = projection.makeFields()
        var records = 0
        var decompressed = 0
        var compressed = 0
        var invalid = 0
        let seconds = try EngineBenchmark.best(of: passes) {
            records = 0
            decompressed = 0
            compressed = 0
            for path in paths {
                let summary = try TrailFileReader.read(path: path) { event in
                    guard case .record(let record) = event else { return }
                    do throws(JSONError) {
                        try projection.project(record.bytes, into: &fields)
                    } catch {
                        invalid += 1
                    }
                }
                records += summary.records
                decompressed += summary.decompressedBytes
                compressed += summary.compressedBytes
            }
        }
        print(
            "reader: \(paths.count) files, \(records) records, \(compressed) bytes gzip, \(decompressed) bytes JSON, \(invalid) invalid"
        )
        print(
            "read + frame + project CIS: \(EngineBenchmark.format(seconds * 1000)) ms  "
                + "\(EngineBenchmark.format(Double(decompressed) / 1e6 / seconds)) MB/s of JSON")
        print("seconds: \(seconds)")
        print("peak RSS: \(peakResidentKiB() / 1024) MiB")
    }

    /// VmHWM from /proc/self/status: the most resident memory the process has had.
    static func peakResidentKiB() -> Int {
        guard let file = fopen("/proc/self/status", "r") else { return -1 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmHWM:") {
                return Int(text.dropFirst(6).trimmingPrefix(while: { $0 == " " || $0 == "\t" }).prefix { $0.isNumber })
                    ?? -1
            }
        }
        return -1
    }
}
