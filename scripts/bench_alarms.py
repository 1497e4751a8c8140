#!/usr/bin/env python3
"""Alarm state at scale (issue 19): the bundled pack alone, and with one broad alarm rule added
(`{ $.readOnly IS TRUE }`, 50 in 5 minutes per principal: it matches ~90% of the benchmark
spool's records and nearly every record has a principal of its own), over the same spool:

  replay --jobs 1 on one core: best wall time of RUNS, peak resident memory (VmHWM)
  run: a fresh daemon drains the spool (stdout sink to /dev/null); the time until the ledger
       has every file, and the ledger's size on disk (database + WAL) when it has

The spool is first copied with its events moved to yesterday (the day's date rewritten in every
`eventTime`), so the daemon's alarms count them: gen_corpus.py writes November 2026, and matches
older than `alarms.lateness` (3 days) are skipped. Each line also gives the alerts and a digest of
them (sorted alert ids from replay, sorted ledger alert ids from run), to compare two binaries.

    scripts/bench-alarms.sh [FILES [RECORDS_PER_FILE]]       (builds release, then runs this)
    scripts/bench_alarms.py BINARY SPOOL RULES [--runs N] [--json]
"""
import argparse, datetime, gzip, hashlib, json, os, shutil, sqlite3, subprocess, sys, tempfile, time

BROAD = """id: bench-broad-read-only
title: Many read-only calls by one principal (benchmark)
severity: low
description: A benchmark rule that matches most records, grouped by principal.
pattern: '{ $.readOnly IS TRUE }'
alarm:
  threshold: 50
  period: 300
  evaluation_periods: 1
  treat_missing_data: notBreaching
  group_by: ["$.userIdentity.arn"]
"""


def peak_rss(command):
    """Runs command (output discarded); returns (seconds, peak RSS in MiB, stdout bytes)."""
    out = tempfile.TemporaryFile()
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        try:
            with open(f"/proc/{process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.01)
    seconds = time.monotonic() - start
    out.seek(0)
    return seconds, peak / 1024, out.read()


def replay(binary, spool, rules, runs):
    best, rss, output = None, 0.0, b""
    for _ in range(runs):
        seconds, peak, output = peak_rss(
            ["taskset", "-c", "0", binary, "replay", "--jobs", "1", "--format", "jsonl", "--rules", rules, spool])
        best = seconds if best is None else min(best, seconds)
        rss = max(rss, peak)
    ids = sorted(json.loads(line)["id"] for line in output.splitlines() if line.strip())
    return best, rss, len(ids), hashlib.sha256("\n".join(ids).encode()).hexdigest()[:12]


def run(binary, spool, rules_dirs, files):
    root = tempfile.mkdtemp(prefix="trailhound-bench-alarms-")
    state = os.path.join(root, "state.sqlite")
    config = os.path.join(root, "trailhound.yaml")
    with open(config, "w") as f:
        f.write(
            f"spool: {{directory: {spool}}}\nstate: {{path: {state}}}\n"
            f"rules: {{directories: {json.dumps(rules_dirs)}}}\n"
            "sinks: [{name: stdout, type: stdout, format: json}]\nlog: {level: error}\n")
    os.chmod(config, 0o644)
    start = time.monotonic()
    daemon = subprocess.Popen([binary, "run", "--config", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = 0
    try:
        while time.monotonic() - start < 900:
            time.sleep(0.05)
            if not os.path.exists(state):
                continue
            try:
                with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1) as db:
                    done = db.execute("SELECT count(*) FROM files WHERE status = 'done'").fetchone()[0]
            except sqlite3.Error:
                continue
            if done >= files:
                break
        seconds = time.monotonic() - start
        size = sum(os.path.getsize(state + suffix) for suffix in ("", "-wal") if os.path.exists(state + suffix))
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as db:
            ids = sorted(row[0] for row in db.execute("SELECT id FROM alerts"))
    finally:
        daemon.terminate()
        daemon.wait(30)
        shutil.rmtree(root, ignore_errors=True)
    return seconds, size / 1_048_576, len(ids), hashlib.sha256("\n".join(ids).encode()).hexdigest()[:12], done


def recent_copy(spool):
    """A copy of spool (made once, beside it) whose events happened yesterday, by the wall clock."""
    day = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    target = spool.rstrip("/") + "-" + day
    if os.path.isdir(target):
        return target
    partial = target + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    for directory, _, names in os.walk(spool):
        for name in names:
            source = os.path.join(directory, name)
            destination = os.path.join(partial, os.path.relpath(source, spool))
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            with gzip.open(source, "rb") as f:
                data = f.read()
            data = data.replace(b'"eventTime":"2026-11-01T', f'"eventTime":"{day}T'.encode())
            with open(destination, "wb") as f:
                f.write(gzip.compress(data, compresslevel=6, mtime=0))
    os.rename(partial, target)
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("spool")
    parser.add_argument("rules", help="the bundled rules directory")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    options.spool = recent_copy(options.spool)
    files = sum(1 for _, _, names in os.walk(options.spool) for name in names if name.endswith(".json.gz"))
    extra = tempfile.mkdtemp(prefix="trailhound-broad-rule-")
    with open(os.path.join(extra, "broad.yaml"), "w") as f:
        f.write(BROAD)
    combined = tempfile.mkdtemp(prefix="trailhound-pack-broad-")
    shutil.copytree(options.rules, combined, dirs_exist_ok=True)
    shutil.copy(os.path.join(extra, "broad.yaml"), combined)
    results = {}
    try:
        for name, rules, dirs in (("pack", options.rules, [options.rules]), ("pack+broad", combined, [options.rules, extra])):
            seconds, rss, alerts, digest = replay(options.binary, options.spool, rules, options.runs)
            results[f"replay {name}"] = {"seconds": round(seconds, 3), "peak_mib": round(rss, 1), "alerts": alerts, "digest": digest}
            print(f"replay --jobs 1, {name:10}: {seconds:7.3f} s  peak {rss:6.1f} MiB  {alerts} alerts ({digest})", flush=True)
            seconds, size, alerts, digest, done = run(options.binary, options.spool, dirs, files)
            results[f"run {name}"] = {"seconds": round(seconds, 3), "ledger_mib": round(size, 1), "alerts": alerts, "digest": digest, "files": done}
            print(f"run ({done}/{files} files), {name:10}: {seconds:7.3f} s  ledger {size:6.1f} MiB  {alerts} alerts ({digest})", flush=True)
        r, b = results["replay pack"], results["replay pack+broad"]
        print(f"replay: broad/pack {b['seconds'] / r['seconds']:.2f}x (target <= 1.5), peak {b['peak_mib']:.0f} MiB (target < 100)")
        r, b = results["run pack"], results["run pack+broad"]
        print(f"run: broad/pack {b['seconds'] / r['seconds']:.2f}x (target <= 2), ledger {b['ledger_mib']:.1f} MiB (target < 50)")
        if options.json:
            print(json.dumps(results))
    finally:
        shutil.rmtree(extra, ignore_errors=True)
        shutil.rmtree(combined, ignore_errors=True)


if __name__ == "__main__":
    main()
