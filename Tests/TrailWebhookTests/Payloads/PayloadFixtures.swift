import Testing
import TrailJSON
import TrailRules
import TrailWebhook

/// Rules, records and alerts the payload tests share, and helpers to read rendered payloads back.
enum PayloadFixtures {
    /// A rule read from YAML the way the daemon reads rule files.
    static func rule(_ id: String, title: String, severity: String, pattern: String) -> Rule {
        let yaml = """
            id: \(id)
            title: '\(title)'
            severity: \(severity)
            description: 'test rule'
            pattern: '\(pattern)'
            runbook: 'test runbook'
            """
        let (rule, diagnostics) = RuleFileReader.read(yaml, file: "\(id).yaml")
        guard let rule else { fatalError("fixture rule does not load: \(diagnostics)") }
        return rule
    }

    static let consoleLoginRule = rule(
        "cis-3.2-console-login-without-mfa", title: "Console sign-in without MFA", severity: "high",
        pattern: #"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#)

    static let unauthorizedRule = rule(
        "cis-3.1-unauthorized-api-calls", title: "Unauthorized API calls", severity: "medium",
        pattern: #"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }"#)

    /// An IAM user signing in to the console without MFA.
    static let consoleLoginRecord = """
        {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLEALICE",\
        "arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},\
        "eventTime":"2026-11-22T10:01:12Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin",\
        "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"Mozilla/5.0 (X11; Linux x86_64)",\
        "requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},\
        "additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No",\
        "MFAUsed":"No"},"eventID":"3b1a5c2e-8f4d-4e6a-9c1b-2d7e5f8a9b0c","readOnly":false,\
        "eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333",\
        "eventCategory":"Management"}
        """

    /// An assumed role denied opening SSH to the world.
    static let deniedIngressRecord = """
        {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLEDEPLOY:bob",\
        "arn":"arn:aws:sts::111122223333:assumed-role/Deployer/bob","accountId":"111122223333",\
        "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/Deployer",\
        "userName":"Deployer"}}},"eventTime":"2026-11-22T10:05:00Z","eventSource":"ec2.amazonaws.com",\
        "eventName":"AuthorizeSecurityGroupIngress","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.9",\
        "userAgent":"aws-cli/2.15.30","errorCode":"Client.UnauthorizedOperation",\
        "errorMessage":"You are not authorized to perform this operation.",\
        "requestParameters":{"groupId":"sg-0123456789abcdef0","ipPermissions":{"items":[{"ipProtocol":"tcp",\
        "fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]}}]}},"responseElements":null,\
        "eventID":"9f8e7d6c-5b4a-4321-8fed-cba987654321","readOnly":false,"eventType":"AwsApiCall",\
        "managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}
        """

    static func alert(_ rule: Rule, _ record: String, file: String = "111122223333_CloudTrail_us-east-1.json.gz")
        -> Alert
    {
        Array(record.utf8).withUnsafeBytes { Alert(rule: rule, record: $0, file: file, recordIndex: 3) }
    }

    static var consoleLogin: Alert { alert(consoleLoginRule, consoleLoginRecord) }
    static var deniedIngress: Alert { alert(unauthorizedRule, deniedIngressRecord) }

    /// Text that tries everything: mentions, mrkdwn and markdown controls, a masked link, a
    /// right-to-left override, a bell, combining marks and a family emoji.
    static let nasty =
        "<!channel> @everyone @here <@&42> &<> *bold* _it_ ~s~ `c` [x](https://evil.example) "
        + "\u{202E}gnp.exe \u{7} Z\u{301}\u{302}\u{303} 👩‍👩‍👧‍👦 "

    /// A record built to break payloads: a 100,000-character error message, a 10,000-character
    /// principal ARN, 5,000 characters in every other field, mentions and markup everywhere, NUL
    /// and noncharacter escapes, an event id that makes the console link odd, an event time that
    /// is not a time, and `padding` more bytes in `requestParameters`.
    static func hostileRecord(padding: Int = 0) -> String {
        func long(_ prefix: String, _ length: Int) -> JSONValue {
            .string(prefix + String(String(repeating: nasty, count: length / nasty.count + 1).prefix(length)))
        }
        let record = JSONValue.object([
            .init(
                "userIdentity",
                .object([
                    .init("type", long("IAMUser\n", 5_000)),
                    .init("arn", long("arn:aws:iam::111122223333:user/ODDITIES", 10_000)),
                    .init("userName", long("", 5_000)),
                ])),
            .init("eventTime", long("yesterday ", 5_000)), .init("eventSource", long("ec2.amazonaws.com", 5_000)),
            .init("eventName", long("AuthorizeSecurityGroupIngress\n", 5_000)),
            .init("awsRegion", long("eu-west-1", 5_000)), .init("sourceIPAddress", long("<script>&amp;", 5_000)),
            .init("userAgent", long("", 5_000)), .init("errorCode", long("AccessDenied", 5_000)),
            .init("errorMessage", long("", 100_000)), .init("eventID", .string("x>|<!channel> \"q\" #frag#2 é")),
            .init("recipientAccountId", long("111122223333", 5_000)),
            .init("requestParameters", .object([.init("padding", .string(String(repeating: "p", count: padding)))])),
        ])
        // Escapes the scanner accepts but that look wrong: NUL, the last noncharacter (U+10FFFF
        // as a surrogate pair), a byte order mark and a right-to-left override.
        return record.compactText.replacing("ODDITIES", with: #"\u0000\udbff\udfff\ufeff\u202e"#)
    }

    /// Templates that put the longest values into the title and the extra paragraph too.
    static let hostileTemplates = try! AlertTemplates(
        title: "{{principal}} {{error_message}}", text: "{{error_message}}\n{{user_agent}}")

    static func hostile(padding: Int = 0) -> Alert { alert(unauthorizedRule, hostileRecord(padding: padding)) }

    /// 500 alerts of one rule from 3 accounts, 2 regions and 7 principals, a second apart.
    static func manyAlerts(_ count: Int = 500) -> [Alert] {
        (0..<count).map { index in
            let second = index % 60
            let minute = index / 60
            let time = "2026-11-22T11:\(minute < 10 ? "0" : "")\(minute):\(second < 10 ? "0" : "")\(second)Z"
            let record =
                consoleLoginRecord
                .replacing("2026-11-22T10:01:12Z", with: time)
                .replacing("3b1a5c2e-8f4d-4e6a-9c1b-2d7e5f8a9b0c", with: "event-\(index)")
                .replacing("user/alice", with: "user/user\(index % 7)")
                .replacing("\"111122223333\"", with: "\"11112222333\(index % 3)\"")
                .replacing("us-east-1", with: index % 2 == 0 ? "us-east-1" : "eu-west-1")
            return alert(consoleLoginRule, record)
        }
    }

    /// The rendered bytes parsed back: fails the test if they are not valid JSON.
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONValue(parsing: bytes, limits: JSONLimits(maxRecordBytes: 4 << 20))
    }

    /// The string at `value`, or nil.
    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    /// The elements of the array at `value` (empty when it is not an array).
    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let elements)? = value { return elements }
        return []
    }

    /// The member keys of the object at `value`, in order.
    static func keys(_ value: JSONValue?) -> [String] {
        if case .object(let members)? = value { return members.map(\.key) }
        return []
    }

    /// Every string anywhere in `value`.
    static func allStrings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let elements): elements.flatMap(allStrings)
        case .object(let members): members.flatMap { allStrings($0.value) }
        default: []
        }
    }

    /// Scalars, as the formats count limits.
    static func length(_ text: String?) -> Int { text?.unicodeScalars.count ?? 0 }

    /// The expected payload written as readable JSON, in the compact form the formats write
    /// (member order and text kept), so a golden test compares bytes exactly.
    static func compact(_ pretty: String) throws -> String { try JSONValue(parsing: pretty).compactText }
}
