/// A compiled `include`/`exclude` glob, matched against a `/`-separated path relative to the spool.
///
/// The syntax is the familiar shell/gitignore subset:
///
/// - `*` matches any run of characters within one path segment, `?` exactly one character;
///   neither ever matches `/`.
/// - `**` as a whole segment matches any number of segments, including none
///   (`AWSLogs/**/CloudTrail/**`); `**` inside a segment is just `*`.
/// - `[abc]`, `[a-z]`, `[!a-z]` (or `[^a-z]`) match one character in (or not in) the class; a `]`
///   first in the class is a member.
/// - `\` makes the next character literal.
/// - A glob without `/` is matched against the file name alone, as in `.gitignore`, so
///   `*.json` means "any `.json` file anywhere"; a glob with `/` must match the whole path.
///
/// Matching is linear-ish in the path (the classic single-backtrack-point wildcard algorithm, at
/// the character level and again at the segment level), so a hostile glob cannot stall a scan.
package struct SpoolGlob: Sendable, Hashable, CustomStringConvertible {
    /// The glob as written.
    package let pattern: String
    private let segments: [Segment]

    /// One element of a segment pattern; each matches exactly one character except `star`.
    private enum Token: Sendable, Hashable {
        case literal(Unicode.Scalar)
        case anyCharacter
        case star
        case characterClass(ranges: [ClosedRange<Unicode.Scalar>], negated: Bool)

        func matches(_ scalar: Unicode.Scalar) -> Bool {
            switch self {
            case .literal(let literal): literal == scalar
            case .anyCharacter: true
            case .star: false
            case .characterClass(let ranges, let negated): ranges.contains { $0.contains(scalar) } != negated
            }
        }
    }

    private enum Segment: Sendable, Hashable {
        /// `**`: any number of whole segments.
        case anyDepth
        case pattern([Token])
    }

    /// Compiles `pattern`, or says what is wrong with it and at which column.
    package init(_ pattern: String) throws(SpoolGlobError) {
        self.pattern = pattern
        let scalars = Array(pattern.unicodeScalars)
        guard !scalars.isEmpty else { throw SpoolGlobError(.empty, glob: pattern, column: 1) }
        var segments: [Segment] = []
        var tokens: [Token] = []
        var index = 0

        func fail(_ kind: SpoolGlobError.Kind, at position: Int, hint: String? = nil) -> SpoolGlobError {
            SpoolGlobError(kind, glob: pattern, column: position + 1, hint: hint)
        }

        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "/":
                if index == 0 { throw fail(.absolute, at: 0, hint: "drop the leading \"/\"") }
                // `**` consumes its own `/`, so an empty segment here is always `//`.
                if tokens.isEmpty {
                    throw fail(.emptySegment, at: index, hint: "use \"**\" for any number of directories")
                }
                segments.append(.pattern(tokens))
                tokens = []
                index += 1
                if index == scalars.count {
                    let directory = String(String.UnicodeScalarView(scalars[..<(index - 1)]))
                    throw fail(
                        .trailingSlash, at: index - 1, hint: "write \"\(directory)/**\" to take every file below it")
                }
            case "*":
                var end = index
                while end < scalars.count && scalars[end] == "*" { end += 1 }
                let wholeSegment =
                    tokens.isEmpty && (index == 0 || scalars[index - 1] == "/")
                    && (end == scalars.count || scalars[end] == "/")
                if end - index >= 2 && wholeSegment {
                    // Consecutive `**` segments mean the same as one.
                    if segments.last != .anyDepth { segments.append(.anyDepth) }
                    // Skip the `/` after `**` here so it does not read as an empty segment.
                    index = end < scalars.count ? end + 1 : end
                    if index == scalars.count && end < scalars.count {
                        throw fail(.trailingSlash, at: end, hint: "end the glob with \"**\" to take every file below")
                    }
                } else {
                    tokens.append(.star)
                    index = end
                }
            case "?":
                tokens.append(.anyCharacter)
                index += 1
            case "[":
                let (token, next) = try Self.parseClass(scalars, openingAt: index, fail: fail)
                tokens.append(token)
                index = next
            case "\\":
                guard index + 1 < scalars.count else { throw fail(.danglingEscape, at: index, hint: "write \"\\\\\"") }
                tokens.append(.literal(scalars[index + 1]))
                index += 2
            default:
                tokens.append(.literal(scalar))
                index += 1
            }
        }
        if !tokens.isEmpty { segments.append(.pattern(tokens)) }
        // A bare name pattern matches the last segment at any depth.
        if !scalars.contains("/") && segments.first != .anyDepth { segments.insert(.anyDepth, at: 0) }
        self.segments = segments
    }

    /// Parses `[…]` starting at `start`; returns the class and the index after its `]`.
    private static func parseClass(
        _ scalars: [Unicode.Scalar], openingAt start: Int, fail: (SpoolGlobError.Kind, Int, String?) -> SpoolGlobError
    ) throws(SpoolGlobError) -> (Token, Int) {
        var index = start + 1
        var negated = false
        if index < scalars.count && (scalars[index] == "!" || scalars[index] == "^") {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var first = true
        let unterminated = fail(.unterminatedClass, start, "write \"\\[\" to match a literal \"[\"")
        while true {
            guard index < scalars.count else { throw unterminated }
            var lower = scalars[index]
            if lower == "]" && !first { return (.characterClass(ranges: ranges, negated: negated), index + 1) }
            first = false
            if lower == "/" { throw fail(.slashInClass, index, nil) }
            if lower == "\\" {
                index += 1
                guard index < scalars.count else { throw unterminated }
                lower = scalars[index]
            }
            index += 1
            // `a-z` is a range unless the `-` is last in the class (`[a-]` holds `a` and `-`).
            if index + 1 < scalars.count && scalars[index] == "-" && scalars[index + 1] != "]" {
                var upper = scalars[index + 1]
                var upperIndex = index + 1
                if upper == "\\" {
                    upperIndex += 1
                    guard upperIndex < scalars.count else { throw unterminated }
                    upper = scalars[upperIndex]
                }
                if upper == "/" { throw fail(.slashInClass, upperIndex, nil) }
                guard lower <= upper else {
                    throw fail(.reversedRange, index - 1, "write \"[\(upper)-\(lower)]\"")
                }
                ranges.append(lower...upper)
                index = upperIndex + 1
            } else {
                ranges.append(lower...lower)
            }
        }
    }

    /// Whether the glob matches `path` (relative, `/`-separated).
    package func matches(_ path: String) -> Bool {
        matches(segments: Self.segments(of: path))
    }

    /// Splits a path into the segments `matches(segments:)` takes, so a caller matching one path
    /// against several globs splits it once.
    static func segments(of path: String) -> [[Unicode.Scalar]] {
        path.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false).map(Array.init)
    }

    /// Whether the glob matches a path already split into segments.
    func matches(segments path: [[Unicode.Scalar]]) -> Bool {
        // Wildcard matching with one backtrack point: `**` plays the part of `*`, a segment
        // pattern the part of a single character. When a segment fails, the most recent `**`
        // swallows one more segment and matching resumes after it.
        var globIndex = 0
        var pathIndex = 0
        var starGlob = -1
        var starPath = 0
        while pathIndex < path.count {
            if globIndex < segments.count, case .pattern(let tokens) = segments[globIndex],
                Self.matches(tokens, path[pathIndex])
            {
                globIndex += 1
                pathIndex += 1
            } else if globIndex < segments.count, segments[globIndex] == .anyDepth {
                starGlob = globIndex
                starPath = pathIndex
                globIndex += 1
            } else if starGlob >= 0 {
                globIndex = starGlob + 1
                starPath += 1
                pathIndex = starPath
            } else {
                return false
            }
        }
        while globIndex < segments.count && segments[globIndex] == .anyDepth { globIndex += 1 }
        return globIndex == segments.count
    }

    /// Matches one segment against one segment pattern, with the same algorithm at character level.
    private static func matches(_ tokens: [Token], _ text: [Unicode.Scalar]) -> Bool {
        var tokenIndex = 0
        var textIndex = 0
        var starToken = -1
        var starText = 0
        while textIndex < text.count {
            if tokenIndex < tokens.count && tokens[tokenIndex].matches(text[textIndex]) {
                tokenIndex += 1
                textIndex += 1
            } else if tokenIndex < tokens.count && tokens[tokenIndex] == .star {
                starToken = tokenIndex
                starText = textIndex
                tokenIndex += 1
            } else if starToken >= 0 {
                tokenIndex = starToken + 1
                starText += 1
                textIndex = starText
            } else {
                return false
            }
        }
        while tokenIndex < tokens.count && tokens[tokenIndex] == .star { tokenIndex += 1 }
        return tokenIndex == tokens.count
    }

    /// The glob as written.
    package var description: String { pattern }
}
