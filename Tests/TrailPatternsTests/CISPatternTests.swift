import Testing
import TrailJSON
import TrailPatterns

// The CIS AWS Foundations monitoring patterns of shared/docs/filter-patterns.md section 8, verbatim,
// against realistic CloudTrail records built from the fields of section 9.2.

// MARK: - Patterns, verbatim from section 8

// swift-format-ignore: AlwaysUseLowerCamelCase
// Names mirror the CIS version and section numbers (v1.4 section 4.4 is v14_4_4).
enum CISText {
    // 8.2 v1.2.0 (= Security Hub CloudWatch.1–14)
    static let v12_3_1 = #"{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}"#
    static let v12_3_2 =
        #"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#
    static let v12_3_3 =
        #"{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}"#
    static let v12_3_4 =
        "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}"
    static let v12_3_5 =
        "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}"
    static let v12_3_6 = #"{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}"#
    static let v12_3_7 =
        "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}"
    static let v12_3_8 =
        "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}"
    static let v12_3_9 =
        "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}"
    static let v12_3_10 =
        "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}"
    static let v12_3_11 =
        "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}"
    static let v12_3_12 =
        "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}"
    static let v12_3_13 =
        "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}"
    static let v12_3_14 =
        "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}"

    // 8.3 v1.3.0/v1.4.0–v3.0.0 (section 4)
    static let v14_4_1 =
        #"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }"#
    static let v14_4_2 = #"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }"#
    static let v14_4_2_sso =
        #"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#
    static let v14_4_3 =
        #"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#
    static let v14_4_4 =
        "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}"
    static let v14_4_5 =
        "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"
    static let v14_4_6 = #"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#
    static let v14_4_7 =
        "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"
    static let v14_4_8 =
        "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }"
    static let v14_4_9 =
        "{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }"
    static let v14_4_10 =
        "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }"
    static let v14_4_11 =
        "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }"
    static let v14_4_12 =
        "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }"
    static let v14_4_13 =
        "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }"
    static let v14_4_14 =
        "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }"
    static let v14_4_15 =
        #"{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }"#
    /// 8.3: the 4.13 *audit* text (v3.0.0, v4.0+): the eventSource guard binds to CreateRoute only.
    static let v30_4_13_audit =
        "{($.eventSource = ec2.amazonaws.com) && ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }"
    /// 8.3: the SSO-variant note text with its typo (`}` instead of `)`): invalid if copied literally.
    static let v14_4_2_ssoTypo =
        #"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success"}"#

    // 8.4 v4.0.0–v6.0.0
    static let v40_4_1 =
        "{ ($.errorCode =*UnauthorizedOperation) || ($.errorCode =AccessDenied*) && ($.sourceIPAddress!=delivery.logs.amazonaws.com) && ($.eventName!=HeadBucket) }"
    static let v50_4_10 =
        "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }"

    /// Every valid pattern above, by name.
    static let all: [(name: String, text: String)] = [
        ("v1.2 3.1", v12_3_1), ("v1.2 3.2", v12_3_2), ("v1.2 3.3", v12_3_3), ("v1.2 3.4", v12_3_4),
        ("v1.2 3.5", v12_3_5),
        ("v1.2 3.6", v12_3_6), ("v1.2 3.7", v12_3_7), ("v1.2 3.8", v12_3_8), ("v1.2 3.9", v12_3_9),
        ("v1.2 3.10", v12_3_10),
        ("v1.2 3.11", v12_3_11), ("v1.2 3.12", v12_3_12), ("v1.2 3.13", v12_3_13), ("v1.2 3.14", v12_3_14),
        ("v1.4 4.1", v14_4_1), ("v1.4 4.2", v14_4_2), ("v1.4 4.2 SSO", v14_4_2_sso), ("v1.4 4.3", v14_4_3),
        ("v1.4 4.4", v14_4_4),
        ("v1.4 4.5", v14_4_5), ("v1.4 4.6", v14_4_6), ("v1.4 4.7", v14_4_7), ("v1.4 4.8", v14_4_8),
        ("v1.4 4.9", v14_4_9),
        ("v1.4 4.10", v14_4_10), ("v1.4 4.11", v14_4_11), ("v1.4 4.12", v14_4_12), ("v1.4 4.13", v14_4_13),
        ("v1.4 4.14", v14_4_14), ("v1.4 4.15", v14_4_15), ("v3.0 4.13 audit", v30_4_13_audit),
        ("v4.0 4.1", v40_4_1), ("v5.0 4.10", v50_4_10),
    ]

