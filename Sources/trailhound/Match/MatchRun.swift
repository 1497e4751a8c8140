import TrailJSON
import TrailPatterns
import TrailReader

/// The grep-like logic of `trailhound match`, with its inputs and outputs passed in.
enum MatchRun {
    struct Options: Sendable {
        var count = false
        var invert = false
        var quiet = false
    }

    /// Exit statuses, as grep uses them.
    enum Status {
        static let selected: Int32 = 0
        static let noneSelected: Int32 = 1
        static let error: Int32 = 2
    }

    /// Reads one input (a path, or `-` for standard input) into reader events.
    typealias Reader = (String, (ReaderEvent) -> Void) throws(ReaderError) -> ReadSummary

    /// Reads files from disk and standard input.
    static func readFromDisk(_ path: String, _ body: (ReaderEvent) -> Void) throws(ReaderError) -> ReadSummary {
        if path == "-" { return try TrailFileReader.read(InputFile.standardInput(), body) }
        return try TrailFileReader.read(path: path, body)
    }

    /// At most this many record errors are printed per input; the rest are counted.
    static let errorsShownPerInput = 20

    /// Runs the match and returns the exit status.
    static func execute(
        pattern text: String, inputs: [InputPaths.Entry], options: Options,
        output: some OutputStream, errors: some OutputStream, read: Reader = readFromDisk
    ) -> Int32 {
        defer {
            output.flush()
            errors.flush()
        }
        let pattern: FilterPattern
        do {
            pattern = try FilterPattern.parse(text)
        } catch {
            for warning in error.warnings { errors.writeLine(warning.rendered(in: text)) }
            errors.writeLine(error.rendered)
            return Status.error
        }
        for warning in pattern.warnings { errors.writeLine(warning.rendered(in: text)) }

        let matcher = PatternMatcher(pattern)
        var context = matcher.makeContext()
        var sawError = false
        var selectedTotal = 0
        let fileCount = inputs.count
        for input in inputs {
            guard case .file(let path) = input else {
                if case .problem(let message) = input { errors.writeLine("trailhound: \(message)") }
                sawError = true
                continue
            }
            let name = path == "-" ? "(standard input)" : path
            var selected = 0
            var failures = 0
            var line: [UInt8] = []
            func report(_ message: String) {
                failures += 1
                if failures <= errorsShownPerInput { errors.writeLine("trailhound: " + message) }
            }
            do {
                _ = try read(path) { event in
                    guard !(options.quiet && selected > 0) else { return }
                    switch event {
                    case .invalidLine(let problem):
                        report(problem.description)
                    case .record(let record):
                        let matched: Bool
                        do throws(JSONError) {
                            matched = try matcher.matches(record.bytes, in: &context)
                        } catch {
                            report(ReaderError(record: record, path: name, error: error).description)
                            return
                        }
                        guard matched != options.invert else { return }
                        selected += 1
                        if !options.count && !options.quiet {
                            line.removeAll(keepingCapacity: true)
                            JSONCompactor.compact(record.bytes, into: &line)
                            line.append(0x0A)
                            output.write(line)
                        }
                    }
                }
            } catch {
                report(error.description)
            }
            if failures > errorsShownPerInput {
                errors.writeLine("trailhound: \(name): \(failures - errorsShownPerInput) more errors not shown")
            }
            sawError = sawError || failures > 0
            selectedTotal += selected
            if options.quiet && selectedTotal > 0 { return Status.selected }
            if options.count && !options.quiet {
                output.writeLine(fileCount > 1 ? "\(name):\(selected)" : "\(selected)")
            }
        }
        if sawError { return Status.error }
        return selectedTotal > 0 ? Status.selected : Status.noneSelected
    }
}
