#!/usr/bin/env python3
"""Rebuilds the event catalogue that `trailhound check` lints rule patterns against (issue 18).

The catalogue lists every (eventSource, eventName) pair CloudTrail is known to log, one per
line, sorted, as TSV: `eventSource<TAB>eventName<TAB>origin`. It is built from public facts only:

* botocore's service models (Apache-2.0, https://github.com/boto/botocore), at the pinned
  BOTOCORE_VERSION: every operation of every service, under the eventSource CloudTrail logs that
  service with (`event_source()`: the model's signingName, or its endpointPrefix, plus
  `.amazonaws.com`, with the exceptions in SOURCE_OVERRIDES). Origin `a`.
* Real CloudTrail records in the shared corpus (../shared/corpus, see its SOURCES.md): the
  invictus-ir data set, the Stratus Red Team detonation logs, TrailDiscover's log examples, the
  OTRF data set and fivexl's test events; TrailDiscover's event catalogue (CC BY 4.0, Adan
  Alvarez, https://github.com/adanalvarez/TrailDiscover); and Panther's rule tests (Apache-2.0),
  whose records are hand-edited fixtures. A pair that only these two curated sources show is
  kept only when botocore does not contradict it (`contradiction()`). These add what is not an API operation
  (signin's ConsoleLogin, AwsServiceEvent names such as SharedSnapshotVolumeCreated), console
  and agent endpoints (sso-directory, ssmmessages) and names CloudTrail spells differently from
  the API. Origin `r`.
* Lambda: CloudTrail logs Lambda's older operations with the API version of their REST path,
  `UpdateFunctionCode20150331v2`, `PublishLayerVersion20181031`. Such an operation is listed as
  its name plus the date in its botocore `requestUri` (`/2015-03-31/...` gives `20150331`),
  origin `d`, and not under its bare name (CloudTrail does not log that); `trailhound check`
  accepts a `d` name followed by an optional `v<digits>`, the revision CloudTrail sometimes
  appends. Newer operations are logged bare (see LAMBDA_SUFFIXED_BEFORE), and so is Invoke.
* CloudFront: the botocore model already names its operations as CloudTrail logs them
  (`CreateFunction2020_05_31`), in each operation's `name`; that name is the one listed.
* RENAMES: API operations that CloudTrail logs under another name, each backed by a record in
  the corpus; the CloudTrail name replaces the API name.

It writes the TSV (Sources/TrailLint/Data/event-catalogue.tsv, the reviewable form) and the
Swift source that compiles it into the binary (Sources/TrailLint/EventCatalogueData.swift: the
TSV zlib-compressed, base64 in a string literal; see EventCatalogue+Embedded.swift for why).

Usage:
  scripts/build-event-catalogue.py [--corpus DIR] [--botocore-wheel FILE] [--check]

Without --botocore-wheel, `pip download botocore==BOTOCORE_VERSION --no-deps` fetches the wheel
into a temporary directory (PyPI). The corpus defaults to ../shared/corpus beside the checkout.
--check rebuilds in memory and exits 1 if a committed file differs. The counts, and the pairs
from curated sources that botocore contradicts (dropped), go to stderr.
"""
import argparse
import base64
import collections
import glob
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
import zlib

BOTOCORE_VERSION = "1.44.5"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_OUTPUT = os.path.join(REPO, "Sources", "TrailLint", "Data", "event-catalogue.tsv")
# The catalogue compiled into the binary: the TSV, zlib-compressed, base64 in a string literal.
DEFAULT_SWIFT = os.path.join(REPO, "Sources", "TrailLint", "EventCatalogueData.swift")
DEFAULT_CORPUS = os.path.join(REPO, "..", "shared", "corpus")

