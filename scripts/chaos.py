#!/usr/bin/env python3
"""Storage faults under a running `trailhound run`, injected with strace (operations.md 1.7).

    scripts/chaos.py BINARY [--files N] [--fault-seconds S]

One daemon (a signed webhook sink to a local receiver that answers 429/500 now and then,
`processed: delete`, a /healthz listener) lives through three phases, each on fresh files:

  1. fsync fails with EIO on the ledger (`synchronous: full`),
  2. write/pwrite64 fail with ENOSPC on the ledger (`synchronous: normal`; a restart in between),
  3. kill -9 right after the faults clear, then a restart.

During a fault the daemon must report it (an error in the log, /healthz 503 naming the ledger)
and acknowledge nothing: no file is deleted from the spool, because nothing was committed.
When strace detaches (the fault clears) the same process must recover by itself: every file
committed and deleted, every alert accepted by the receiver exactly once (it deduplicates on
webhook-id), /healthz 200. After the kill -9, the ledger passes `PRAGMA integrity_check` and
nothing acknowledged is lost. Exit status 0 when every check holds; each check prints one line.
"""
import argparse, gzip, http.server, json, os, random, shutil, signal, sqlite3, subprocess, sys
import tempfile, threading, time, urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--files", type=int, default=20, help="files per phase (5 alerts each)")
parser.add_argument("--fault-seconds", type=float, default=8.0, help="how long each fault lasts")
options = parser.parse_args()

ACCOUNT, REGION = "111122223333", "eu-west-1"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
failures = []


def check(condition, text):
    print(("ok    " if condition else "FAIL  ") + text, flush=True)
    if not condition:
        failures.append(text)


class Receiver(http.server.BaseHTTPRequestHandler):
    """Accepts signed webhooks, deduplicating on webhook-id; 10% 429 with Retry-After, 5% 500."""
    accepted = {}  # webhook-id -> (eventID, rule)
    requests = 0
    lock = threading.Lock()
    random = random.Random(7)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        with Receiver.lock:
            Receiver.requests += 1
            roll = Receiver.random.random()
        if roll < 0.10:
            self.answer(429, {"Retry-After": "1"})
            return
        if roll < 0.15:
            self.answer(500)
            return
        alert = json.loads(body)
        with Receiver.lock:
            Receiver.accepted.setdefault(self.headers["webhook-id"], (alert.get("eventID"), alert.get("rule")))
        self.answer(200)

    def answer(self, status, headers={}):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def accepted_events():
    with Receiver.lock:
        return {event_id for event_id, _ in Receiver.accepted.values()}


root = tempfile.mkdtemp(prefix="trailhound-chaos-")
spool, state = os.path.join(root, "spool"), os.path.join(root, "state")
day = os.path.join(spool, f"AWSLogs/{ACCOUNT}/CloudTrail/{REGION}/2026/11/22")
os.makedirs(day)
os.makedirs(state)
ledger = os.path.join(state, "trailhound.sqlite")
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
metrics_port = 20000 + os.getpid() % 20000
log_path = os.path.join(root, "daemon.log")
log = open(log_path, "ab")


def write_config(synchronous):
    config = os.path.join(root, "trailhound.yaml")
    with open(config, "w") as f:
        f.write(f"""spool: {{directory: {spool}, settle_time: 500ms, rescan_interval: 2s}}
state: {{path: {ledger}, synchronous: {synchronous}}}
processed: {{action: delete}}
sinks:
  - name: receiver
    type: webhook
    url: http://127.0.0.1:{server.server_address[1]}/hook
    allow_loopback: true
    secret: {SECRET}
delivery: {{retry_initial: 200ms, retry_max: 2s}}
metrics: {{listen: 127.0.0.1:{metrics_port}}}
log: {{level: info, format: text}}
""")
    os.chmod(config, 0o644)
    return config


def start(synchronous):
    daemon = subprocess.Popen([options.binary, "run", "--config", write_config(synchronous)],
                              stdout=log, stderr=log)
    wait(lambda: health()[0] == 200, 30)
    return daemon


def health():
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/healthz", timeout=2) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return 0, str(error)


def wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def drop(phase, count):
    """Writes `count` files of 5 StopLogging events each; returns their eventIDs."""
    ids = []
    for number in range(count):
        records = []
        for index in range(5):
            event_id = f"chaos-{phase}-{number}-{index}"
            ids.append(event_id)
            records.append({
                "eventVersion": "1.09", "eventTime": "2026-11-22T10:00:00Z",
                "eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging",
                "awsRegion": REGION, "eventID": event_id, "recipientAccountId": ACCOUNT,
                "userIdentity": {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/chaos"}})
        name = f"{ACCOUNT}_CloudTrail_{REGION}_20261122T1000Z_{phase.replace('-', '')}{number:04d}.json.gz"
        temporary = os.path.join(day, "." + name)
        with open(temporary, "wb") as f:
            f.write(gzip.compress(json.dumps({"Records": records}).encode()))
        os.rename(temporary, os.path.join(day, name))
    return ids


def spool_files():
    return [name for name in os.listdir(day) if not name.startswith(".")]


def log_text():
    with open(log_path, "rb") as f:
        return f.read().decode(errors="replace")


def fault(daemon, phase, synchronous, inject):
    """Drops a phase's files while strace injects `inject` on the ledger's files, then detaches."""
    before = len(log_text())
    tracer = subprocess.Popen(
        ["strace", "-f", "-qq", "-o", "/dev/null", "-p", str(daemon.pid), "-e", f"trace={inject[0]}",
         "-e", f"inject={inject[0]}:error={inject[1]}", "-P", ledger, "-P", ledger + "-wal"],
        stderr=subprocess.PIPE)
    time.sleep(1.0)  # strace attaches to every thread
    check(tracer.poll() is None, f"{phase}: strace attached to pid {daemon.pid}")
    ids = drop(phase, options.files)
    time.sleep(options.fault_seconds)
    status, text = health()
    during = log_text()[before:]
    reported = [line for line in during.splitlines() if " error " in line and "ledger" in line]
    check(daemon.poll() is None, f"{phase}: daemon still running during the fault")
    check(len(reported) > 0, f"{phase}: fault reported in the log ({len(reported)} error lines, e.g. "
          f"{reported[0][:160] if reported else '-'!r})")
    check(status == 503 and "ledger" in text, f"{phase}: /healthz during the fault: {status} {text.strip()[:120]!r}")
    check(len(spool_files()) == options.files,
          f"{phase}: nothing acknowledged during the fault ({len(spool_files())} of {options.files} files still in the spool)")
    tracer.send_signal(signal.SIGINT)  # detach: the fault clears
    tracer.wait(10)
    started = time.monotonic()
    recovered = wait(lambda: not spool_files() and set(ids) <= accepted_events(), 120)
    check(recovered and daemon.poll() is None,
          f"{phase}: same process recovered in {time.monotonic() - started:.1f}s: spool empty, "
          f"{len(set(ids) & accepted_events())} of {len(ids)} events alerted")
    check(wait(lambda: health()[0] == 200, 30), f"{phase}: /healthz back to 200 ({health()[1].strip()[:80]!r})")
    return ids


expected = set()
daemon = start("full")
expected |= set(drop("warmup", 2))
check(wait(lambda: expected <= accepted_events(), 60), "warm-up alerts delivered")
expected |= set(fault(daemon, "fsync-eio", "full", ("fsync,fdatasync", "EIO")))
daemon.send_signal(signal.SIGTERM)
daemon.wait(30)
daemon = start("normal")
expected |= set(fault(daemon, "write-enospc", "normal", ("write,pwrite64", "ENOSPC")))

# Phase 3: faults, then kill -9 straight after they clear, then a restart.
tracer = subprocess.Popen(["strace", "-f", "-qq", "-o", "/dev/null", "-p", str(daemon.pid),
                           "-e", "trace=fsync,fdatasync,write,pwrite64", "-e",
                           "inject=fsync,fdatasync,write,pwrite64:error=EIO:when=3+2", "-P", ledger,
                           "-P", ledger + "-wal"])
time.sleep(1.0)
late = drop("kill", options.files)
expected |= set(late)
time.sleep(options.fault_seconds / 2)
tracer.send_signal(signal.SIGINT)
tracer.wait(10)
time.sleep(0.3)
daemon.send_signal(signal.SIGKILL)
daemon.wait()
integrity = sqlite3.connect(ledger).execute("PRAGMA integrity_check").fetchone()[0]
check(integrity == "ok", f"kill: ledger integrity after faults and kill -9: {integrity}")
daemon = start("normal")
check(wait(lambda: expected <= accepted_events() and not spool_files(), 120),
      f"kill: after restart {len(expected & accepted_events())} of {len(expected)} events alerted, "
      f"{len(spool_files())} files left")
daemon.send_signal(signal.SIGTERM)
daemon.wait(30)
with Receiver.lock:
    requests, accepted = Receiver.requests, dict(Receiver.accepted)
# Every StopLogging record matches the same rules (the StopLogging rule and the CIS CloudTrail
# changes rule), so each event must have been accepted under one webhook-id per matching rule: a
# second webhook-id for the same rule and event would be a repeat the receiver cannot absorb.
alerts = set(accepted.values())
rules = {rule for _, rule in alerts}
print(f"receiver: {requests} requests, {len(accepted)} distinct webhook-ids, "
      f"{len({event for event, _ in alerts})} distinct events, rules {sorted(rules)}")
check(len(accepted) == len(alerts) == len(expected) * len(rules),
      f"every alert accepted exactly once: {len(accepted)} webhook-ids for {len(expected)} events "
      f"x {len(rules)} rules")
if failures:
    print(f"{len(failures)} check(s) failed; daemon log: {log_path}")
    sys.exit(1)
shutil.rmtree(root)
print("chaos: all checks passed")
