#!/usr/bin/env python3
"""Detection coverage and precision of a rule pack over the shared corpus (issue 18).

Coverage: `trailhound replay` over each Stratus Red Team detonation log; a technique counts as
seen when an alert comes from a rule whose `references.stratus` names that technique (the file
name is the technique id). Precision: the invictus data set's records whose userAgent does not
contain `stratus-red-team` (setup and background noise), replayed as one file; alerts per
severity, and high+critical per 1,000 records.

Usage: scripts/coverage.py [--trailhound BIN] [--rules DIR] [--corpus DIR] [--json] [--verbose]
Exit status: 0; the numbers are for people and for the corpus test to compare.
"""
import argparse
import collections
import gzip
import json
import os
import subprocess
import sys
import tempfile


def rule_index(trailhound, rules_dir):
    """rule id -> (severity, stratus ids, enabled), as `trailhound rules` loads them."""
    run = subprocess.run([trailhound, "rules", "--rules", rules_dir, "--format", "jsonl"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"trailhound rules --rules {rules_dir} exited {run.returncode}: {run.stderr.strip()}")
    index = {}
    for line in run.stdout.splitlines():
        rule = json.loads(line)
        index[rule["id"]] = (rule["severity"], set(rule["stratus"]), rule["enabled"])
    return index


def replay(trailhound, rules_dir, path):
    run = subprocess.run(
        [trailhound, "replay", "--rules", rules_dir, "--format", "jsonl", path],
        capture_output=True, text=True)
    if run.returncode not in (0, 2):
        sys.exit(f"trailhound replay {path} exited {run.returncode}: {run.stderr.strip()}")
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trailhound", default=os.path.join(here, "..", ".build", "debug", "trailhound"))
    parser.add_argument("--rules", default=os.path.join(here, "..", "rules"))
    parser.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus"))
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    parser.add_argument("--verbose", action="store_true", help="list the background alerts")
    args = parser.parse_args()
    index = rule_index(args.trailhound, args.rules)

    stratus_dir = os.path.join(args.corpus, "stratus-red-team-detonation-logs")
    techniques = {}
    for name in sorted(os.listdir(stratus_dir)):
        if not name.endswith(".json"):
            continue
        technique = name[: -len(".json")]
        alerts = replay(args.trailhound, args.rules, os.path.join(stratus_dir, name))
        fired = sorted({alert["rule"] for alert in alerts})
        specific = [rule for rule in fired if technique in index.get(rule, (None, set(), True))[1]]
        techniques[technique] = {"rules": fired, "specific": specific}

    records = []
    invictus = os.path.join(args.corpus, "invictus-ir-aws_dataset", "CloudTrail")
    for name in sorted(os.listdir(invictus)):
        with gzip.open(os.path.join(invictus, name)) as handle:
            records += json.load(handle)["Records"]
    background = [r for r in records if "stratus-red-team" not in (r.get("userAgent") or "")]
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "invictus-background.json")
        with open(path, "w") as handle:
            json.dump({"Records": background}, handle)
        alerts = replay(args.trailhound, args.rules, path)
    by_severity = collections.Counter(alert["severity"] for alert in alerts)
    by_rule = collections.Counter((alert["severity"], alert["rule"]) for alert in alerts)
    serious = by_severity["high"] + by_severity["critical"]
    result = {
        "techniques": len(techniques),
        "seen": sum(1 for t in techniques.values() if t["specific"]),
        "unseen": [name for name, t in techniques.items() if not t["specific"]],
        "background_records": len(background),
        "background_alerts": dict(by_severity),
        "high_critical_per_1000": round(1000 * serious / max(len(background), 1), 2),
        "background_rules": {f"{sev} {rule}": n for (sev, rule), n in sorted(by_rule.items())},
        "per_technique": techniques,
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for name, t in techniques.items():
        mark = "seen  " if t["specific"] else "UNSEEN"
        print(f"{mark} {name}: {', '.join(t['specific']) or '-'}  (all: {', '.join(t['rules']) or 'none'})")
    print(f"\ncoverage: {result['seen']} of {result['techniques']} detonation logs raise a technique-specific alert")
    print(f"background: {len(background)} invictus records without a stratus-red-team user agent")
    for severity in ("critical", "high", "medium", "low", "info"):
        print(f"  {severity:8} {by_severity[severity]:4} alerts  ({1000 * by_severity[severity] / len(background):.2f} per 1,000)")
    print(f"  high+critical: {result['high_critical_per_1000']} per 1,000 records")
    if args.verbose:
        for key, count in result["background_rules"].items():
            print(f"    {count:4}  {key}")


if __name__ == "__main__":
    main()