# botocore service (its data directory name) -> the eventSource CloudTrail logs it with, where
# the signingName rule gets it wrong. Evidence is a record in the corpus where there is one.
SOURCE_OVERRIDES = {
    # AWS Marketplace services sign as `aws-marketplace` but log under their endpoint prefix:
    # TrailDiscover's GetListingView record has eventSource discovery-marketplace.amazonaws.com.
    "marketplace-agreement": "agreement-marketplace.amazonaws.com",
    "marketplace-catalog": "catalog.marketplace.amazonaws.com",
    "marketplace-deployment": "deployment-marketplace.amazonaws.com",
    "marketplace-discovery": "discovery-marketplace.amazonaws.com",
    "marketplace-entitlement": "entitlement.marketplace.amazonaws.com",
    "marketplace-reporting": "reporting-marketplace.amazonaws.com",
    "meteringmarketplace": "metering.marketplace.amazonaws.com",
    # IAM Identity Center: the portal (signing name awsssoportal) and OIDC (sso-oauth) log under
    # sso.amazonaws.com, like sso-admin (endpoint prefix sso); Panther's CreateToken test and
    # TrailDiscover's CreateAccountAssignment record use sso.amazonaws.com.
    "sso": "sso.amazonaws.com",
    "sso-oidc": "sso.amazonaws.com",
    # Signs as servicecatalog, but invictus' and TrailDiscover's ListApplications records have
    # eventSource servicecatalog-appregistry.amazonaws.com.
    "servicecatalog-appregistry": "servicecatalog-appregistry.amazonaws.com",
    # Signs as execute-api (API Gateway), which is not where Amazon Connect's events go.
    "connectparticipant": "connect.amazonaws.com",
    # The signing name `IoTSecuredTunneling` is not a host name; secure tunneling is part of IoT.
    "iotsecuretunneling": "iot.amazonaws.com",
}

# Services whose eventSource is their signingName (the default) and that the corpus confirms,
# for the record: bedrock-runtime/bedrock-agent -> bedrock (Stratus InvokeModel, TrailDiscover
# ListAgents), api.ecr -> ecr, api.sagemaker -> sagemaker (TrailDiscover ListModels),
# email (ses, sesv2) -> ses (TrailDiscover CreateEmailIdentity), streams.dynamodb -> dynamodb,
# s3-control -> s3 (invictus ListAccessPoints, GetStorageLensConfiguration). monitoring (CloudWatch),
# es (OpenSearch), elasticloadbalancing (elb, elbv2) and rds (docdb, neptune) need no exception.

# (eventSource, API operation) -> the eventName CloudTrail logs instead; the API name is dropped.
RENAMES = {
    # invictus: GetBucketPublicAccessBlock (bucket) and GetAccountPublicAccessBlock (s3control);
    # Panther: Put/DeleteBucketPublicAccessBlock.
    ("s3.amazonaws.com", "GetPublicAccessBlock"): ["GetBucketPublicAccessBlock", "GetAccountPublicAccessBlock"],
    ("s3.amazonaws.com", "PutPublicAccessBlock"): ["PutBucketPublicAccessBlock", "PutAccountPublicAccessBlock"],
    ("s3.amazonaws.com", "DeletePublicAccessBlock"): ["DeleteBucketPublicAccessBlock", "DeleteAccountPublicAccessBlock"],
    # invictus and TrailDiscover: GetBucketObjectLockConfiguration.
    ("s3.amazonaws.com", "GetObjectLockConfiguration"): ["GetBucketObjectLockConfiguration"],
    ("s3.amazonaws.com", "PutObjectLockConfiguration"): ["PutBucketObjectLockConfiguration"],
    # invictus and TrailDiscover: GetAccelerateConfiguration.
    ("s3.amazonaws.com", "GetBucketAccelerateConfiguration"): ["GetAccelerateConfiguration"],
    ("s3.amazonaws.com", "PutBucketAccelerateConfiguration"): ["PutAccelerateConfiguration"],
}

# Lambda operations CloudTrail logs under their bare name: Invoke is a data event named Invoke.
LAMBDA_BARE = {"Invoke"}
# Lambda's older operations are logged with their path's API version, newer ones bare: records
# show 2015-03-31 operations suffixed (UpdateFunctionCode20150331v2, invictus, Stratus, ...) and
# 2020-06-30 and 2021-10-31 ones bare (GetFunctionCodeSigningConfig in invictus,
# CreateFunctionUrlConfig in TrailDiscover). Layer operations (2018-10-31) are known to be logged
# as PublishLayerVersion20181031, though no record here shows one. Versions from 2019 to before
# 2020-06-30 are listed both ways, since nothing here settles them.
LAMBDA_SUFFIXED_BEFORE = "2019-01-01"
LAMBDA_BARE_FROM = "2020-06-30"

