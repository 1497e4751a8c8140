/// A problem in a rule file, with the file, line and column it concerns.
package struct RuleDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    package var severity: Severity
    package var file: String
    /// 1-based; 0 when the problem concerns the whole file.
    package var line: Int
    package var column: Int
    package var message: String

    package init(_ severity: Severity = .error, file: String, line: Int, column: Int, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COLUMN: error: MESSAGE`, the form editors and CI annotations understand.
    package var description: String {
        line > 0
            ? "\(file):\(line):\(column): \(severity.rawValue): \(message)"
            : "\(file): \(severity.rawValue): \(message)"
    }
}
