import TrailLint
import TrailPatterns

/// The logic of `trailhound check --pattern`, with its outputs passed in.
enum CheckRun {
    /// Prints the canonical form of a valid pattern and returns 0, or the rendered error and
    /// returns 1. Warnings (the parser's, and eventNames or eventSources no CloudTrail event
    /// has) go to `errors` and leave the status 0.
    static func execute(pattern text: String, output: some OutputStream, errors: some OutputStream) -> Int32 {
        defer {
            output.flush()
            errors.flush()
        }
        do {
            let pattern = try FilterPattern.parse(text)
            for warning in pattern.warnings { errors.writeLine(warning.rendered(in: text)) }
            for finding in EventNameLint(catalogue: .embedded).findings(in: pattern) {
                errors.writeLine(finding.rendered(in: text))
            }
            output.writeLine(pattern.description)
            return 0
        } catch {
            for warning in error.warnings { errors.writeLine(warning.rendered(in: text)) }
            errors.writeLine(error.rendered)
            return 1
        }
    }
}
