// FuzzRegex: the filter-pattern regex engine under libFuzzer.
//
// An input is `pattern NUL subject` (without a NUL, the whole input is both). Whatever compiles
// is matched against the subject, the pattern's own bytes and a repetition of the subject (which
// pushes the lazily built DFA of a large program past its memory budget, so the cache flushes;
// it is kept short because a counted repeat such as `.{1000}` costs about a thousand NFA steps
// per byte under ASan until the DFA is warm). A matcher reused across subjects must
// answer as a fresh one does, and a pattern made only of plain literal bytes must match exactly
// when the subject contains it.
import FuzzSupport
import TrailPatterns

/// Hands libFuzzer's command line and `fuzz` to libFuzzer (see `FuzzDriver`).
@main
enum FuzzRegexMain {
    static func main() {
        FuzzDriver.run { data, size in fuzz(data ?? FuzzDriver.emptyInput, size) }
    }
}

/// One fuzz input; also exported under libFuzzer's name, for drivers that call it directly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let separator = input.firstIndex(of: 0) ?? size
    let body = input[..<separator]
    let subject = separator < size ? Array(input[(separator + 1)...]) : Array(body)
    guard let regex = try? FilterRegex(body: body) else { return 0 }

    var long: [UInt8] = []
    while long.count < 256 && !subject.isEmpty { long += subject }
    let subjects = [subject, Array(body), long, []]

    let reused = regex.makeMatcher()
    for subject in subjects {
        let warm = subject.withUnsafeBytes { reused.matches($0) }
        let cold = regex.matches(subject)
        FuzzCheck.expect(
            warm == cold,
            "reused matcher says \(warm), fresh one \(cold) for \(regex.source.debugDescription) on \(subject)")
        // Only letters and digits: the regex is a literal, so matching is substring search.
        if !body.isEmpty && body.allSatisfy({ $0 < 0x80 && (isLetter($0) || isDigit($0)) }) {
            FuzzCheck.expect(
                cold == contains(subject, Array(body)),
                "literal \(regex.source.debugDescription) disagrees with substring search on \(subject)")
        }
    }
    return 0
}

private func isLetter(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
}
private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    for start in 0...(haystack.count - needle.count)
    where haystack[start..<(start + needle.count)].elementsEqual(needle) {
        return true
    }
    return false
}
