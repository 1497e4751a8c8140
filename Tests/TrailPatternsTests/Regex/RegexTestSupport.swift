import TrailPatterns

/// Compiles `pattern` and searches `input` (its UTF-8 bytes) with a fresh matcher.
func regexSearch(_ pattern: String, _ input: String) throws -> Bool {
    try FilterRegex(pattern).matches(input.utf8)
}

/// Compiles `pattern` and searches raw bytes through the `UnsafeRawBufferPointer` entry point.
func regexSearch(_ pattern: String, bytes: [UInt8]) throws -> Bool {
    let matcher = try FilterRegex(pattern).makeMatcher()
    return bytes.withUnsafeBytes { matcher.matches($0) }
}

/// Parses `body`, returning the syntax error it throws, or nil if it compiles.
func regexSyntaxError(_ body: [UInt8]) -> RegexSyntaxError? {
    do {
        _ = try FilterRegex(body: body)
        return nil
    } catch {
        return error
    }
}

extension RegexMatcher {
    /// Test convenience over the raw-buffer entry point.
    func matches(bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { matches($0) }
    }
}
