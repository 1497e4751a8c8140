import TrailPatterns

extension Alert {
    /// A realistic alert for checking a sink's wiring (`trailhound test-sink`): an IAM user
    /// stopping a trail from outside the office, with every field an alert message shows. Its id
    /// is new for each `nonce`, so a receiver that deduplicates still shows every test.
    package static func sample(nonce: String) -> Alert {
        let record = """
            {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLEUSER","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"eventTime":"2026-11-22T10:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15.0","requestParameters":{"name":"management-events"},"responseElements":null,"eventID":"trailhound-test-\(nonce)","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}
            """
        let rule = Rule(
            id: "trailhound-test-sink", title: "Test alert from trailhound (CloudTrail logging stopped)",
            severity: .high, description: "A sample alert sent by `trailhound test-sink`.",
            pattern: try! FilterPattern.parse("{ $.eventName = StopLogging }"), patternText: "", references: .init(),
            runbook: "", enabled: true, suppress: [], alarm: nil, tests: [], file: "(test-sink)")
        return Array(record.utf8).withUnsafeBytes {
            Alert(
                rule: rule, record: $0, file: "AWSLogs/111122223333/CloudTrail/us-east-1/sample.json.gz", recordIndex: 0
            )
        }
    }
}
