"""Shared by the benchmark scripts: the venv with the peer readers, rendering the stress set and
the size ladder with `genuine stress-set`, running `genuine decode --json`, expected texts of
the real photos, and grading a case.

A case is read when every expected text was decoded; a case without expected texts (the
no-code category, false-positive photos) is read when nothing at all was decoded. Decoded texts
that are not expected are counted as false results.
"""
import json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")
VENV_PYTHON = os.path.join(VENV, "bin", "python")
DEFAULT_BINARY = os.path.join(ROOT, ".build", "release", "genuine")
DEFAULT_PHOTOS = os.path.join(ROOT, "..", "shared", "testimages", "zxing-cpp")


def ensure_venv(packages, modules, script):
    """Re-run `script` under benchmarks/.venv, creating it and installing `packages` when one of
    `modules` cannot be imported there. Returns only when running with every module importable."""
    try:
        for module in modules:
            __import__(module)
        return
    except ImportError as error:
        if os.environ.get("GENUINE_BENCH_INSTALLED") == "1":
            sys.exit(f"{error} even after installing {' '.join(packages)} into {VENV}")
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        os.environ["GENUINE_BENCH_INSTALLED"] = "1"
        subprocess.run([VENV_PYTHON, "-m", "pip", "install", "-q", *packages], check=True)
    elif not os.path.exists(VENV_PYTHON):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    # Starts over in the venv, which installs what is still missing there.
    os.execv(VENV_PYTHON, [VENV_PYTHON, os.path.abspath(script), *sys.argv[1:]])


def render(binary, out, extra=()):
    """Renders with `genuine stress-set --out OUT EXTRA...`; returns (cases of manifest.json, seconds)."""
    os.makedirs(out, exist_ok=True)
    t0 = time.perf_counter()
    subprocess.run([binary, "stress-set", "--out", out, *extra], check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - t0
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        cases = json.load(f)
    for case in cases:
        case["path"] = os.path.join(out, case["file"])
    return cases, seconds


def decode_ours(binary, files, timings=False, chunk=50):
    """`genuine decode --json` over `files`, `chunk` files per process, one file at a time inside.

    Returns (one result object per file, [(files in the process, wall seconds of the process)]).
    """
    results, processes = [], []
    for start in range(0, len(files), chunk):
        part = files[start:start + chunk]
        command = [binary, "decode", "--json", *(["--timings"] if timings else []), *part]
        t0 = time.perf_counter()
        out = subprocess.run(command, capture_output=True, text=True)
        processes.append((len(part), time.perf_counter() - t0))
        lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        if len(lines) != len(part):
            sys.exit(f"genuine decode printed {len(lines)} results for {len(part)} files:\n{out.stderr}")
        results += lines
    return results, processes


def texts(result):
    """The decoded texts of one `genuine decode --json` result."""
    return [c["text"] for c in result.get("codes", [])]


def judge(expected, decoded):
    """(read, false results) for one case."""
    false = [t for t in decoded if t not in expected]
    if not expected:
        return (len(decoded) == 0, len(false))
    return (all(t in decoded for t in expected), len(false))


def expected_text(path):
    """The exact text a real photo holds (its NAME.txt, read whole as UTF-8), or None."""
    stem = os.path.splitext(path)[0]
    if not os.path.exists(stem + ".txt"):
        return None
    with open(stem + ".txt", "rb") as f:
        return f.read().decode("utf-8")


def images(folder):
    """The PNG and JPEG files of a folder, sorted."""
    return sorted(os.path.join(folder, n) for n in os.listdir(folder)
                  if n.lower().endswith((".png", ".jpg", ".jpeg")))