    // Event-name lists of the single-selector patterns (for the per-name rows).
    static let iamPolicyNames = [
        "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy",
        "CreatePolicy",
        "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy", "DetachRolePolicy",
        "AttachUserPolicy",
        "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy",
    ]
    static let trailNames = ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"]
    static let kmsNames = ["DisableKey", "ScheduleKeyDeletion"]
    static let s3Names = [
        "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
        "DeleteBucketPolicy",
        "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication",
    ]
    static let configNames = [
        "StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder",
    ]
    static let securityGroupNames = [
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "CreateSecurityGroup", "DeleteSecurityGroup",
    ]
    static let naclNames = [
        "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
        "ReplaceNetworkAclEntry",
        "ReplaceNetworkAclAssociation",
    ]
    static let gatewayNames = [
        "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
        "DeleteInternetGateway",
        "DetachInternetGateway",
    ]
    static let routeNames = [
        "CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
        "DeleteRoute",
        "DisassociateRouteTable",
    ]
    static let vpcNames = [
        "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
        "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
        "DisableVpcClassicLink", "EnableVpcClassicLink",
    ]
    static let organizationsNames = [
        "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
        "DeclineHandshake",
        "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy", "DisablePolicyType",
        "EnablePolicyType",
        "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount", "RemoveAccountFromOrganization",
        "UpdatePolicy",
        "UpdateOrganizationalUnit",
    ]
}

// MARK: - CloudTrail record builders (fields of section 9.2)

/// Who made the call (`userIdentity`).
enum TrailCaller: Sendable {
    case iamUser(String)
    case root
    /// Root acting through a service (`invokedBy` present).
    case rootInvokedBy(String)
    case assumedRole(String)
    /// An AWS service acting on its own (`AwsServiceEvent`-style identity).
    case awsService(String)

    var json: JSONValue {
        let account = "123456789012"
        switch self {
        case .iamUser(let name):
            return .object([
                .init("type", .string("IAMUser")), .init("principalId", .string("AIDAJ45Q7YFFAREXAMPLE")),
                .init("arn", .string("arn:aws:iam::\(account):user/\(name)")), .init("accountId", .string(account)),
                .init("accessKeyId", .string("AKIAIOSFODNN7EXAMPLE")), .init("userName", .string(name)),
            ])
        case .root:
            return .object([
                .init("type", .string("Root")), .init("principalId", .string(account)),
                .init("arn", .string("arn:aws:iam::\(account):root")), .init("accountId", .string(account)),
                .init("accessKeyId", .string("ASIAIOSFODNN7EXAMPLE")),
                .init(
                    "sessionContext",
                    .object([
                        .init(
                            "attributes",
                            .object([
                                .init("creationDate", .string("2024-05-01T09:12:44Z")),
                                .init("mfaAuthenticated", .string("false")),
                            ]))
                    ])),
            ])
        case .rootInvokedBy(let service):
            return .object([
                .init("type", .string("Root")), .init("principalId", .string(account)),
                .init("arn", .string("arn:aws:iam::\(account):root")), .init("accountId", .string(account)),
                .init("invokedBy", .string(service)),
            ])
        case .assumedRole(let role):
            return .object([
                .init("type", .string("AssumedRole")), .init("principalId", .string("AROAEXAMPLEID:alice@example.com")),
                .init("arn", .string("arn:aws:sts::\(account):assumed-role/\(role)/alice@example.com")),
                .init("accountId", .string(account)), .init("accessKeyId", .string("ASIAEXAMPLEKEY")),
                .init(
                    "sessionContext",
                    .object([
                        .init(
                            "sessionIssuer",
                            .object([
                                .init("type", .string("Role")), .init("principalId", .string("AROAEXAMPLEID")),
                                .init("arn", .string("arn:aws:iam::\(account):role/\(role)")),
                                .init("accountId", .string(account)),
                                .init("userName", .string(role)),
                            ])),
                        .init(
                            "attributes",
                            .object([
                                .init("creationDate", .string("2024-05-01T09:00:00Z")),
                                .init("mfaAuthenticated", .string("false")),
                            ])),
                    ])),
            ])
        case .awsService(let service):
            return .object([.init("type", .string("AWSService")), .init("invokedBy", .string(service))])
        }
    }
}

/// A CloudTrail management-event record; fields left nil are omitted, as CloudTrail omits them.
struct TrailEventFixture: Sendable {
    var eventSource: String
    var eventName: String
    var caller: TrailCaller = .iamUser("alice")
    var sourceIPAddress: String = "198.51.100.7"
    var userAgent: String = "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64"
    var eventType: String = "AwsApiCall"
    var errorCode: String?
    var errorMessage: String?
    var requestParameters: JSONValue = .null
    var responseElements: JSONValue = .null
    var additionalEventData: JSONValue?
    var readOnly: Bool = false

    init(_ eventSource: String, _ eventName: String) {
        self.eventSource = eventSource
        self.eventName = eventName
    }

    /// Compact single-line JSON, as CloudTrail delivers it to CloudWatch Logs (4.1).
    var json: String {
        var members: [JSONValue.Member] = [
            .init("eventVersion", .string("1.08")),
            .init("userIdentity", caller.json),
            .init("eventTime", .string("2024-05-01T09:14:07Z")),
            .init("eventSource", .string(eventSource)),
            .init("eventName", .string(eventName)),
            .init("awsRegion", .string("us-east-1")),
            .init("sourceIPAddress", .string(sourceIPAddress)),
            .init("userAgent", .string(userAgent)),
        ]
        if let errorCode { members.append(.init("errorCode", .string(errorCode))) }
        if let errorMessage { members.append(.init("errorMessage", .string(errorMessage))) }
        members += [
            .init("requestParameters", requestParameters),
            .init("responseElements", responseElements),
        ]
        if let additionalEventData { members.append(.init("additionalEventData", additionalEventData)) }
        members += [
            .init("requestID", .string("6d0e1a4c-4a8f-4b9e-9d0a-3c2b1a0f9e8d")),
            .init("eventID", .string("0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")),
            .init("readOnly", .bool(readOnly)),
            .init("eventType", .string(eventType)),
            .init("managementEvent", .bool(true)),
            .init("recipientAccountId", .string("123456789012")),
            .init("eventCategory", .string("Management")),
        ]
        return JSONValue.object(members).compactText
    }
}

