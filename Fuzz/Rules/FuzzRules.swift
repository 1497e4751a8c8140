// FuzzRules: the rule-file reader under libFuzzer.
//
// Every input is the text of a rule file (YAML). Whatever reads as a rule, with its pattern,
// suppressions, alarm and embedded tests, is compiled into a `RuleSet`, evaluated against a few
// fixed records, and has its own tests run. Nothing may crash or hang; diagnostics must point
// inside the file.
import FuzzSupport
import TrailJSON
import TrailPatterns
import TrailRules

/// Hands libFuzzer's command line and `fuzz` to libFuzzer (see `FuzzDriver`).
@main
enum FuzzRulesMain {
    static func main() {
        FuzzDriver.run { data, size in fuzz(data ?? FuzzDriver.emptyInput, size) }
    }
}

/// One fuzz input; also exported under libFuzzer's name, for drivers that call it directly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let (rule, diagnostics) = RuleFileReader.read(text, file: "fuzz.yaml")
    // YAML breaks lines at CR, LF, CRLF, NEL, LS and PS (counted generously here), and libyaml
    // puts the end of the stream at the start of the line after an unterminated last line, so
    // a diagnostic there may name one line more than the text has.
    let breaks: Set<Unicode.Scalar> = ["\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"]
    let lines = text.unicodeScalars.count { breaks.contains($0) } + 2
    for diagnostic in diagnostics {
        FuzzCheck.expect(
            diagnostic.line >= 0 && diagnostic.line <= lines && diagnostic.column >= 0,
            "diagnostic at \(diagnostic.line):\(diagnostic.column) outside \(lines) lines: \(diagnostic)")
    }
    guard let rule else { return 0 }
    FuzzCheck.expect(!diagnostics.contains { $0.severity == .error }, "a rule came back with errors")

    let set = RuleSet([rule], includeDisabled: true)
    var context = set.makeContext()
    var alerting: [Int] = []
    for record in FuzzRecords.all {
        record.withUnsafeBytes { bytes in
            do {
                try set.evaluate(bytes, in: &context, alerting: &alerting)
            } catch {
                FuzzCheck.expect(false, "a fixed record failed to project: \(error)")
            }
        }
    }
    _ = RuleTestRunner.run([rule])
    return 0
}
