import TrailJSON
import TrailPatterns

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

    /// Runs the match and returns the exit status.
    static func execute<E: Error>(
        pattern text: String, inputs: [String], options: Options,
        output: some OutputStream, errors: some OutputStream,
        read: (String) throws(E) -> [UInt8]
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
        for input in inputs {
            let name = input == "-" ? "(standard input)" : input
            let bytes: [UInt8]
            do {
                bytes = try read(input)
            } catch {
                errors.writeLine("trailhound: \(error)")
                sawError = true
                continue
            }
            let outcome = bytes.withUnsafeBytes { buffer in
                scan(
                    buffer, name: name, matcher: matcher, context: &context, options: options, output: output,
                    errors: errors)
            }
            selectedTotal += outcome.selected
            sawError = sawError || outcome.failed
            if options.quiet && selectedTotal > 0 { return Status.selected }
            if options.count && !options.quiet {
                output.writeLine(inputs.count > 1 ? "\(name):\(outcome.selected)" : "\(outcome.selected)")
            }
        }
        if sawError && !(options.quiet && selectedTotal > 0) { return Status.error }
        return selectedTotal > 0 ? Status.selected : Status.noneSelected
    }

    /// At most this many errors are printed per input; the rest are counted.
    static let errorsShownPerInput = 20

    /// Splits one input into records and prints the selected ones.
    private static func scan(
        _ buffer: UnsafeRawBufferPointer, name: String, matcher: PatternMatcher, context: inout MatchContext,
        options: Options, output: some OutputStream, errors: some OutputStream
    ) -> (selected: Int, failed: Bool) {
        var splitter = JSONRecordSplitter(buffer, limits: matcher.projection.limits)
        var locator = JSONLineLocator(buffer)
        var selected = 0
        var failures = 0
        var line: [UInt8] = []
        func report(_ error: JSONError, at offset: Int, record index: Int, startingAt start: Int) {
            failures += 1
            guard failures <= errorsShownPerInput else { return }
            let startLine = locator.locate(start).line
            let (errorLine, column) = locator.locate(offset)
            errors.writeLine(
                "trailhound: \(name):\(errorLine):\(column): \(error.summary) at byte \(offset): expected \(error.expected), "
                    + "found \(error.found) (record \(index), starting at line \(startLine))")
        }
        while true {
            let record: JSONRecordSplitter.Record?
            do {
                record = try splitter.next()
            } catch {
                report(error, at: error.offset, record: splitter.recordIndex, startingAt: splitter.recordStart)
                guard splitter.continuesAfterError else { break }
                continue
            }
            guard let record else { break }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[record.range])
            let matched: Bool
            do {
                matched = try matcher.matches(bytes, in: &context)
            } catch {
                // The splitter validated the record, so this is a limit only the projection applies.
                report(
                    error, at: record.range.lowerBound + error.offset, record: record.index,
                    startingAt: record.range.lowerBound)
                continue
            }
            guard matched != options.invert else { continue }
            selected += 1
            if options.quiet { break }
            if !options.count {
                line.removeAll(keepingCapacity: true)
                JSONCompactor.compact(bytes, into: &line)
                line.append(0x0A)
                output.write(line)
            }
        }
        if failures > errorsShownPerInput {
            errors.writeLine("trailhound: \(name): \(failures - errorsShownPerInput) more errors not shown")
        }
        return (selected, failures > 0)
    }
}
