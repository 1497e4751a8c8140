#!/usr/bin/env python3
"""Writes the sample spool used by the README's run command.

The records are hand-written for trailhound (not copied from any corpus): a short morning in one
account with a few events the CIS rules look for, among read-only noise.
"""
import gzip
import json
import os

ACCOUNT = "111122223333"
BASE = {
    "eventVersion": "1.09", "awsRegion": "us-east-1", "recipientAccountId": ACCOUNT,
    "eventType": "AwsApiCall", "managementEvent": True, "eventCategory": "Management",
    "requestParameters": None, "responseElements": None,
}


def user(name):
    return {"type": "IAMUser", "principalId": "AIDAEXAMPLE" + name.upper(), "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
            "accountId": ACCOUNT, "accessKeyId": "AKIAEXAMPLE" + name.upper(), "userName": name}


def rec(n, time, source, name, identity, **extra):
    r = dict(BASE)
    r.update({"userIdentity": identity, "eventTime": f"2026-11-22T{time}Z", "eventSource": source, "eventName": name,
              "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.15.30",
              "requestID": f"req-{n:04d}", "eventID": f"00000000-0000-4000-8000-{n:012d}", "readOnly": False})
    r.update(extra)
    return r


records = [
    rec(1, "10:00:03", "ec2.amazonaws.com", "DescribeInstances", user("alice"), readOnly=True),
    rec(2, "10:00:41", "signin.amazonaws.com", "ConsoleLogin", user("bob"), eventType="AwsConsoleSignIn",
        responseElements={"ConsoleLogin": "Success"},
        additionalEventData={"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "No"}),
    rec(3, "10:01:12", "cloudtrail.amazonaws.com", "StopLogging", user("bob"),
        requestParameters={"name": f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main"}),
    rec(4, "10:01:30", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", user("bob"),
        requestParameters={"groupId": "sg-0123456789abcdef0", "ipPermissions": {"items": [
            {"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}),
    rec(5, "10:02:05", "s3.amazonaws.com", "GetObject", user("carol"), readOnly=True,
        errorCode="AccessDenied", errorMessage="Access Denied", eventCategory="Data"),
    rec(6, "10:02:44", "iam.amazonaws.com", "CreateUser",
        {"type": "Root", "principalId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:root", "accountId": ACCOUNT},
        requestParameters={"userName": "backdoor"}),
    rec(7, "10:03:10", "kms.amazonaws.com", "Decrypt", user("alice"), readOnly=True),
    rec(8, "10:03:59", "signin.amazonaws.com", "ConsoleLogin", user("dave"), eventType="AwsConsoleSignIn",
        errorMessage="Failed authentication", responseElements={"ConsoleLogin": "Failure"},
        additionalEventData={"LoginTo": "https://console.aws.amazon.com/console/home", "MobileVersion": "No", "MFAUsed": "No"}),
]

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "spool", "AWSLogs", ACCOUNT, "CloudTrail", "us-east-1", "2026", "11", "22")
os.makedirs(out, exist_ok=True)
path = os.path.join(out, f"{ACCOUNT}_CloudTrail_us-east-1_20261122T1005Z_SampleSpool00001.json.gz")
body = json.dumps({"Records": records}, separators=(",", ":")).encode()
# As CloudTrail delivers it: gzip, no file name or time in the header, so the bytes are stable.
with open(path, "wb") as f:
    f.write(gzip.compress(body, compresslevel=9, mtime=0))
print(path)