/// A plain API call by an IAM user.
private func apiCall(_ source: String, _ name: String, configure: (inout TrailEventFixture) -> Void = { _ in })
    -> String
{
    var event = TrailEventFixture(source, name)
    configure(&event)
    return event.json
}

/// A console sign-in record (9.2): `requestParameters` null, `ConsoleLogin` Success/Failure,
/// `additionalEventData.MFAUsed` Yes/No (or absent), `errorMessage` on failure.
private func consoleLogin(success: Bool, mfaUsed: String?, caller: TrailCaller = .iamUser("alice")) -> String {
    var event = TrailEventFixture("signin.amazonaws.com", "ConsoleLogin")
    event.caller = caller
    event.eventType = "AwsConsoleSignIn"
    event.userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
    event.responseElements = .object([.init("ConsoleLogin", .string(success ? "Success" : "Failure"))])
    var additional: [JSONValue.Member] = [
        .init("LoginTo", .string("https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true")),
        .init("MobileVersion", .string("No")),
    ]
    if let mfaUsed { additional.append(.init("MFAUsed", .string(mfaUsed))) }
    event.additionalEventData = .object(additional)
    if !success { event.errorMessage = "Failed authentication" }
    return event.json
}

/// An Insights record (9.1): no eventSource, eventName, userIdentity or sourceIPAddress at top level.
private let insightRecord = JSONValue.object([
    .init("eventVersion", .string("1.08")), .init("eventTime", .string("2024-05-01T09:14:00Z")),
    .init("awsRegion", .string("us-east-1")), .init("eventID", .string("ab12cd34-0000-4e5f-8a9b-111122223333")),
    .init("eventType", .string("AwsCloudTrailInsight")), .init("recipientAccountId", .string("123456789012")),
    .init("sharedEventID", .string("12345678-1234-1234-1234-123456789012")),
    .init(
        "insightDetails",
        .object([
            .init("state", .string("Start")), .init("eventSource", .string("ec2.amazonaws.com")),
            .init("eventName", .string("RunInstances")), .init("insightType", .string("ApiCallRateInsight")),
        ])),
    .init("eventCategory", .string("Insight")),
]).compactText

// MARK: - Table

struct CISCase: Sendable, CustomTestStringConvertible {
    var control: String
    var pattern: String
    var record: String
    var expected: Bool
    var scenario: String

    var testDescription: String { "\(control): \(scenario) → \(expected ? "match" : "no match")" }
}

private func rows(_ control: String, _ pattern: String, _ list: [(String, String, Bool)]) -> [CISCase] {
    list.map { CISCase(control: control, pattern: pattern, record: $0.1, expected: $0.2, scenario: $0.0) }
}

/// One positive row per event name of a name-list pattern, from `source`.
private func perName(_ control: String, _ pattern: String, _ source: String, _ names: [String]) -> [CISCase] {
    names.map {
        CISCase(
            control: control, pattern: pattern, record: apiCall(source, $0), expected: true,
            scenario: "\($0) from \(source)")
    }
}

private let ec2 = "ec2.amazonaws.com"
private let iam = "iam.amazonaws.com"

