"""The demo registry and a running `genuine serve` on it, shared by the page test
(Tests/e2e/test_page.py) and the load test (benchmarks/load_test.py). Standard library only."""
import os
import re
import subprocess
import threading
import time


def make_demo(genuine, folder):
    """`genuine demo` into `folder`; returns the database path and the photo folder."""
    db = os.path.join(folder, "genuine.sqlite")
    photos = os.path.join(folder, "photos")
    subprocess.run([genuine, "demo", "--db", db, "--photos", photos], check=True, stdout=subprocess.DEVNULL)
    return db, photos


def start_server(genuine, db, data, timeout=60):
    """Starts `genuine serve` on a free loopback port; returns the process, its host, port and
    base URL (`http://host:port/`) once it reports listening."""
    process = subprocess.Popen([genuine, "serve", "--db", db, "--data", data, "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(r"listening on (http://([\d.]+):(\d+)/)", line)
        if match:
            # Keep draining the server's output so it never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, match.group(2), int(match.group(3)), match.group(1)
    process.kill()
    raise SystemExit("genuine serve did not report its address")
