package import TrailJSON

/// Per-thread scratch state for `PatternMatcher.evaluate`: the projected fields, which patterns
/// matched the last record, regex matchers with their lazily built DFAs, and reusable buffers.
///
/// Make one with `PatternMatcher.makeContext()` and reuse it for every record; nothing in it is
/// shared, so it is not `Sendable`.
package struct MatchContext {
    /// The fields projected from the last record evaluated. Readers that frame and project a
    /// record in one pass fill it, then call `PatternMatcher.evaluateProjected`.
    package var fields: ProjectedFields
    /// `results[i]` is whether pattern `i` matched the last record evaluated.
    package internal(set) var results: [Bool]

    /// Which patterns the prefilter has already run for the current record.
    var evaluated: [Bool]
    let regexMatchers: [RegexMatcher]
    var rawText: [UInt8] = []
    var rawTextReady = false
    var rawTextIsRecord = false
    private var decodeBuffer: [UInt8] = []

    init(fields: ProjectedFields, patternCount: Int, regexes: [RegexMatcher]) {
        self.fields = fields
        results = Array(repeating: false, count: patternCount)
        evaluated = results
        regexMatchers = regexes
    }

    /// Lends the decode buffer out (emptied), so decoding can happen while the context is in use.
    mutating func takeDecodeBuffer() -> [UInt8] {
        var buffer: [UInt8] = []
        swap(&buffer, &decodeBuffer)
        buffer.removeAll(keepingCapacity: true)
        return buffer
    }

    mutating func returnDecodeBuffer(_ buffer: [UInt8]) {
        decodeBuffer = buffer
    }
}
