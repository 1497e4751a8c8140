#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets (scripts/fuzz.sh calls it).

Seeds come from this repository only: pattern strings in the pattern tests, the bundled rules and
the patterns and test records inside them, the sample spool file, and gzip variants made from it
(multi-member, truncated, bad CRC, trailing garbage, a small bomb). Usage:
    fuzz-seeds.py REPO_ROOT OUT_DIR TARGET
OUT_DIR is emptied and refilled; nothing here is meant to be committed.
"""
import glob
import gzip
import hashlib
import json
import os
import re
import sys

# Swift string literals: raw `#"…"#`, then plain `"…"` (single line; escapes kept simple).
RAW = re.compile(r'#"(.*?)"#')
PLAIN = re.compile(r'(?<![#\\])"((?:[^"\\\n]|\\.)*)"')
PATTERN_LINE = re.compile(r"^\s*(?:-\s+|pattern:\s+)(['\"])(.*)\1\s*$")


def swift_literals(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    found = [m.group(1) for m in RAW.finditer(text)]
    stripped = RAW.sub("", text)
    for m in PLAIN.finditer(stripped):
        value = m.group(1)
        value = value.replace('\\"', '"').replace("\\\\", "\\").replace("\\n", "\n").replace("\\t", "\t")
        found.append(value)
    return found


def rule_patterns(root):
    """Pattern strings from rule files: `pattern:` and suppress list items, quoted."""
    found = []
    for path in sorted(glob.glob(os.path.join(root, "rules", "**", "*.yaml"), recursive=True)):
        for line in open(path, encoding="utf-8"):
            m = PATTERN_LINE.match(line)
            if m:
                value = m.group(2)
                found.append(value.replace("''", "'") if m.group(1) == "'" else value)
    return found


def rule_records(root):
    found = []
    for path in sorted(glob.glob(os.path.join(root, "rules", "**", "*.yaml"), recursive=True)):
        for line in open(path, encoding="utf-8"):
            m = re.match(r"^\s*record:\s*(\{.*\})\s*$", line)
            if m:
                found.append(m.group(1).encode())
    return found


def sample_texts(root):
    return [gzip.open(p).read() for p in sorted(glob.glob(os.path.join(root, "samples", "**", "*.json.gz"), recursive=True))]


def regex_bodies(patterns):
    bodies = []
    for pattern in patterns:
        bodies += re.findall(r"%([^%]+)%", pattern)
    return bodies


def write(out, seeds, max_len):
    seen = set()
    for seed in seeds:
        data = seed.encode() if isinstance(seed, str) else seed
        if not data or len(data) > max_len:
            continue
        digest = hashlib.sha1(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        with open(os.path.join(out, digest), "wb") as f:
            f.write(data)
    return len(seen)


def main():
    root, out, target = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        os.remove(os.path.join(out, name))
    pattern_tests = sorted(glob.glob(os.path.join(root, "Tests", "TrailPatternsTests", "*.swift")))
    regex_tests = sorted(glob.glob(os.path.join(root, "Tests", "TrailPatternsTests", "Regex", "*.swift")))
    samples = sample_texts(root)
    records = []
    for text in samples:
        records += [json.dumps(r, separators=(",", ":")).encode() for r in json.loads(text)["Records"]]
    records += rule_records(root)

    if target == "FuzzPatterns":
        literals = [s for p in pattern_tests for s in swift_literals(p)]
        seeds = [s for s in literals if len(s) <= 1024] + rule_patterns(root)
        count = write(out, seeds, 2048)
    elif target == "FuzzRegex":
        literals = [s for p in regex_tests for s in swift_literals(p)]
        bodies = regex_bodies(rule_patterns(root) + [s for p in pattern_tests for s in swift_literals(p)])
        bodies += [s for s in literals if 0 < len(s) <= 64]
        subjects = [b"", b"abc", b"arn:aws:iam::111122223333:root", b"ConsoleLogin 127.0.0.1 ERROR"] + records[:2]
        seeds = [body.encode(errors="replace") + b"\0" + subject for i, body in enumerate(bodies)
                 for subject in subjects[i % len(subjects):][:2]]
        count = write(out, seeds, 1024)
    elif target == "FuzzJSON":
        literals = [s for p in sorted(glob.glob(os.path.join(root, "Tests", "TrailJSONTests", "*.swift")))
                    for s in swift_literals(p)]
        ndjson = b"\n".join(records[:4]) + b"\n"
        seeds = samples + records + literals + [ndjson, b"[" + b",".join(records[:3]) + b"]"]
        count = write(out, seeds, 8192)
    elif target == "FuzzReader":
        seeds = []
        for text in samples:
            packed = gzip.compress(text, mtime=0)
            half = len(text) // 2
            two = gzip.compress(text[:half], mtime=0) + gzip.compress(text[half:], mtime=0)
            bad_crc = bytearray(packed)
            bad_crc[-8] ^= 0xFF
            seeds += [
                packed, text, two, packed[: len(packed) // 2], bytes(bad_crc), packed + b"garbage",
                packed + b"\n", gzip.compress(b"\n".join(records[:4]), mtime=0),
                gzip.compress(json.dumps({"detail-type": "AWS API Call via CloudTrail",
                                          "detail": json.loads(records[0])}).encode(), mtime=0),
                gzip.compress(json.dumps({"logEvents": [{"id": "1", "message": records[0].decode()}]}).encode(),
                              mtime=0),
                gzip.compress(b" " * 200000, mtime=0),  # small bomb: inflates far past the ratio cap
            ]
        seeds += [b"\n".join(records[:4]), b"[" + b",".join(records[:3]) + b"]", b'{"Records":[]}']
        count = write(out, seeds, 16384)
    elif target == "FuzzRules":
        seeds = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(root, "rules", "**", "*.yaml"),
                                                                    recursive=True))]
        count = write(out, seeds, 20480)
    else:
        sys.exit(f"unknown target {target}")
    print(f"{target}: {count} generated seeds")


if __name__ == "__main__":
    main()
