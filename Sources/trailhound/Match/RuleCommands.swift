import TrailJSON
import TrailLint
import TrailRules

/// The logic of `trailhound test` and `trailhound check` (rules), with outputs passed in.
enum RuleCommands {
    /// Loads the rules, printing every diagnostic: the rules that loaded, and whether any file
    /// had an error.
    static func load(_ directories: [String], errors: some OutputStream) -> (rules: [Rule], failed: Bool) {
        let (rules, diagnostics) = RuleLoader.load(directories)
        for diagnostic in diagnostics { errors.writeLine(diagnostic.description) }
        return (rules, diagnostics.contains { $0.severity == .error })
    }

    static func test(directories: [String], output: some OutputStream, errors: some OutputStream) -> Int32 {
        defer {
            output.flush()
            errors.flush()
        }
        let (rules, failed) = load(directories, errors: errors)
        let outcome = RuleTestRunner.run(rules)
        for failure in outcome.failures { output.writeLine("FAIL " + failure.description) }
        output.writeLine("\(outcome.passed) passed, \(outcome.failures.count) failed")
        return failed || !outcome.failures.isEmpty ? 1 : 0
    }

    /// Ordinary read-only calls no rule should alert on; a rule that does is suspicious.
    static let benignRecords: [String] = [
        #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"eventTime":"2026-11-22T10:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.30","requestParameters":null,"responseElements":null,"eventID":"benign-1","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333"}"#,
        #"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/App/i-1","accountId":"111122223333"},"eventTime":"2026-11-22T10:00:01Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"aws-sdk-go","requestParameters":{"bucketName":"data","key":"a"},"responseElements":null,"eventID":"benign-2","readOnly":true,"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333"}"#,
    ]

    static func check(directories: [String], output: some OutputStream, errors: some OutputStream) -> Int32 {
        defer {
            output.flush()
            errors.flush()
        }
        let (rules, failed) = load(directories, errors: errors)
        var warnings = 0
        let lint = EventNameLint(catalogue: .embedded)
        for rule in rules {
            for diagnostic in lint.diagnostics(for: rule) {
                warnings += 1
                errors.writeLine(diagnostic.description)
            }
            let set = RuleSet([rule], includeDisabled: true)
            var context = set.makeContext()
            var alerting: [Int] = []
            let noisy = benignRecords.filter { record in
                (try? Array(record.utf8).withUnsafeBytes { try set.evaluate($0, in: &context, alerting: &alerting) })
                    != nil
                    && !alerting.isEmpty
            }
            if !noisy.isEmpty {
                warnings += 1
                errors.writeLine(
                    "\(rule.file):\(rule.line):\(rule.column): warning: `\(rule.id)` alerts on ordinary read-only calls (such as DescribeInstances); its pattern may match nearly every event"
                )
            }
            if rule.tests.isEmpty {
                warnings += 1
                errors.writeLine("\(rule.file):\(rule.line):\(rule.column): warning: `\(rule.id)` has no tests")
            }
        }
        let set = RuleSet(rules)
        output.writeLine(
            "\(rules.count) rules (\(set.rules.count) enabled), \(set.projection.paths.count) selectors, \(warnings) warnings"
        )
        return failed ? 1 : 0
    }
}