private func cisCases() -> [CISCase] {
    var all: [CISCase] = []

    // MARK: 3.1 / 4.1 unauthorized API calls
    let unauthorizedCommon: [(String, String, Bool)] = [
        (
            "EC2 Client.UnauthorizedOperation (*UnauthorizedOperation suffix)",
            apiCall(ec2, "RunInstances") {
                $0.errorCode = "Client.UnauthorizedOperation";
                $0.errorMessage = "You are not authorized to perform this operation."
            }, true
        ),
        (
            "exact UnauthorizedOperation (zero-length *)",
            apiCall(ec2, "TerminateInstances") { $0.errorCode = "UnauthorizedOperation" }, true
        ),
        (
            "S3 exact AccessDenied (AccessDenied* matches zero characters)",
            apiCall("s3.amazonaws.com", "GetObject") {
                $0.errorCode = "AccessDenied"; $0.errorMessage = "Access Denied"; $0.readOnly = true
            }, true
        ),
        ("IAM AccessDeniedException", apiCall(iam, "CreateUser") { $0.errorCode = "AccessDeniedException" }, true),
    ]
    all += rows(
        "v1.2 3.1", CISText.v12_3_1,
        unauthorizedCommon + [
            ("successful DescribeInstances", apiCall(ec2, "DescribeInstances") { $0.readOnly = true }, false),
            ("ThrottlingException", apiCall(ec2, "DescribeInstances") { $0.errorCode = "ThrottlingException" }, false),
            (
                "lower-case accessdenied", apiCall("s3.amazonaws.com", "GetObject") { $0.errorCode = "accessdenied" },
                false
            ),
            (
                "Client.UnauthorizedOperationX (suffix must end the value)",
                apiCall(ec2, "RunInstances") { $0.errorCode = "Client.UnauthorizedOperationX" }, false
            ),
            (
                "XAccessDenied (prefix must start the value)",
                apiCall(ec2, "RunInstances") { $0.errorCode = "XAccessDenied" }, false
            ),
        ])
    // 8.3 erratum: the OR-ed `!=` exclusions make 4.1 (v1.4–v3.0) match almost any event.
    all += rows(
        "v1.4 4.1 (erratum)", CISText.v14_4_1,
        unauthorizedCommon + [
            (
                "ERRATUM: plain successful DescribeInstances from a normal IP",
                apiCall(ec2, "DescribeInstances") { $0.readOnly = true }, true
            ),
            (
                "ERRATUM: HeadBucket from a normal IP (sourceIPAddress != delivery.logs)",
                apiCall("s3.amazonaws.com", "HeadBucket") { $0.readOnly = true }, true
            ),
            (
                "ERRATUM: GetBucketAcl from delivery.logs.amazonaws.com (eventName != HeadBucket)",
                apiCall("s3.amazonaws.com", "GetBucketAcl") {
                    $0.sourceIPAddress = "delivery.logs.amazonaws.com";
                    $0.caller = .awsService("delivery.logs.amazonaws.com")
                }, true
            ),
            (
                "HeadBucket from delivery.logs.amazonaws.com without error: both exclusions false",
                apiCall("s3.amazonaws.com", "HeadBucket") {
                    $0.sourceIPAddress = "delivery.logs.amazonaws.com";
                    $0.caller = .awsService("delivery.logs.amazonaws.com")
                }, false
            ),
            ("Insights record: every field absent, and != is false for absent fields", insightRecord, false),
        ])
    // 8.4: v4.0+ 4.1 — `A || B && C && D`: the exclusions bind only to AccessDenied*.
    all += rows(
        "v4.0 4.1", CISText.v40_4_1,
        unauthorizedCommon + [
            (
                "Client.UnauthorizedOperation from delivery.logs on HeadBucket still matches (exclusions do not bind to it)",
                apiCall("s3.amazonaws.com", "HeadBucket") {
                    $0.errorCode = "Client.UnauthorizedOperation"; $0.sourceIPAddress = "delivery.logs.amazonaws.com"
                }, true
            ),
            (
                "AccessDenied from delivery.logs.amazonaws.com is excluded",
                apiCall("s3.amazonaws.com", "GetBucketAcl") {
                    $0.errorCode = "AccessDenied"; $0.sourceIPAddress = "delivery.logs.amazonaws.com"
                }, false
            ),
            (
                "AccessDenied on HeadBucket is excluded",
                apiCall("s3.amazonaws.com", "HeadBucket") { $0.errorCode = "AccessDenied" }, false
            ),
            (
                "plain successful DescribeInstances (the erratum is fixed)",
                apiCall(ec2, "DescribeInstances") { $0.readOnly = true }, false
            ),
            ("HeadBucket from a normal IP without error", apiCall("s3.amazonaws.com", "HeadBucket"), false),
        ])

    // MARK: 3.2 / 4.2 console sign-in without MFA
    let ssoVariant: [(String, String, Bool)] = [
        ("IAM user, success, MFAUsed No", consoleLogin(success: true, mfaUsed: "No"), true),
        ("IAM user, success, MFAUsed Yes", consoleLogin(success: true, mfaUsed: "Yes"), false),
        (
            "IAM user, success, MFAUsed absent: != is false for an absent field (4.3)",
            consoleLogin(success: true, mfaUsed: nil), false
        ),
        ("IAM user, failure, MFAUsed No", consoleLogin(success: false, mfaUsed: "No"), false),
        (
            "SSO (AssumedRole) success, MFAUsed No",
            consoleLogin(success: true, mfaUsed: "No", caller: .assumedRole("AWSReservedSSO_Admin_0123456789abcdef")),
            false
        ),
        ("root success, MFAUsed No", consoleLogin(success: true, mfaUsed: "No", caller: .root), false),
        ("MFAUsed lower-case yes is not Yes", consoleLogin(success: true, mfaUsed: "yes"), true),
        (
            "other event with MFAUsed No",
            apiCall("signin.amazonaws.com", "CheckMfa") {
                $0.additionalEventData = .object([.init("MFAUsed", .string("No"))])
                $0.responseElements = .object([.init("ConsoleLogin", .string("Success"))])
            }, false
        ),
    ]
    all += rows("v1.2 3.2", CISText.v12_3_2, ssoVariant)
    all += rows("v1.4 4.2 SSO", CISText.v14_4_2_sso, ssoVariant)
    all += rows(
        "v1.4 4.2", CISText.v14_4_2,
        [
            ("IAM user, success, MFAUsed No", consoleLogin(success: true, mfaUsed: "No"), true),
            (
                "IAM user, failure, MFAUsed No (2-clause form ignores the outcome)",
                consoleLogin(success: false, mfaUsed: "No"), true
            ),
            (
                "SSO (AssumedRole), MFAUsed No (2-clause form ignores the identity)",
                consoleLogin(
                    success: true, mfaUsed: "No", caller: .assumedRole("AWSReservedSSO_Admin_0123456789abcdef")), true
            ),
            ("MFAUsed Yes", consoleLogin(success: true, mfaUsed: "Yes"), false),
            ("MFAUsed absent: != is false for an absent field (4.3)", consoleLogin(success: true, mfaUsed: nil), false),
            (
                "not a ConsoleLogin",
                apiCall(ec2, "DescribeInstances") {
                    $0.additionalEventData = .object([.init("MFAUsed", .string("No"))])
                }, false
            ),
        ])

    // MARK: 3.3 / 4.3 root account usage
    let rootUsage: [(String, String, Bool)] = [
        ("root API call", apiCall(iam, "CreateAccessKey") { $0.caller = .root }, true),
        ("root console sign-in", consoleLogin(success: true, mfaUsed: "Yes", caller: .root), true),
        (
            "root with invokedBy present (service acting for root)",
            apiCall("s3.amazonaws.com", "PutObject") { $0.caller = .rootInvokedBy("support.amazonaws.com") }, false
        ),
        (
            "root identity on an AwsServiceEvent",
            apiCall(ec2, "ScheduledMaintenance") {
                $0.caller = .root; $0.eventType = "AwsServiceEvent"
            }, false
        ),
        ("IAM user API call", apiCall(iam, "CreateAccessKey"), false),
        ("assumed role API call", apiCall(iam, "CreateAccessKey") { $0.caller = .assumedRole("Admin") }, false),
    ]
    all += rows("v1.2 3.3", CISText.v12_3_3, rootUsage)
    all += rows("v1.4 4.3", CISText.v14_4_3, rootUsage)

    // MARK: 3.4 / 4.4 IAM policy changes
    for (control, pattern) in [("v1.2 3.4", CISText.v12_3_4), ("v1.4 4.4", CISText.v14_4_4)] {
        all += perName(control, pattern, iam, CISText.iamPolicyNames)
        all += rows(
            control, pattern,
            [
                ("ListPolicies (read-only)", apiCall(iam, "ListPolicies") { $0.readOnly = true }, false),
                ("GetPolicyVersion", apiCall(iam, "GetPolicyVersion") { $0.readOnly = true }, false),
                ("lower-case deletegrouppolicy", apiCall(iam, "deletegrouppolicy"), false),
                ("CreatePolicyVersions (extra suffix)", apiCall(iam, "CreatePolicyVersions"), false),
            ])
    }

    // MARK: 3.5 / 4.5 CloudTrail configuration changes
    for (control, pattern) in [("v1.2 3.5", CISText.v12_3_5), ("v1.4 4.5", CISText.v14_4_5)] {
        all += perName(control, pattern, "cloudtrail.amazonaws.com", CISText.trailNames)
        all += rows(
            control, pattern,
            [
                ("DescribeTrails", apiCall("cloudtrail.amazonaws.com", "DescribeTrails") { $0.readOnly = true }, false),
                ("GetTrailStatus", apiCall("cloudtrail.amazonaws.com", "GetTrailStatus") { $0.readOnly = true }, false),
            ])
    }

    // MARK: 3.6 / 4.6 console authentication failures
    for (control, pattern) in [("v1.2 3.6", CISText.v12_3_6), ("v1.4 4.6", CISText.v14_4_6)] {
        all += rows(
            control, pattern,
            [
                ("IAM user sign-in failure", consoleLogin(success: false, mfaUsed: "No"), true),
                ("root sign-in failure", consoleLogin(success: false, mfaUsed: "No", caller: .root), true),
                ("sign-in success", consoleLogin(success: true, mfaUsed: "No"), false),
                (
                    "other event with the same errorMessage",
                    apiCall("signin.amazonaws.com", "CheckMfa") { $0.errorMessage = "Failed authentication" }, false
                ),
                (
                    "ConsoleLogin with a different errorMessage",
                    apiCall("signin.amazonaws.com", "ConsoleLogin") {
                        $0.errorMessage = "No username found in supplied account"
                    }, false
                ),
                (
                    "errorMessage differs in case",
                    apiCall("signin.amazonaws.com", "ConsoleLogin") { $0.errorMessage = "failed authentication" }, false
                ),
            ])
    }

    // MARK: 3.7 / 4.7 CMK disable or scheduled deletion
    for (control, pattern) in [("v1.2 3.7", CISText.v12_3_7), ("v1.4 4.7", CISText.v14_4_7)] {
        all += perName(control, pattern, "kms.amazonaws.com", CISText.kmsNames)
        all += rows(
            control, pattern,
            [
                ("EnableKey", apiCall("kms.amazonaws.com", "EnableKey"), false),
                ("CancelKeyDeletion", apiCall("kms.amazonaws.com", "CancelKeyDeletion"), false),
                (
                    "DisableKey name from another service", apiCall("payment-cryptography.amazonaws.com", "DisableKey"),
                    false
                ),
            ])
    }

    // MARK: 3.8 / 4.8 S3 bucket policy changes
    for (control, pattern) in [("v1.2 3.8", CISText.v12_3_8), ("v1.4 4.8", CISText.v14_4_8)] {
        all += perName(control, pattern, "s3.amazonaws.com", CISText.s3Names)
        all += rows(
            control, pattern,
            [
                ("GetBucketAcl", apiCall("s3.amazonaws.com", "GetBucketAcl") { $0.readOnly = true }, false),
                (
                    "PutBucketPolicy on S3 Outposts (different eventSource)",
                    apiCall("s3-outposts.amazonaws.com", "PutBucketPolicy"), false
                ),
                ("PutObject", apiCall("s3.amazonaws.com", "PutObject"), false),
            ])
    }

    // MARK: 3.9 / 4.9 AWS Config changes
    for (control, pattern) in [("v1.2 3.9", CISText.v12_3_9), ("v1.4 4.9", CISText.v14_4_9)] {
        all += perName(control, pattern, "config.amazonaws.com", CISText.configNames)
        all += rows(
            control, pattern,
            [
                ("StartConfigurationRecorder", apiCall("config.amazonaws.com", "StartConfigurationRecorder"), false),
                (
                    "DescribeConfigurationRecorders",
                    apiCall("config.amazonaws.com", "DescribeConfigurationRecorders") { $0.readOnly = true }, false
                ),
                (
                    "PutDeliveryChannel name from another eventSource",
                    apiCall("configservice.amazonaws.com", "PutDeliveryChannel"), false
                ),
            ])
    }

    // MARK: 3.10 / 4.10 security group changes (+ ModifySecurityGroupRules from v5.0)
    for (control, pattern) in [("v1.2 3.10", CISText.v12_3_10), ("v1.4 4.10", CISText.v14_4_10)] {
        all += perName(control, pattern, ec2, CISText.securityGroupNames)
        all += rows(
            control, pattern,
            [
                ("DescribeSecurityGroups", apiCall(ec2, "DescribeSecurityGroups") { $0.readOnly = true }, false),
                ("ModifySecurityGroupRules is not in this version", apiCall(ec2, "ModifySecurityGroupRules"), false),
            ])
    }
    all += perName("v5.0 4.10", CISText.v50_4_10, ec2, CISText.securityGroupNames + ["ModifySecurityGroupRules"])
    all += rows(
        "v5.0 4.10", CISText.v50_4_10,
        [
            ("DescribeSecurityGroupRules", apiCall(ec2, "DescribeSecurityGroupRules") { $0.readOnly = true }, false)
        ])

    // MARK: 3.11 / 4.11 NACL changes
    for (control, pattern) in [("v1.2 3.11", CISText.v12_3_11), ("v1.4 4.11", CISText.v14_4_11)] {
        all += perName(control, pattern, ec2, CISText.naclNames)
        all += rows(
            control, pattern,
            [
                ("DescribeNetworkAcls", apiCall(ec2, "DescribeNetworkAcls") { $0.readOnly = true }, false)
            ])
    }

    // MARK: 3.12 / 4.12 network gateway changes
    for (control, pattern) in [("v1.2 3.12", CISText.v12_3_12), ("v1.4 4.12", CISText.v14_4_12)] {
        all += perName(control, pattern, ec2, CISText.gatewayNames)
        all += rows(
            control, pattern,
            [
                ("CreateVpnGateway is not listed", apiCall(ec2, "CreateVpnGateway"), false),
                ("DescribeInternetGateways", apiCall(ec2, "DescribeInternetGateways") { $0.readOnly = true }, false),
            ])
    }

    // MARK: 3.13 / 4.13 route table changes
    for (control, pattern) in [("v1.2 3.13", CISText.v12_3_13), ("v1.4 4.13", CISText.v14_4_13)] {
        all += perName(control, pattern, ec2, CISText.routeNames)
        all += rows(
            control, pattern,
            [
                ("DescribeRouteTables", apiCall(ec2, "DescribeRouteTables") { $0.readOnly = true }, false),
                (
                    "CreateRoute from a non-ec2 eventSource (remediation form has no guard)",
                    apiCall("networkmanager.amazonaws.com", "CreateRoute"), true
                ),
            ])
    }
    // 8.3: the 4.13 audit form and its precedence trap (`&&` > `||`).
    all += perName("v3.0 4.13 audit", CISText.v30_4_13_audit, ec2, CISText.routeNames)
    all += rows(
        "v3.0 4.13 audit", CISText.v30_4_13_audit,
        [
            (
                "TRAP: CreateRouteTable from a non-ec2 eventSource still matches",
                apiCall("networkmanager.amazonaws.com", "CreateRouteTable"), true
            ),
            (
                "TRAP: DeleteRoute from a non-ec2 eventSource still matches",
                apiCall("networkmanager.amazonaws.com", "DeleteRoute"), true
            ),
            (
                "CreateRoute from a non-ec2 eventSource does not (the guard binds to it alone)",
                apiCall("networkmanager.amazonaws.com", "CreateRoute"), false
            ),
            ("DescribeRouteTables", apiCall(ec2, "DescribeRouteTables") { $0.readOnly = true }, false),
        ])

    // MARK: 3.14 / 4.14 VPC changes
    for (control, pattern) in [("v1.2 3.14", CISText.v12_3_14), ("v1.4 4.14", CISText.v14_4_14)] {
        all += perName(control, pattern, ec2, CISText.vpcNames)
        all += rows(
            control, pattern,
            [
                ("DescribeVpcs", apiCall(ec2, "DescribeVpcs") { $0.readOnly = true }, false),
                ("ModifyVpcEndpoint is not listed", apiCall(ec2, "ModifyVpcEndpoint"), false),
            ])
    }

    // MARK: 4.15 AWS Organizations changes
    all += perName("v1.4 4.15", CISText.v14_4_15, "organizations.amazonaws.com", CISText.organizationsNames)
    all += rows(
        "v1.4 4.15", CISText.v14_4_15,
        [
            ("IAM CreatePolicy (same name, other eventSource)", apiCall(iam, "CreatePolicy"), false),
            (
                "DescribeOrganization",
                apiCall("organizations.amazonaws.com", "DescribeOrganization") { $0.readOnly = true }, false
            ),
            ("ListAccounts", apiCall("organizations.amazonaws.com", "ListAccounts") { $0.readOnly = true }, false),
        ])
    return all
}

