#!/usr/bin/env python3
"""Alert latency of `trailhound run`: rename a file into the spool, time until its alert is on
stdout. Prints p50/p95/p99/max over N files (default 200) at idle (one file at a time).

    scripts/bench-latency.sh [N]      (builds release, then runs this)
"""
import gzip, json, os, select, shutil, subprocess, sys, tempfile, time

binary, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200
root = tempfile.mkdtemp(prefix="trailhound-latency-")
spool = os.path.join(root, "spool")
day = os.path.join(spool, "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/22")
os.makedirs(day)
config = os.path.join(root, "trailhound.yaml")
with open(config, "w") as f:
    f.write(f"spool: {{directory: {spool}}}\nstate: {{path: {root}/state.sqlite}}\n"
            "sinks: [{name: stdout, type: stdout, format: json}]\nlog: {level: warning}\n")
os.chmod(config, 0o644)
daemon = subprocess.Popen([binary, "run", "--config", config], stdout=subprocess.PIPE, bufsize=0)
buffer = b""

def next_line(timeout):
    global buffer
    deadline = time.monotonic() + timeout
    while b"\n" not in buffer:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([daemon.stdout], [], [], left)[0]:
            return None
        chunk = os.read(daemon.stdout.fileno(), 65536)
        if not chunk:
            return None
        buffer += chunk
    line, buffer = buffer.split(b"\n", 1)
    return line

time.sleep(1.0)  # start-up and first scan
samples = []
try:
    for i in range(count):
        record = {"eventVersion": "1.09", "eventTime": "2026-11-22T10:00:00Z", "eventSource": "cloudtrail.amazonaws.com",
                  "eventName": "StopLogging", "awsRegion": "us-east-1", "eventID": f"latency-{i}",
                  "recipientAccountId": "111122223333", "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/a"}}
        name = f"111122223333_CloudTrail_us-east-1_20261122T{i // 60 % 24:02d}{i % 60:02d}Z_L{i:05d}.json.gz"
        temporary = os.path.join(day, "." + name)
        with open(temporary, "wb") as f:
            f.write(gzip.compress(json.dumps({"Records": [record]}).encode()))
        start = time.monotonic()
        os.rename(temporary, os.path.join(day, name))
        seen = False
        while True:
            line = next_line(5.0)
            if line is None:
                break
            if json.loads(line).get("eventID") == f"latency-{i}":
                seen = True
                break
        if not seen:
            print(f"file {i}: no alert within 5 s", file=sys.stderr)
            continue
        samples.append((time.monotonic() - start) * 1000)
        time.sleep(0.02)  # idle between files
finally:
    daemon.terminate()
    daemon.wait(timeout=20)
    shutil.rmtree(root)

samples.sort()
def pct(p):
    return samples[min(len(samples) - 1, int(round(p / 100 * (len(samples) - 1))))]
print(f"latency over {len(samples)}/{count} files (rename -> alert on stdout): "
      f"p50 {pct(50):.1f} ms, p95 {pct(95):.1f} ms, p99 {pct(99):.1f} ms, max {samples[-1]:.1f} ms")
sys.exit(0 if len(samples) == count else 1)
