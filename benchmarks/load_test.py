#!/usr/bin/env python3
"""Load test of `genuine serve` on loopback: N concurrent clients upload the demo photos.

Creates the demo registry and photos with `genuine demo` in a temporary folder, starts
`genuine serve` on a free port, then runs --clients threads for --duration seconds. Each client
keeps one connection and uploads the six demo photos in turn as its own consumer; every tenth
upload is sent a second time with the same Idempotency-Key, as a phone retrying after a dropped
answer would. Afterwards it checks, against the SQLite database itself:

- every request was answered (no connection error, no timeout, only 201 and replay 200);
- every scan id answered is recorded exactly once, with the verdict that was answered;
- the scans table grew by exactly the number of 201 answers (replays recorded nothing);
- /healthz still answers 200.

Writes throughput and latency percentiles to --out (Markdown). Standard library only.

Usage: load_test.py [--genuine .build/release/genuine] [--clients 200] [--duration 20]
"""
import argparse
import http.client
import json
import os
import platform
import sqlite3
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone

from demo_service import make_demo, start_server

HERE = os.path.dirname(os.path.abspath(__file__))
PHOTOS = ["genuine.png", "forged.png", "cloned.png", "recalled.png", "unknown.png", "unreadable.jpg"]
BOUNDARY = "genuine-load-" + uuid.uuid4().hex


def multipart(name, data):
    kind = "image/jpeg" if name.endswith(".jpg") else "image/png"
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{name}\"\r\n"
            f"Content-Type: {kind}\r\n\r\n").encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.statuses = {}
        self.errors = []
        self.answered = {}  # scan id -> verdict, from 201 answers
        self.replays = 0
        self.replay_mismatches = 0

    def add(self, status, seconds):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(seconds)


def client_loop(index, host, port, bodies, deadline, results):
    connection = http.client.HTTPConnection(host, port, timeout=120)
    sent = 0
    while time.time() < deadline:
        name, body = bodies[(index + sent) % len(bodies)]
        sent += 1
        key = uuid.uuid4().hex if sent % 10 == 0 else None
        attempts = 2 if key else 1
        first_scan = None
        for attempt in range(attempts):
            headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Verifier-Id": f"load-client-{index}"}
            if key:
                headers["Idempotency-Key"] = key
            start = time.perf_counter()
            try:
                connection.request("POST", "/v1/verifications", body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except Exception as error:  # every failure is a finding: reported, never retried silently
                with results.lock:
                    results.errors.append(f"{name}: {type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=120)
                break
            results.add(response.status, time.perf_counter() - start)
            if response.status not in (200, 201):
                with results.lock:
                    results.errors.append(f"{name}: HTTP {response.status}: {payload[:200]!r}")
                continue
            document = json.loads(payload)
            with results.lock:
                if attempt == 0:
                    if response.status != 201:
                        results.errors.append(f"{name}: first answer was {response.status}")
                    results.answered[document["scanId"]] = document["verdict"]
                    first_scan = document["scanId"]
                else:
                    results.replays += 1
                    if response.status != 200 or document["scanId"] != first_scan:
                        results.replay_mismatches += 1
    connection.close()


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--genuine", default=".build/release/genuine")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--out", default=os.path.join(HERE, "results", "load.md"))
    args = parser.parse_args()
    genuine = os.path.abspath(args.genuine)

    with tempfile.TemporaryDirectory(prefix="genuine-load-") as folder:
        db, photos = make_demo(genuine, folder)
        bodies = [(name, multipart(name, open(os.path.join(photos, name), "rb").read())) for name in PHOTOS]
        with sqlite3.connect(db) as connection:
            scans_before = connection.execute("SELECT count(*) FROM scans").fetchone()[0]
        server, host, port, _ = start_server(genuine, db, os.path.join(folder, "data"))
        try:
            results = Results()
            load_before = os.getloadavg()
            started = time.time()
            deadline = started + args.duration
            threads = [threading.Thread(target=client_loop, args=(i, host, port, bodies, deadline, results))
                       for i in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.time() - started
            load_after = os.getloadavg()

            health = http.client.HTTPConnection(host, port, timeout=30)
            health.request("GET", "/healthz")
            health_status = health.getresponse().status
            health.close()
        finally:
            server.terminate()
            server.wait(timeout=30)

        with sqlite3.connect(db) as connection:
            scans_after = connection.execute("SELECT count(*) FROM scans").fetchone()[0]
            recorded = dict(connection.execute(
                "SELECT s.id, v.verdict FROM scans s JOIN verdicts v ON v.scan_id = s.id").fetchall())
            stored_photos = sum(len(files) for _, _, files in os.walk(os.path.join(folder, "data", "photos")))

    missing = [scan for scan in results.answered if scan not in recorded]
    changed = [scan for scan, verdict in results.answered.items() if recorded.get(scan) not in (None, verdict)]
    new_scans = scans_after - scans_before
    uploads = sum(results.statuses.values())
    verdicts = {}
    for verdict in results.answered.values():
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    checks = {
        "every request answered (no connection error or timeout, only 201 and replay 200)": not results.errors,
        "every answered scan recorded exactly once, with the verdict answered": not missing and not changed,
        "scans table grew by exactly the number of 201 answers": new_scans == len(results.answered),
        "replays answered 200 with the first scan id": results.replay_mismatches == 0,
        "/healthz answers 200 afterwards": health_status == 200,
    }
    p50, p90, p99 = (percentile(results.latencies, f) * 1000 for f in (0.5, 0.9, 0.99))
    lines = [
        "# Upload service under load",
        "",
        f"`python3 benchmarks/load_test.py --clients {args.clients} --duration {args.duration:g}` against "
        f"`{os.path.relpath(genuine)}` on loopback, {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}.",
        f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), load average "
        f"{load_before[0]:.1f} before and {load_after[0]:.1f} after (other builds may share the cores); "
        "the Python clients run on the same cores as the server.",
        "",
        f"- {args.clients} concurrent clients, {elapsed:.1f} s, {uploads} requests "
        f"({len(results.answered)} verifications + {results.replays} idempotent replays)",
        f"- throughput: **{uploads / elapsed:.1f} requests/s** (demo photos: five 1280×960 PNG of about 700 kB, one JPEG of 125 kB)",
        f"- latency: p50 **{p50:.0f} ms**, p90 {p90:.0f} ms, p99 **{p99:.0f} ms**, max {max(results.latencies, default=0) * 1000:.0f} ms",
        f"- status codes: {', '.join(f'{code}: {count}' for code, count in sorted(results.statuses.items()))}",
        f"- verdicts: {', '.join(f'{v}: {c}' for v, c in sorted(verdicts.items()))}",
        f"- scans recorded: {new_scans}; photos stored (content-addressed, distinct): {stored_photos}",
        "",
        "| check | result |",
        "|---|---|",
    ] + [f"| {name} | {'pass' if ok else 'FAIL'} |" for name, ok in checks.items()]
    if results.errors:
        lines += ["", "First errors:", ""] + [f"- {error}" for error in results.errors[:10]]
    report = "\n".join(lines) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as handle:
        handle.write(report)
    print(report)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
