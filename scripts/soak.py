#!/usr/bin/env python3
"""Soak: a steady stream of CloudTrail files through `trailhound run` with a webhook sink.

    scripts/soak.py BINARY GEN_CORPUS [--minutes 10] [--records-per-minute 1000000]

Files of 2,000 records land in the spool (write to a dot-name, rename) at a steady rate. Their
bulk comes from ../shared/bench/gen_corpus.py (100 distinct files, compressed once); each landing
gets a unique first gzip member with two StopLogging records, so every file raises two new
alerts (gzip members concatenate, and the reader reads every member). The daemon deletes each
file once committed and posts alerts to a signed generic webhook on a local receiver.

Every 30 s it prints the daemon's resident memory, the backlog (files landed, not yet committed),
the records the daemon has counted and the alert delivery latency (file landed -> webhook
received). At the end: memory growth between the end of the first minute and the end, lag
bounds, and whether every unique alert arrived. Exit status 0 when memory and lag stay bounded
and nothing is missing.
"""
import argparse, gzip, http.server, json, os, re, shutil, signal, subprocess, sys, tempfile
import threading, time, urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("generator")
parser.add_argument("--minutes", type=float, default=10)
parser.add_argument("--records-per-minute", type=int, default=1_000_000)
parser.add_argument("--max-growth-mib", type=float, default=32, help="allowed RSS growth after minute 1")
parser.add_argument("--max-backlog-seconds", type=float, default=30, help="allowed backlog, in seconds of input")
options = parser.parse_args()

PER_FILE = 2000
ACCOUNT, REGION = "111122223333", "us-east-1"
root = tempfile.mkdtemp(prefix="trailhound-soak-")
spool, pool = os.path.join(root, "spool"), os.path.join(root, "pool")
os.makedirs(spool)

print(f"generating 100 files x {PER_FILE - 2} records with gen_corpus.py ...", flush=True)
subprocess.run([sys.executable, options.generator, pool, "--files", "100", "--records-per-file", str(PER_FILE - 2)],
               check=True, stdout=subprocess.DEVNULL)
tails = []
for directory, _, names in os.walk(pool):
    for name in sorted(names):
        body = gzip.decompress(open(os.path.join(directory, name), "rb").read())
        assert body.startswith(b'{"Records":[')
        tails.append(gzip.compress(body[len(b'{"Records":['):], compresslevel=6, mtime=0))
shutil.rmtree(pool)

landed_at = {}  # file number -> monotonic time it was renamed into the spool
latencies = []
lock = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = set()
    requests = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        now = time.monotonic()
        event_id = json.loads(body).get("eventID") or ""
        match = re.fullmatch(r"soak-(\d+)-\d", event_id)
        with lock:
            Receiver.requests += 1
            if match and event_id not in Receiver.seen:
                Receiver.seen.add(event_id)
                latencies.append(now - landed_at[int(match.group(1))])
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
metrics_port = 20000 + os.getpid() % 20000
config = os.path.join(root, "trailhound.yaml")
with open(config, "w") as f:
    f.write(f"""spool: {{directory: {spool}, settle_time: 2s, rescan_interval: 1m}}
state: {{path: {root}/state/trailhound.sqlite}}
processed: {{action: delete}}
sinks:
  - name: receiver
    type: webhook
    url: http://127.0.0.1:{server.server_address[1]}/hook
    allow_loopback: true
    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
metrics: {{listen: 127.0.0.1:{metrics_port}}}
log: {{level: warning, format: text}}
""")
os.chmod(config, 0o644)
log = open(os.path.join(root, "daemon.log"), "wb")
daemon = subprocess.Popen([options.binary, "run", "--config", config], stdout=log, stderr=log)


def metric(name):
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).read().decode()
    except OSError:
        return None
    found = re.search(rf"^{name} (\S+)$", text, re.M)
    return float(found.group(1)) if found else None