@Suite("CIS monitoring patterns (spec section 8)")
struct CISPatternTests {
    static let cases = cisCases()

    private static func evaluate(_ pattern: String, _ record: String) throws -> Bool {
        let matcher = PatternMatcher(try FilterPattern.parse(pattern))
        var context = matcher.makeContext()
        return try Array(record.utf8).withUnsafeBytes { try matcher.matches($0, in: &context) }
    }

    @Test("CIS pattern against a CloudTrail record", arguments: cases)
    func cisPattern(_ row: CISCase) throws {
        #expect(try Self.evaluate(row.pattern, row.record) == row.expected)
    }

    @Test("every CIS pattern has positive and negative rows")
    func tableCoversEveryPattern() {
        for (name, text) in CISText.all {
            let mine = Self.cases.filter { $0.pattern == text }
            #expect(mine.contains { $0.expected }, "\(name) has no positive row")
            #expect(mine.contains { !$0.expected }, "\(name) has no negative row")
        }
    }

    @Test(
        "every CIS pattern parses without warnings and round-trips through its canonical form", arguments: CISText.all)
    func parsesCleanly(_ name: String, _ text: String) throws {
        let pattern = try FilterPattern.parse(text)
        #expect(pattern.isJSON)
        #expect(pattern.warnings.isEmpty)
        #expect(try FilterPattern.parse(pattern.description) == pattern)
    }

