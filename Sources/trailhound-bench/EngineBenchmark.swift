import TrailJSON
import TrailPatterns
import TrailRules

#if canImport(Glibc)
    import Glibc
#endif

/// `trailhound-bench engine`: measures the engine on decompressed CloudTrail files, on one core.
///
/// 1. projection of the CIS selector set over every record (MB/s of record bytes);
/// 2. projection plus evaluation of the 15 CIS patterns (overhead over 1, in percent);
/// 3. regex search time for a pathological pattern over growing inputs (linearity).
/// Each timing is the best of several passes. Driven by scripts/bench-engine.sh.
@main
struct EngineBenchmark {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let mode = arguments.first, ["engine", "reader", "files", "jq"].contains(mode),
            !arguments.contains("--help")
        else {
            print("usage: trailhound-bench engine [--passes N] FILE.json…   (decompressed CloudTrail files)")
            print(
                "       trailhound-bench reader [--passes N] FILE…        (CloudTrail files as delivered, gzip or not)")
            print("       trailhound-bench files [--passes N] [--rules DIR] FILE…   (replay --jobs 1's per-file step)")
            return
        }
        arguments.removeFirst()
        if mode == "jq" {
            let (rules, diagnostics) = RuleLoader.load(arguments)
            guard diagnostics.allSatisfy({ $0.severity != .error }) else {
                diagnostics.forEach { print($0) }
                return
            }
            print(JQTranslation.program(rules))
            return
        }
        var passes = 5
        var rules = "rules"
        var paths: [String] = []
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--passes", index + 1 < arguments.count {
                passes = Int(arguments[index + 1]) ?? passes
                index += 2
            } else if arguments[index] == "--rules", index + 1 < arguments.count {
                rules = arguments[index + 1]
                index += 2
            } else {
                paths.append(arguments[index])
                index += 1
            }
        }

        if mode == "reader" {
            try ReaderBenchmark.run(paths, passes: passes)
            return
        }
        if mode == "files" {
            try FileBenchmark.run(paths, rules: rules, passes: passes)
            return
        }

        // Load everything and locate the records (not timed: splitting belongs to the reader).
        var buffers: [[UInt8]] = []
        var records: [[Range<Int>]] = []
        var recordBytes = 0
        for path in paths {
            let bytes = try readFile(path)
            var ranges: [Range<Int>] = []
            try bytes.withUnsafeBytes { buffer in
                var splitter = JSONRecordSplitter(buffer)
                while let record = try splitter.next() {
                    ranges.append(record.range)
                    recordBytes += record.range.count
                }
            }
            buffers.append(bytes)
            records.append(ranges)
        }
        let recordCount = records.reduce(0) { $0 + $1.count }
        print(
            "input: \(paths.count) files, \(recordCount) records, \(format(Double(recordBytes) / 1_048_576)) MiB of record bytes"
        )

        let patterns = try CISPatterns.all.map { try FilterPattern.parse($0.pattern) }
        let matcher = PatternMatcher(patterns)
        print("CIS selector set: \(matcher.projection.paths.map(\.description).joined(separator: " "))")

        // 1. Projection only.
        let projection = matcher.projection
        var fields = projection.makeFields()
        var projected = 0
        let projectSeconds = try best(of: passes) {
            projected = 0
            for (buffer, ranges) in zip(buffers, records) {
                try buffer.withUnsafeBytes { raw in
                    for range in ranges {
                        try projection.project(UnsafeRawBufferPointer(rebasing: raw[range]), into: &fields)
                        projected &+= fields.isAbsent(0) ? 0 : 1
                    }
                }
            }
        }

        // 2. Projection plus all 15 patterns.
        var context = matcher.makeContext()
        var perPattern = [Int](repeating: 0, count: patterns.count)
        let evaluateSeconds = try best(of: passes) {
            perPattern = [Int](repeating: 0, count: patterns.count)
            for (buffer, ranges) in zip(buffers, records) {
                try buffer.withUnsafeBytes { raw in
                    for range in ranges
                    where try matcher.evaluate(UnsafeRawBufferPointer(rebasing: raw[range]), in: &context) > 0 {
                        for (index, matched) in context.results.enumerated() where matched { perPattern[index] += 1 }
                    }
                }
            }
        }
        let megabytes = Double(recordBytes) / 1_000_000
        print("projection:            \(format(projectSeconds * 1000)) ms  \(format(megabytes / projectSeconds)) MB/s")
        print(
            "projection + 15 CIS:   \(format(evaluateSeconds * 1000)) ms  \(format(megabytes / evaluateSeconds)) MB/s")
        print("evaluation overhead:   \(format((evaluateSeconds / projectSeconds - 1) * 100)) %")
        print(
            "matches per pattern:   "
                + zip(CISPatterns.all, perPattern).map { "\($0.0.id)=\($0.1)" }.joined(separator: " "))

        // 3. Regex linearity: a pattern that is exponential for backtracking engines, and one whose
        // DFA overflows the matcher's state cache, so that it is flushed and rebuilt as it goes.
        var generator: UInt64 = 0x2545_F491_4F6C_DD1D
        let randomAB = (0..<10_000_000).map { _ -> UInt8 in
            generator ^= generator << 13
            generator ^= generator >> 7
            generator ^= generator << 17
            return generator & 1 == 0 ? UInt8(ascii: "a") : UInt8(ascii: "b")
        }
        for (body, input) in [
            ("a*a*a*a*a*b", [UInt8](repeating: UInt8(ascii: "a"), count: 10_000_000)), ("a[ab]{12}c", randomAB),
        ] {
            let matcher = try FilterRegex(body).makeMatcher()
            print("regex %\(body)% (no match):")
            for size in [10_000, 100_000, 1_000_000, 10_000_000] {
                var found = false
                let seconds = best(of: 3) {
                    found = input.withUnsafeBytes { matcher.matches(UnsafeRawBufferPointer(rebasing: $0[0..<size])) }
                }
                print(
                    "  n=\(size): \(format(seconds * 1000)) ms, \(format(seconds * 1e9 / Double(size))) ns/byte, matched=\(found)"
                )
            }
        }
        _ = projected
    }

    static func best(of passes: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, passes) {
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return best
    }

    static func format(_ value: Double) -> String {
        let scaled = (value * 10).rounded() / 10
        return String(scaled)
    }

    struct ReadError: Error { var path: String }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else { throw ReadError(path: path) }
        defer { fclose(file) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        return data
    }
}