# Corpus sources that are curated or hand-edited rather than captured: a pair only they show is
# kept only when botocore does not contradict it (`contradiction()`). TrailDiscover's catalogue
# names some events by their API operation (GetBucketAccelerateConfiguration, whose own log
# example says GetAccelerateConfiguration); Panther's test records are edited fixtures
# (NotCreateUser, ec2.amazonaws.com PutBucketLogging).
CURATED = {"panther", "traildiscover-catalogue"}

LAMBDA_SOURCE = "lambda.amazonaws.com"
VERSION_IN_PATH = re.compile(r"^/(\d{4})-(\d{2})-(\d{2})/")


def download_botocore(directory):
    """The pinned botocore wheel, downloaded from PyPI into `directory`."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", directory,
         f"botocore=={BOTOCORE_VERSION}"],
        check=True,
    )
    wheels = glob.glob(os.path.join(directory, f"botocore-{BOTOCORE_VERSION}-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"build-event-catalogue: expected one botocore {BOTOCORE_VERSION} wheel in {directory}, got {wheels}")
    return wheels[0]


def service_models(wheel):
    """service name -> its newest model (botocore loads the newest API version too)."""
    archive = zipfile.ZipFile(wheel)
    versions = collections.defaultdict(list)
    for name in archive.namelist():
        parts = name.split("/")
        if len(parts) == 5 and parts[:2] == ["botocore", "data"] and parts[4] in ("service-2.json", "service-2.json.gz"):
            versions[parts[2]].append((parts[3], name))
    models = {}
    for service, found in sorted(versions.items()):
        _, member = max(found)
        data = archive.read(member)
        if member.endswith(".gz"):
            data = gzip.decompress(data)
        models[service] = json.loads(data)
    return models


def event_source(service, metadata):
    if service in SOURCE_OVERRIDES:
        return SOURCE_OVERRIDES[service]
    return (metadata.get("signingName") or metadata["endpointPrefix"]) + ".amazonaws.com"


def lambda_names(name, request_uri):
    """The eventNames CloudTrail logs a Lambda operation under (see LAMBDA_SUFFIXED_BEFORE)."""
    match = VERSION_IN_PATH.match(request_uri)
    if name in LAMBDA_BARE or not match:
        return [(name, "a")]
    version = "-".join(match.groups())
    suffixed = (name + "".join(match.groups()), "d")
    if version < LAMBDA_SUFFIXED_BEFORE:
        return [suffixed]
    if version < LAMBDA_BARE_FROM:
        return [suffixed, (name, "a")]
    return [(name, "a")]


def api_pairs(models):
    """{(eventSource, eventName): origin}, `a` or `d`, for every operation; and the API names
    that CloudTrail logs under another name, {(eventSource, API name): [CloudTrail names]}."""
    pairs = {}
    replaced = {}
    for service, model in models.items():
        source = event_source(service, model["metadata"])
        for key, operation in model["operations"].items():
            name = operation.get("name") or key  # CloudFront's names carry their API version
            if source == LAMBDA_SOURCE:
                names = lambda_names(name, operation["http"]["requestUri"])
            else:
                names = [(renamed, "a") for renamed in RENAMES.get((source, name), [name])]
            for logged, origin in names:
                pairs[(source, logged)] = origin
            if key not in [logged for logged, _ in names]:
                replaced[(source, key)] = [logged for logged, _ in names]
    for pair in list(replaced):
        if pair in pairs:  # another service's operation has the API name (s3control's renames)
            del replaced[pair]
    return pairs, replaced


def corpus_records(corpus):
    """(origin label, record) for every CloudTrail record in the corpus the catalogue reads."""
    for path in sorted(glob.glob(os.path.join(corpus, "invictus-ir-aws_dataset", "CloudTrail", "*.json.gz"))):
        with gzip.open(path) as handle:
            for record in json.load(handle)["Records"]:
                yield "invictus", record
    for path in sorted(glob.glob(os.path.join(corpus, "stratus-red-team-detonation-logs", "*.json"))):
        with open(path) as handle:
            for record in json.load(handle):
                yield "stratus", record
    with open(os.path.join(corpus, "traildiscover", "log-examples.jsonl")) as handle:
        for line in handle:
            yield "traildiscover", json.loads(line)["record"]
    with open(os.path.join(corpus, "traildiscover", "event-catalog.json")) as handle:
        for entry in json.load(handle):
            yield "traildiscover-catalogue", entry
    for path in sorted(glob.glob(os.path.join(corpus, "otrf-security-datasets", "*.jsonl"))):
        with open(path) as handle:
            for line in handle:
                yield "otrf", json.loads(line)
    with open(os.path.join(corpus, "fivexl-cloudtrail-to-slack", "test_events.json")) as handle:
        for test in json.load(handle)["test_events"]:
            yield "fivexl", test["event"]
    with open(os.path.join(corpus, "panther-analysis-cloudtrail-tests.jsonl")) as handle:
        for line in handle:
            yield "panther", json.loads(line).get("log")


def record_pairs(corpus):
    """{(eventSource, eventName): {corpus source: set of the records' eventTypes}}."""
    seen = collections.defaultdict(lambda: collections.defaultdict(set))
    for label, record in corpus_records(corpus):
        if not isinstance(record, dict):
            continue
        source, name = record.get("eventSource"), record.get("eventName")
        if isinstance(source, str) and isinstance(name, str) and source and name:
            seen[(source, name)][label].add(record.get("eventType"))
    return seen


def contradiction(pair, shown, api, replaced):
    """Why botocore contradicts a pair that only curated sources show, or None.

    Any curated pair is dropped when CloudTrail is known to log that API operation under another
    name. A pair only Panther shows, in records that say they are API calls, is dropped when its
    eventSource has no such operation or another service has it: those are edited fixtures."""
    source, name = pair
    if pair in replaced:
        return f"CloudTrail logs it as {' or '.join(replaced[pair])}"
    if set(shown) != {"panther"} or shown["panther"] != {"AwsApiCall"}:
        return None
    if source in {s for s, _ in api}:
        return f"{source} has no such operation"
    elsewhere = sorted({s for s, n in api if n == name})
    if elsewhere:
        return f"an operation of {', '.join(elsewhere)}"
    return None


def catalogue(wheel, corpus):
    models = service_models(wheel)
    api, replaced = api_pairs(models)
    records = record_pairs(corpus)
    origins = {pair: set(origin) for pair, origin in api.items()}
    dropped = []
    for pair, shown in sorted(records.items()):
        if pair not in api and set(shown) <= CURATED:
            reason = contradiction(pair, shown, api, replaced)
            if reason:
                dropped.append((pair, sorted(shown), reason))
                continue
        origins.setdefault(pair, set()).add("r")
    lines = [
        f"{s}\t{n}\t{''.join(sorted(o))}"
        for (s, n), o in sorted(origins.items(), key=lambda item: (item[0][0].encode(), item[0][1].encode()))
    ]
    stats = {
        "botocore": BOTOCORE_VERSION,
        "services": len(models),
        "sources": len({s for s, _ in origins}),
        "names": len(origins),
        "api (a)": sum("a" in o for o in origins.values()),
        "derived (d)": sum("d" in o for o in origins.values()),
        "records (r)": sum("r" in o for o in origins.values()),
        "only records": sum(o == {"r"} for o in origins.values()),
    }
    return lines, stats, dropped


HEADER = """\
# trailhound event catalogue: the (eventSource, eventName) pairs CloudTrail is known to log, for
# `trailhound check`, which warns when a rule compares $.eventName or $.eventSource with a name
# that is not here. Generated by scripts/build-event-catalogue.py; do not edit by hand, rebuild:
#   scripts/build-event-catalogue.py --corpus ../shared/corpus
#
# Columns: eventSource, eventName, origin. Origin letters:
#   a  an operation in botocore {version}'s service models (Apache-2.0, Copyright Amazon.com, Inc.
#      or its affiliates; https://github.com/boto/botocore), under the eventSource CloudTrail
#      logs the service with
#   r  seen in a CloudTrail record: invictus-ir/aws_dataset (MIT), DataDog/stratus-red-team
#      detonation logs (Apache-2.0), panther-labs/panther-analysis tests (Apache-2.0),
#      OTRF/Security-Datasets (MIT), fivexl/terraform-aws-cloudtrail-to-slack (Apache-2.0), and
#      TrailDiscover by Adan Alvarez (https://github.com/adanalvarez/TrailDiscover), its log
#      examples and event catalogue, licensed CC BY 4.0
#      (https://creativecommons.org/licenses/by/4.0/); names and sources only, unchanged
#   d  derived from botocore: a Lambda operation with the API version of its REST path
#      (UpdateFunctionCode20150331); check also accepts it followed by v<digits> (...v2)
#
# {names} names under {sources} event sources; sorted by eventSource, then eventName (bytes).
"""


SWIFT = """\
// Generated by scripts/build-event-catalogue.py from Data/event-catalogue.tsv; do not edit.

/// `Data/event-catalogue.tsv`, compiled into the binary (see `EventCatalogue.embedded`).
enum EventCatalogueData {
    /// The size of the text, in bytes.
    static let size = {size}
    /// The text as a zlib stream (RFC 1950), base64-encoded in lines of 100 characters.
    static let base64 = \"\"\"
{lines}
        \"\"\"
}}
"""


def swift_source(text):
    data = text.encode()
    encoded = base64.b64encode(zlib.compress(data, 9)).decode()
    lines = "\n".join("        " + encoded[i:i + 100] for i in range(0, len(encoded), 100))
    return SWIFT.replace("{size}", f"{len(data):_}").replace("{lines}", lines).replace("}}", "}")


def embedded_text(swift):
    """The TSV a generated Swift file holds (zlib output differs between zlib versions, so
    --check compares what the file decodes to, not its bytes)."""
    literal = swift.split('static let base64 = """', 1)[1].split('"""', 1)[0]
    return zlib.decompress(base64.b64decode("".join(literal.split()))).decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help="the shared corpus (default: ../shared/corpus)")
    parser.add_argument("--botocore-wheel", help=f"a botocore {BOTOCORE_VERSION} wheel (default: pip download it)")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="the catalogue (TSV) to write")
    parser.add_argument("--swift", default=DEFAULT_SWIFT, help="the Swift source that embeds it")
    parser.add_argument("--check", action="store_true", help="exit 1 if either file differs from a rebuild")
    args = parser.parse_args()
    if not os.path.isdir(args.corpus):
        sys.exit(f"build-event-catalogue: no corpus at {args.corpus} (give --corpus DIR)")
    with tempfile.TemporaryDirectory(prefix="botocore-") as scratch:
        wheel = args.botocore_wheel or download_botocore(scratch)
        lines, stats, dropped = catalogue(wheel, args.corpus)
    text = HEADER.format(version=BOTOCORE_VERSION, names=stats["names"], sources=stats["sources"])
    text += "\n".join(lines) + "\n"
    for (source, name), labels, reason in dropped:
        print(f"dropped {source} {name} (only in {', '.join(labels)}; {reason})", file=sys.stderr)
    print(", ".join(f"{key}: {value}" for key, value in stats.items()), file=sys.stderr)
    if args.check:
        with open(args.output) as handle:
            if handle.read() != text:
                sys.exit(f"build-event-catalogue: {args.output} is out of date; rebuild it")
        with open(args.swift) as handle:
            if embedded_text(handle.read()) != text:
                sys.exit(f"build-event-catalogue: {args.swift} does not hold {args.output}; rebuild it")
        return
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as handle:
        handle.write(text)
    with open(args.swift, "w") as handle:
        handle.write(swift_source(text))


if __name__ == "__main__":
    main()
