// FuzzPatterns: the filter-pattern parser, printer and compiler under libFuzzer.
//
// Every input is pattern text. Whatever parses must print to a canonical form that parses back
// to the same pattern and prints identically (the round trip `FilterPattern` promises), and must
// compile and evaluate against a few fixed records with the same result whether it is compiled
// alone or among other patterns (which exercises the shared projection and the prefilter index).
import FuzzSupport
import TrailJSON
import TrailPatterns

/// Patterns compiled next to the fuzzed one, so that it shares a projection and a prefilter
/// index with OR-chains, wildcards and a regex.
private let neighbours: [FilterPattern] = [
    #"{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = "UpdateTrail") }"#,
    #"{ $.resources[*].ARN = "arn:2" && $.userIdentity.type != "AWSService" }"#,
    #"{ $.errorCode = "*Denied" || $.requestParameters.count > 2 }"#,
    #"{ $.userIdentity.userName = %^[a-z]+$% }"#,
].map { try! FilterPattern.parse($0) }

/// Hands libFuzzer's command line and `fuzz` to libFuzzer (see `FuzzDriver`).
@main
enum FuzzPatternsMain {
    static func main() {
        FuzzDriver.run { data, size in fuzz(data ?? FuzzDriver.emptyInput, size) }
    }
}

/// One fuzz input; also exported under libFuzzer's name, for drivers that call it directly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let pattern = try? FilterPattern.parse(text) else { return 0 }

    // Round trip: parse(print(p)) == p, and printing that prints the same text. The canonical
    // form adds parentheses and quotes, so near the 1024-character limit it can outgrow it, and
    // then its length, and only its length, is what the parser must refuse.
    let canonical = pattern.description
    var reparsed = pattern
    do {
        reparsed = try FilterPattern.parse(canonical)
        FuzzCheck.expect(
            reparsed == pattern, "reparse differs: \(canonical.debugDescription) from \(text.debugDescription)")
        FuzzCheck.expect(
            reparsed.description == canonical,
            "canonical form is not stable: \(reparsed.description.debugDescription) vs \(canonical.debugDescription)")
    } catch {
        FuzzCheck.expect(
            error.diagnostic.kind == .patternTooLong && canonical.unicodeScalars.count > 1024,
            "canonical form does not parse: \(canonical.debugDescription) from \(text.debugDescription): \(error)")
    }

    // Compile alone and among neighbours; evaluate every fixed record with both.
    let alone = PatternMatcher(pattern)
    let together = PatternMatcher(neighbours + [reparsed])
    var aloneContext = alone.makeContext()
    var togetherContext = together.makeContext()
    for record in FuzzRecords.all {
        record.withUnsafeBytes { bytes in
            do {
                let matched = try alone.matches(bytes, in: &aloneContext)
                try together.evaluate(bytes, in: &togetherContext)
                FuzzCheck.expect(
                    matched == togetherContext.results[neighbours.count],
                    "\(canonical.debugDescription) matches differently alone and among other patterns")
            } catch {
                FuzzCheck.expect(false, "a fixed record failed to project: \(error)")
            }
        }
    }
    return 0
}
