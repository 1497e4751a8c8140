import TrailPatterns

/// The logic of `trailhound check --pattern`, with its outputs passed in.
enum CheckRun {
    /// Prints the canonical form (and any warnings) of a valid pattern and returns 0, or the
    /// rendered error and returns 1.
    static func execute(pattern text: String, output: some OutputStream, errors: some OutputStream) -> Int32 {
        defer {
            output.flush()
            errors.flush()
        }
        do {
            let pattern = try FilterPattern.parse(text)
            for warning in pattern.warnings { errors.writeLine(warning.rendered(in: text)) }
            output.writeLine(pattern.description)
            return 0
        } catch {
            for warning in error.warnings { errors.writeLine(warning.rendered(in: text)) }
            errors.writeLine(error.rendered)
            return 1
        }
    }
}
