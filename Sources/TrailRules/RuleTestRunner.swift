import TrailJSON

/// Runs the tests rules carry: each test record must (or must not) make its rule alert, the
/// rule's suppressions included. For alarm rules a test checks what counts towards the alarm.
package enum RuleTestRunner {
    package struct Failure: Sendable, Hashable, CustomStringConvertible {
        package var rule: String
        package var file: String
        package var line: Int
        package var test: String
        package var expected: Bool
        /// Why it failed when the record itself was the problem.
        package var problem: String?
        package var record: String

        package var description: String {
            let outcome = problem ?? (expected ? "expected an alert, got none" : "expected no alert, got one")
            return "\(file):\(line): \(rule): test \"\(test)\": \(outcome)\n  record: \(record)"
        }
    }

    package struct Outcome: Sendable, Hashable {
        package var passed = 0
        package var failures: [Failure] = []
    }

    package static func run(_ rules: [Rule]) -> Outcome {
        var outcome = Outcome()
        for rule in rules {
            let set = RuleSet([rule], includeDisabled: true)
            var context = set.makeContext()
            var alerting: [Int] = []
            for test in rule.tests {
                var problem: String?
                do {
                    try test.record.withUnsafeBytes { try set.evaluate($0, in: &context, alerting: &alerting) }
                } catch {
                    problem = "the record is not valid JSON: \(error)"
                }
                let alerted = !alerting.isEmpty
                if problem == nil && alerted == test.expectAlert {
                    outcome.passed += 1
                } else {
                    outcome.failures.append(
                        Failure(
                            rule: rule.id, file: rule.file, line: test.line, test: test.name,
                            expected: test.expectAlert,
                            problem: problem, record: String(decoding: test.record, as: UTF8.self)))
                }
            }
        }
        return outcome
    }
}