def memory():
    fields = dict(line.split(":", 1) for line in open(f"/proc/{daemon.pid}/status"))
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def unique_head(number):
    records = [{
        "eventVersion": "1.09", "eventTime": "2026-11-22T10:00:00Z", "eventSource": "cloudtrail.amazonaws.com",
        "eventName": "StopLogging", "awsRegion": REGION, "eventID": f"soak-{number}-{index}",
        "recipientAccountId": ACCOUNT, "sourceIPAddress": "203.0.113.9",
        "userIdentity": {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/soak"}} for index in range(2)]
    text = '{"Records":[' + ",".join(json.dumps(r, separators=(",", ":")) for r in records) + ","
    return gzip.compress(text.encode(), mtime=0)


while metric("trailhound_records_total") is None:
    time.sleep(0.2)
interval = PER_FILE * 60.0 / options.records_per_minute
total = int(options.minutes * 60 / interval)
print(f"landing {total} files ({total * PER_FILE:,} records) at one per {interval * 1000:.0f} ms "
      f"= {options.records_per_minute:,} records/min for {options.minutes:g} min", flush=True)
started = time.monotonic()
samples = []  # (seconds, rss MiB, backlog files, records counted)
next_report = 30.0
late = 0.0
for number in range(total):
    due = started + number * interval
    pause = due - time.monotonic()
    if pause > 0:
        time.sleep(pause)
    else:
        late = max(late, -pause)
    minute = number * interval // 60
    directory = os.path.join(spool, f"AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/2026/11/22")
    os.makedirs(directory, exist_ok=True)
    name = f"{ACCOUNT}_CloudTrail_{REGION}_20261122T{int(minute) // 60 % 24:02d}{int(minute) % 60:02d}Z_s{number:07d}.json.gz"
    temporary = os.path.join(directory, "." + name)
    with open(temporary, "wb") as f:
        f.write(unique_head(number))
        f.write(tails[number % len(tails)])
    with lock:
        landed_at[number] = time.monotonic()
    os.rename(temporary, os.path.join(directory, name))
    elapsed = time.monotonic() - started
    if elapsed >= next_report:
        next_report += 30.0
        rss, _ = memory()
        backlog = sum(len(names) for _, _, names in os.walk(spool))
        records = metric("trailhound_records_total") or 0
        with lock:
            recent = sorted(latencies[-500:])
        p99 = recent[int(len(recent) * 0.99) - 1] if recent else float("nan")
        samples.append((elapsed, rss, backlog, records))
        print(f"{elapsed:6.0f}s  rss {rss:6.1f} MiB  backlog {backlog:4d} files  records {records:12,.0f}  "
              f"alerts {len(Receiver.seen):6d}  recent alert latency p99 {p99:5.2f}s", flush=True)

expected = {f"soak-{n}-{i}" for n in range(total) for i in range(2)}
finished = time.monotonic()
deadline = finished + 120
while time.monotonic() < deadline:
    with lock:
        if len(Receiver.seen) >= len(expected):
            break
    time.sleep(0.5)
drained = time.monotonic() - finished
rss, hwm = memory()
records = metric("trailhound_records_total") or 0
daemon.send_signal(signal.SIGTERM)
daemon.wait(60)

latencies.sort()
def quantile(q):
    return latencies[min(len(latencies) - 1, int(len(latencies) * q))] if latencies else float("nan")
after_first_minute = [s for s in samples if s[0] >= 60]
growth = (after_first_minute[-1][1] - after_first_minute[0][1]) if len(after_first_minute) > 1 else 0.0
worst_backlog = max((s[2] for s in samples), default=0)
print(f"landed {total} files, {total * PER_FILE:,} records; daemon counted {records:,.0f} records")
print(f"lander behind schedule at most {late * 1000:.0f} ms; drained {drained:.1f}s after the last file")
print(f"memory: rss {after_first_minute[0][1] if after_first_minute else rss:.1f} MiB at "
      f"{after_first_minute[0][0] if after_first_minute else 0:.0f}s -> {rss:.1f} MiB at the end "
      f"(growth {growth:+.1f} MiB), peak {hwm:.1f} MiB")
print(f"backlog: at most {worst_backlog} files ({worst_backlog * interval:.1f}s of input) at the 30 s samples")
print(f"alert latency (landed -> webhook): p50 {quantile(0.5):.2f}s p99 {quantile(0.99):.2f}s "
      f"max {latencies[-1] if latencies else float('nan'):.2f}s over {len(latencies)} alerts; "
      f"{Receiver.requests} requests")
failures = []
if growth > options.max_growth_mib:
    failures.append(f"memory grew {growth:.1f} MiB after the first minute")
if worst_backlog * interval > options.max_backlog_seconds:
    failures.append(f"backlog reached {worst_backlog * interval:.1f}s of input")
if len(Receiver.seen) < len(expected):
    failures.append(f"{len(expected) - len(Receiver.seen)} unique alerts missing")
if records < total * PER_FILE:
    failures.append(f"daemon counted {records:,.0f} of {total * PER_FILE:,} records")
for failure in failures:
    print("FAIL  " + failure)
if failures:
    print(f"daemon log and state kept in {root}")
    sys.exit(1)
shutil.rmtree(root)
print("soak: memory flat, lag bounded, every alert delivered")