    @Test("all CIS patterns evaluated together agree with each evaluated alone")
    func sharedMatcherAgrees() throws {
        let patterns = try CISText.all.map { try FilterPattern.parse($0.text) }
        let matcher = PatternMatcher(patterns)
        var context = matcher.makeContext()
        for row in Self.cases {
            try Array(row.record.utf8).withUnsafeBytes { _ = try matcher.evaluate($0, in: &context) }
            let index = try #require(CISText.all.firstIndex { $0.text == row.pattern })
            #expect(context.results[index] == row.expected, "\(row.testDescription)")
        }
    }

    // MARK: structure of the tricky ones

    @Test("8.3 4.13 audit form parses as (source && CreateRoute) || CreateRouteTable || …")
    func auditPrecedence() throws {
        let pattern = try FilterPattern.parse(CISText.v30_4_13_audit)
        guard case .json(.or(let operands)) = pattern.body else {
            Issue.record("4.13 audit is not an OR: \(pattern.body)")
            return
        }
        #expect(operands.count == 7)
        let source = JSONPath([.key("eventSource")])
        let name = JSONPath([.key("eventName")])
        #expect(
            operands.first
                == .and([
                    .predicate(Predicate(source, .compare(.equal, .string(StringLiteral("ec2.amazonaws.com"))))),
                    .predicate(Predicate(name, .compare(.equal, .string(StringLiteral("CreateRoute"))))),
                ]))
        #expect(
            operands.dropFirst().map { $0 }
                == CISText.routeNames.dropFirst().map {
                    PatternExpression.predicate(Predicate(name, .compare(.equal, .string(StringLiteral($0)))))
                })
    }

    @Test("8.4 v4.0 4.1 parses as *UnauthorizedOperation || (AccessDenied* && source != … && name != …)")
    func v40UnauthorizedPrecedence() throws {
        let pattern = try FilterPattern.parse(CISText.v40_4_1)
        let errorCode = JSONPath([.key("errorCode")])
        let expected = PatternExpression.or([
            .predicate(Predicate(errorCode, .compare(.equal, .string(StringLiteral("*UnauthorizedOperation"))))),
            .and([
                .predicate(Predicate(errorCode, .compare(.equal, .string(StringLiteral("AccessDenied*"))))),
                .predicate(
                    Predicate(
                        JSONPath([.key("sourceIPAddress")]),
                        .compare(.notEqual, .string(StringLiteral("delivery.logs.amazonaws.com"))))),
                .predicate(
                    Predicate(JSONPath([.key("eventName")]), .compare(.notEqual, .string(StringLiteral("HeadBucket"))))),
            ]),
        ])
        #expect(pattern.body == .json(expected))
    }

    @Test("8.3 the SSO-variant typo `… = \"Success\"}` is a parse error")
    func ssoTypoIsInvalid() {
        let text = CISText.v14_4_2_ssoTypo
        let error = #expect(throws: PatternError.self) { try FilterPattern.parse(text) }
        #expect(error?.diagnostic.kind == .unbalancedParenthesis)
        // It points at the `(` that `}` leaves open: the one before `$.responseElements`.
        let open = text.utf8.count - #"($.responseElements.ConsoleLogin = "Success"}"#.utf8.count
        #expect(error?.diagnostic.range == open..<(open + 1))
    }

    // MARK: PatternRequirement (prefilter index)

    @Test("3.4 requires $.eventName to be one of its 16 names")
    func requirementIAMPolicy() throws {
        let requirement = try #require(PatternRequirement(for: try FilterPattern.parse(CISText.v12_3_4)))
        #expect(requirement.selector == JSONPath([.key("eventName")]))
        #expect(requirement.values == Set(CISText.iamPolicyNames.map { Array($0.utf8) }))
        #expect(requirement.values.count == 16)
        #expect(try PatternRequirement(for: FilterPattern.parse(CISText.v14_4_4)) == requirement)
    }

    @Test("3.5 requires $.eventName to be one of its 5 names")
    func requirementTrail() throws {
        let requirement = try #require(PatternRequirement(for: try FilterPattern.parse(CISText.v12_3_5)))
        #expect(
            requirement == PatternRequirement(selector: JSONPath([.key("eventName")]), values: Set(CISText.trailNames)))
    }

    @Test("3.7 requires the smaller of its two conjuncts: $.eventSource = kms.amazonaws.com (1 value < 2 names)")
    func requirementKMS() throws {
        let requirement = try #require(PatternRequirement(for: try FilterPattern.parse(CISText.v12_3_7)))
        #expect(
            requirement == PatternRequirement(selector: JSONPath([.key("eventSource")]), values: ["kms.amazonaws.com"]))
        #expect(try PatternRequirement(for: FilterPattern.parse(CISText.v14_4_7)) == requirement)
    }

    @Test("4.15 requires $.eventSource = organizations.amazonaws.com (1 value < 18 names)")
    func requirementOrganizations() throws {
        let requirement = try #require(PatternRequirement(for: try FilterPattern.parse(CISText.v14_4_15)))
        #expect(
            requirement
                == PatternRequirement(
                    selector: JSONPath([.key("eventSource")]), values: ["organizations.amazonaws.com"]))
    }

    @Test("3.3 requires $.userIdentity.type = Root")
    func requirementRoot() throws {
        let requirement = try #require(PatternRequirement(for: try FilterPattern.parse(CISText.v12_3_3)))
        #expect(
            requirement
                == PatternRequirement(selector: JSONPath([.key("userIdentity"), .key("type")]), values: ["Root"]))
    }

    @Test("the 4.13 audit form still requires $.eventName: the && group and the || chain share it")
    func auditRequirement() throws {
        let requirement = try #require(PatternRequirement(for: try FilterPattern.parse(CISText.v30_4_13_audit)))
        #expect(
            requirement == PatternRequirement(selector: JSONPath([.key("eventName")]), values: Set(CISText.routeNames)))
    }

    @Test("patterns with wildcards or an unguarded != give no requirement")
    func noRequirement() throws {
        #expect(try PatternRequirement(for: FilterPattern.parse(CISText.v12_3_1)) == nil)  // wildcards only
        #expect(try PatternRequirement(for: FilterPattern.parse(CISText.v14_4_1)) == nil)  // erratum: OR of !=
        #expect(try PatternRequirement(for: FilterPattern.parse(CISText.v40_4_1)) == nil)
    }

    /// A requirement must hold for every record the pattern matches, or the prefilter would drop
    /// matches. Checked on every positive row of the CIS table.
    @Test("every requirement holds on every record its pattern matches")
    func requirementsAreSound() throws {
        for row in Self.cases where row.expected {
            guard let requirement = try PatternRequirement(for: FilterPattern.parse(row.pattern)) else { continue }
            var node: JSONValue? = try JSONValue(parsing: row.record)
            for step in requirement.selector.steps {
                guard case .key(let key) = step else {
                    Issue.record("unexpected non-key step in \(requirement.selector)")
                    node = nil
                    break
                }
                node = node?[key]
            }
            guard case .string(let value)? = node else {
                Issue.record("\(row.testDescription): \(requirement.selector) is not a string in the record")
                continue
            }
            #expect(
                requirement.values.contains(Array(value.utf8)),
                "\(row.testDescription): \(value) not in \(requirement.values)")
        }
    }
}
