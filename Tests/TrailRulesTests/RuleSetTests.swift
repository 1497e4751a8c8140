import Foundation
import Testing
import TrailJSON
import TrailPatterns

@testable import TrailRules

/// The compiled rule set, suppressions, alerts, and the bundled pack.
struct RuleSetTests {
    func rule(_ id: String, _ pattern: String, suppress: [String] = [], enabled: Bool = true) throws -> Rule {
        Rule(
            id: id, title: id, severity: .medium, description: "", pattern: try FilterPattern.parse(pattern),
            patternText: pattern,
            references: .init(), runbook: "", enabled: enabled,
            suppress: try suppress.map { try FilterPattern.parse($0) },
            alarm: nil, tests: [], file: "\(id).yaml")
    }

    func alerting(_ set: RuleSet, _ record: String) throws -> [String] {
        var context = set.makeContext()
        var indices: [Int] = []
        try Array(record.utf8).withUnsafeBytes { try set.evaluate($0, in: &context, alerting: &indices) }
        return indices.map { set.rules[$0].id }
    }

    @Test("rules alert unless one of their suppressions matches; disabled rules never do")
    func suppressions() throws {
        let set = RuleSet([
            try rule(
                "stop", "{ $.eventName = StopLogging }",
                suppress: [#"{ $.userIdentity.arn = "arn:aws:iam::1:role/Automation" }"#]),
            try rule("any-cloudtrail", "{ $.eventSource = cloudtrail.amazonaws.com }"),
            try rule("off", "{ $.eventName = StopLogging }", enabled: false),
        ])
        #expect(set.rules.map(\.id) == ["stop", "any-cloudtrail"])
        let byPerson =
            #"{"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com","userIdentity":{"arn":"arn:aws:iam::1:user/bob"}}"#
        let byAutomation =
            #"{"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com","userIdentity":{"arn":"arn:aws:iam::1:role/Automation"}}"#
        #expect(try alerting(set, byPerson) == ["stop", "any-cloudtrail"])
        #expect(try alerting(set, byAutomation) == ["any-cloudtrail"])
        #expect(try alerting(set, #"{"eventName":"DescribeInstances"}"#).isEmpty)
    }

    @Test("an alert carries the who, what and where, a stable id and a console link")
    func alert() throws {
        let record =
            #"{"eventTime":"2026-11-22T10:01:12Z","eventID":"e-1","recipientAccountId":"111122223333","awsRegion":"eu-west-1","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bob","userName":"bob"},"sourceIPAddress":"198.51.100.7","userAgent":"aws-cli","errorCode":"AccessDenied","errorMessage":"no"}"#
        let stop = try rule("stop", "{ $.eventName = StopLogging }")
        let alert = Array(record.utf8).withUnsafeBytes {
            Alert(rule: stop, record: $0, file: "f.json.gz", recordIndex: 7)
        }
        #expect(alert.principalName == "bob" && alert.account == "111122223333" && alert.errorCode == "AccessDenied")
        #expect(
            alert.consoleURL
                == "https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/e-1")
        #expect(alert.id.count == 64)
        let again = Array(record.utf8).withUnsafeBytes {
            Alert(rule: stop, record: $0, file: "other.json", recordIndex: 1)
        }
        #expect(again.id == alert.id)  // the same rule and event, wherever the record was read
        let other = Array(record.utf8).withUnsafeBytes {
            Alert(rule: try! rule("other", "{ $.a = 1 }"), record: $0, file: "f", recordIndex: 7)
        }
        #expect(other.id != alert.id)
        let json = try JSONValue(parsing: alert.jsonLine)
        #expect(json["rule"] == .string("stop"))
        #expect(json["record"]?["eventID"] == .string("e-1"))
        #expect(alert.text.hasPrefix("[MEDIUM] stop: stop\n"))
    }

    @Test(
        "console links follow the partition",
        arguments: [
            (
                "us-gov-west-1", nil,
                "https://console.amazonaws-us-gov.com/cloudtrail/home?region=us-gov-west-1#/events/e"
            ),
            ("cn-north-1", nil, "https://console.amazonaws.cn/cloudtrail/home?region=cn-north-1#/events/e"),
            (
                "us-east-1", "arn:aws-us-gov:iam::1:user/x",
                "https://console.amazonaws-us-gov.com/cloudtrail/home?region=us-east-1#/events/e"
            ),
        ] as [(String, String?, String)])
    func partitions(_ region: String, _ arn: String?, _ expected: String) {
        #expect(Alert.consoleURL(region: region, eventID: "e", arn: arn) == expected)
    }

    @Test("the bundled pack loads without diagnostics and passes all its tests")
    func bundledPack() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules").path
        let (rules, diagnostics) = RuleLoader.load([directory])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(rules.count >= 30)
        for rule in rules {
            #expect(
                rule.tests.contains { $0.expectAlert } && rule.tests.contains { !$0.expectAlert },
                "\(rule.id) needs positive and negative tests")
        }
        let outcome = RuleTestRunner.run(rules)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.passed > 150)
        // Every Stratus Red Team AWS technique has an enabled rule about it (issue 18).
        let covered = Set(rules.filter(\.enabled).flatMap(\.references.stratus))
        #expect(Set(Self.stratusTechniques).subtracting(covered).isEmpty, "no rule for \(Set(Self.stratusTechniques).subtracting(covered).sorted())")
        #expect(covered.isSubset(of: Self.stratusTechniques), "unknown Stratus ids \(covered.subtracting(Self.stratusTechniques).sorted())")
    }

    /// The 44 AWS techniques of Stratus Red Team: the 35 with detonation logs in the corpus and
    /// the 9 without.
    static let stratusTechniques: Set<String> = [
        "aws.credential-access.ec2-get-password-data",
        "aws.credential-access.ec2-steal-instance-credentials",
        "aws.credential-access.secretsmanager-batch-retrieve-secrets",
        "aws.credential-access.secretsmanager-retrieve-secrets",
        "aws.credential-access.ssm-retrieve-securestring-parameters",
        "aws.defense-evasion.cloudtrail-delete",
        "aws.defense-evasion.cloudtrail-event-selectors",
        "aws.defense-evasion.cloudtrail-lifecycle-rule",
        "aws.defense-evasion.cloudtrail-stop",
        "aws.defense-evasion.dns-delete-logs",
        "aws.defense-evasion.organizations-leave",
        "aws.defense-evasion.vpc-remove-flow-logs",
        "aws.discovery.ec2-download-user-data",
        "aws.discovery.ec2-enumerate-from-instance",
        "aws.discovery.ses-enumerate",
        "aws.execution.ec2-launch-unusual-instances",
        "aws.execution.ec2-user-data",
        "aws.execution.sagemaker-update-lifecycle-config",
        "aws.execution.ssm-send-command",
        "aws.execution.ssm-start-session",
        "aws.exfiltration.ec2-security-group-open-port-22-ingress",
        "aws.exfiltration.ec2-share-ami",
        "aws.exfiltration.ec2-share-ebs-snapshot",
        "aws.exfiltration.rds-share-snapshot",
        "aws.exfiltration.s3-backdoor-bucket-policy",
        "aws.impact.bedrock-invoke-model",
        "aws.impact.ec2-deregister-ami",
        "aws.impact.s3-ransomware-batch-deletion",
        "aws.impact.s3-ransomware-client-side-encryption",
        "aws.impact.s3-ransomware-individual-deletion",
        "aws.initial-access.console-login-without-mfa",
        "aws.lateral-movement.ec2-instance-connect",
        "aws.lateral-movement.ec2-serial-console-send-ssh-public-key",
        "aws.persistence.iam-backdoor-role",
        "aws.persistence.iam-backdoor-user",
        "aws.persistence.iam-create-admin-user",
        "aws.persistence.iam-create-backdoor-role",
        "aws.persistence.iam-create-user-login-profile",
        "aws.persistence.lambda-backdoor-function",
        "aws.persistence.lambda-layer-extension",
        "aws.persistence.lambda-overwrite-code",
        "aws.persistence.rolesanywhere-create-trust-anchor",
        "aws.persistence.sts-federation-token",
        "aws.privilege-escalation.iam-update-user-login-profile",
    ]
}
