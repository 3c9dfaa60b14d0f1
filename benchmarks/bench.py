#!/usr/bin/env python3
"""`make bench`: decode rate and speed of `genuine` beside zxing-cpp, ZBar, OpenCV and quirc.

Usage: benchmarks/bench.py [--no-build] [--quick] [--only corpus,stress,ladder,memory,batch,micro]
                           [--results DIR] [--smoke]

On the same images, for our reader and each peer, one image at a time (single-threaded):
  corpus  the real photos of ../shared/testimages/zxing-cpp (qrcode-1…6, falsepositives-1/2) at
          0/90/180/270° (rotated losslessly into PNGs that every reader is given)
  stress  the project's stress set (`genuine stress-set`), every category, graded
  ladder  one scene at 0.3, 1, 3, 12, 24 and 48 MP (`genuine stress-set --size-ladder`, JPEG q90),
          and photos of finder-like clutter without a code at 3 and 12 MP (`--clutter-ladder`)
  memory  peak resident memory of a process reading the largest ladder image, the 12 MP photo
          without a code, and the corpus
  batch   `genuine batch` throughput with 1 and 2 jobs (benchmarks/batch_throughput.py), when built
  micro   the kernel microbenchmarks (Benchmarks/QRKernels, ordo-one/benchmark)
Peers run in this process (under benchmarks/.venv, created on first use): decode-only time on a
preloaded gray array, and load + decode from the file. Ours comes from `genuine decode --timings`:
decode-only = total − load, load + decode = total; the wall time of each decode process is kept too.

Writes benchmarks/results/bench-<date>.json (machine, versions, raw figures), bench.md and the
charts bench-rate-vs-time.png and bench-time-vs-megapixels.png. `--smoke` runs every part on a tiny
input into a temporary folder and checks the output (part of `make test`).
"""
import argparse, datetime, json, os, platform, shutil, subprocess, sys, tempfile, time

from stress_common import DEFAULT_BINARY, DEFAULT_PHOTOS, HERE, ROOT, decode_ours, ensure_venv, expected_text, images
from stress_common import judge, render, texts

PARTS = ["corpus", "stress", "ladder", "memory", "batch", "micro"]
CORPUS_FOLDERS = ["qrcode-1", "qrcode-2", "qrcode-3", "qrcode-4", "qrcode-5", "qrcode-6"]
FALSE_POSITIVE_FOLDERS = ["falsepositives-1", "falsepositives-2"]
ROTATIONS = [0, 90, 180, 270]
OURS = "genuine"


def ensure_debian_packages():
    """pyzbar loads Debian's libzbar0 at import; GNU time measures peak memory. Installs what is missing."""
    missing = []
    for package in ["libzbar0", "time"]:
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        if "install ok installed" not in status.stdout:
            missing.append(package)
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-q"], check=True)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", *missing], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


# ---------------------------------------------------------------------------------------------
# The images: items are dicts with set, group, path, expected texts and (per set) more keys.

def rotated_copy(source, degrees, out_dir):
    """`source` turned clockwise by `degrees`, losslessly, as a PNG in out_dir."""
    from PIL import Image
    os.makedirs(out_dir, exist_ok=True)
    target = os.path.join(out_dir, os.path.splitext(os.path.basename(source))[0] + ".png")
    if not os.path.exists(target):
        turn = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}[degrees]
        with Image.open(source) as image:
            if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
                image = image.convert("RGB")
            image.transpose(turn).save(target)
    return target


def corpus_items(root, work, folders, rotations):
    items = []
    for folder in folders:
        directory = os.path.join(root, folder)
        if not os.path.isdir(directory):
            continue
        for source in images(directory):
            text = expected_text(source)
            if text is None and folder not in FALSE_POSITIVE_FOLDERS:
                continue
            for degrees in rotations:
                path = source if degrees == 0 else rotated_copy(source, degrees, os.path.join(work, "rotated", folder, str(degrees)))
                items.append({"set": "corpus", "group": folder, "rotation": degrees, "path": path,
                              "name": os.path.basename(source), "expected": [text] if text is not None else []})
    return items


def rendered_items(binary, out, set_name, extra):
    cases, seconds = render(binary, out, extra)
    items = [{"set": set_name, "group": c["category"], "grade": c["grade"], "parameter": c["parameter"],
              "path": c["path"], "name": c["file"], "expected": c["expected"]} for c in cases]
    return items, seconds


def megapixels(path):
    from PIL import Image
    with Image.open(path) as image:
        return image.width * image.height / 1e6


# ---------------------------------------------------------------------------------------------
# Timing.

def run_ours(binary, items, repeats):
    """Our reader on every item, `repeats` times each (median kept), in `genuine decode` processes."""
    files = [path for item in items for path in [item["path"]] * repeats]
    results, processes = decode_ours(binary, files, timings=True)
    records = []
    for index, item in enumerate(items):
        runs = results[index * repeats:(index + 1) * repeats]
        if any("error" in r for r in runs):
            sys.exit(f"genuine decode could not read {item['path']}: {runs[0].get('error')}")
        totals = sorted(r["timings"]["total"] for r in runs)
        median_run = min(runs, key=lambda r: abs(r["timings"]["total"] - totals[len(totals) // 2]))
        t = median_run["timings"]
        records.append({"texts": texts(median_run), "decode": (t["total"] - t["load"]) / 1000,
                        "load_decode": t["total"] / 1000,
                        "stages": {k: v for k, v in t.items() if k != "total"}})
    process_seconds = sum(s for _, s in processes)
    return records, {"processes": len(processes), "images": len(files), "seconds": process_seconds}


def grade(items, records):
    for item, record in zip(items, records):
        record["read"], record["false"] = judge(item["expected"], record["texts"])
        del record["texts"]


def run_readers(readers, binary, items, repeats, log):
    """{reader: [record per item]} and our process wall time."""
    import peers
    table, process = {}, None
    for name in readers:
        t0 = time.perf_counter()
        if name == OURS:
            records, process = run_ours(binary, items, repeats)
        else:
            records = peers.time_peer(peers.by_name(name)(), [i["path"] for i in items], repeats)
        grade(items, records)
        table[name] = records
        log(f"    {name}: {sum(r['read'] for r in records)}/{len(records)} read, {time.perf_counter() - t0:.1f} s")
    return table, process


def peak_rss_kib(command):
    """Peak resident memory (KiB) of a process running `command`, as GNU time reports it.

    Not this process's own wait4: Linux carries the forking parent's peak (this Python process
    with its images) into the child's maximum at exec, so every reader would show the same figure.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        run = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *command],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if run.returncode != 0:
            sys.exit(f"{' '.join(command[:3])}… failed ({run.returncode}): {run.stderr[-500:]}")
        return int(report.read().split()[-1])


def measure_memory(readers, binary, inputs):
    """{reader: {input name: KiB}}; peers also get `import only` (the interpreter and the binding)."""
    peers_script = os.path.join(HERE, "peers.py")
    out = {}
    for name in readers:
        row = {}
        for label, files in inputs.items():
            if name == OURS:
                row[label] = peak_rss_kib([binary, "decode", "--json", *files])
            else:
                row[label] = peak_rss_kib([sys.executable, peers_script, name, *files])
        if name != OURS:
            row["import only"] = peak_rss_kib([sys.executable, peers_script, name])
        out[name] = row
    return out


# ---------------------------------------------------------------------------------------------
# Batch throughput and microbenchmarks: separate programs, their output kept as they give it.

def run_batch(binary, results_dir, log):
    helper = os.path.join(HERE, "batch_throughput.py")
    has_batch = subprocess.run([binary, "batch", "--help"], capture_output=True).returncode == 0
    if not has_batch or not os.path.exists(helper):
        log("    batch: not available in this build")
        return {"available": False, "note": "batch: not available in this build"}
    # batch_throughput.py prints its Markdown table and writes its figures to RESULTS/batch.json (the
    # smoke run's temporary folder: its debug-build figures must not replace the release ones).
    result = subprocess.run([sys.executable, helper, "--binary", binary, "--no-build", "--repeat", "1",
                             "--results", results_dir], capture_output=True, text=True)
    if result.returncode != 0:
        return {"available": True, "error": result.stderr[-2000:]}
    try:
        with open(os.path.join(results_dir, "batch.json")) as f:
            return {"available": True, "result": json.load(f), "table": result.stdout}
    except (OSError, json.JSONDecodeError):
        return {"available": True, "output": result.stdout[-4000:]}


def run_micro(smoke, log):
    """Release: the ordo-one/benchmark plugin's Markdown table. Smoke: the debug executable, 2 iterations."""
    if smoke:
        subprocess.run(["swift", "build", "--product", "QRKernels"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        binary = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        run = subprocess.run([os.path.join(binary, "QRKernels")], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "QRKERNELS_ITERATIONS": "2"})
        if run.returncode != 0:
            sys.exit(f"QRKernels failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
        return {"mode": "smoke (debug executable, 2 iterations)", "output": run.stdout}
    command = ["swift", "package", "--allow-writing-to-package-directory", "benchmark", "--target", "QRKernels",
               "--format", "markdown", "--path", "stdout", "--no-progress"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    log("    micro: done")
    return {"mode": "release, swift package benchmark", "command": " ".join(command), "output": run.stdout}


# ---------------------------------------------------------------------------------------------

def machine():
    info = {"platform": platform.platform(), "python": platform.python_version(), "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
        with open("/proc/meminfo") as f:
            info["memory_gib"] = round(int(f.readline().split()[1]) / 2**20, 1)
        info["load_average_at_start"] = os.getloadavg()
    except (OSError, StopIteration):
        pass
    return info


def swift_version():
    out = subprocess.run(["swift", "--version"], capture_output=True, text=True)
    return (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=DEFAULT_BINARY)
    ap.add_argument("--photos", default=DEFAULT_PHOTOS)
    ap.add_argument("--results", default=os.path.join(HERE, "results"))
    ap.add_argument("--work", default=os.path.join(HERE, ".bench-work"), help="rendered and rotated images")
    ap.add_argument("--only", default=",".join(PARTS), help="comma-separated parts: " + ",".join(PARTS))
    ap.add_argument("--quick", action="store_true", help="upright photos only, 4 stress categories, ladder to 12 MP, 1 run each")
    ap.add_argument("--smoke", action="store_true", help="every part on a tiny input, into a temporary folder; checks the output")
    ap.add_argument("--no-build", action="store_true", help="use the existing release binary")
    ap.add_argument("--note", default="", help="a remark for the report (e.g. what else ran on the machine)")
    ap.add_argument("--report-from", metavar="JSON", help="only rewrite the report and charts from a stored run")
    args = ap.parse_args()
    parts = [p for p in args.only.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        ap.error(f"unknown parts {sorted(unknown)}; known: {','.join(PARTS)}")

    import peers
    if args.report_from:
        ensure_venv(["matplotlib"], ["matplotlib"], __file__)
        import bench_report
        with open(args.report_from, encoding="utf-8") as f:
            for path in bench_report.write(json.load(f), args.results):
                print(f"wrote {path}")
        return
    ensure_debian_packages()
    ensure_venv(peers.PACKAGES, peers.MODULES, __file__)
    peers.single_thread_environment()
    import bench_report

    if args.smoke:
        scratch = tempfile.mkdtemp(prefix="genuine-bench-smoke-")
        args.results, args.work = os.path.join(scratch, "results"), os.path.join(scratch, "work")
        if args.binary == DEFAULT_BINARY:
            args.binary = os.path.join(ROOT, ".build", "debug", "genuine")
            subprocess.run(["swift", "build", "--product", "genuine"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    elif not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "genuine"], cwd=ROOT, check=True)

    started = time.perf_counter()
    log = lambda message: print(message, flush=True)
    readers = [OURS] + [p.name for p in peers.PEERS]
    repeats = 1 if args.quick or args.smoke else 3
    run = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "command": "python3 benchmarks/bench.py " + " ".join(sys.argv[1:]), "note": args.note,
           "machine": machine(), "versions": {OURS: swift_version() + ", release build", **peers.versions()},
           "readers": readers, "parts": parts, "quick": args.quick, "smoke": args.smoke,
           "ladder_repeats": repeats, "sets": {}}
    if args.smoke:
        run["versions"][OURS] = swift_version() + ", debug build (QRCode and Scenes -O)"

    if "corpus" in parts:
        folders = ["qrcode-1"] if args.smoke else CORPUS_FOLDERS + FALSE_POSITIVE_FOLDERS
        rotations = [0] if args.quick else ROTATIONS
        items = corpus_items(args.photos, args.work, folders, rotations)
        if not items:
            log(f"corpus: no photos under {args.photos}; skipped")
        else:
            log(f"corpus: {len(items)} images ({len(rotations)} rotations)")
            table, process = run_readers(readers, args.binary, items, 1, log)
            run["sets"]["corpus"] = {"items": items, "results": table, "process": process}

    if "stress" in parts:
        categories = "multiple" if args.smoke else ("perspective,blur,small-12mp,no-code" if args.quick else None)
        items, seconds = rendered_items(args.binary, os.path.join(args.work, "stress-set"), "stress",
                                        ["--category", categories] if categories else [])
        log(f"stress: {len(items)} images (rendered in {seconds:.0f} s)")
        table, process = run_readers(readers, args.binary, items, 1, log)
        run["sets"]["stress"] = {"items": items, "results": table, "process": process, "render_seconds": seconds}

    ladder_items = []
    if "ladder" in parts or "memory" in parts:
        sizes = "0.1,0.3" if args.smoke else ("0.3,1,3,12" if args.quick else "0.3,1,3,12,24,48")
        clutter_sizes = "0.1" if args.smoke else "3,12"
        ladder_items, seconds = rendered_items(args.binary, os.path.join(args.work, "size-ladder"), "ladder",
                                               ["--size-ladder", sizes, "--clutter-ladder", clutter_sizes])
        for item in ladder_items:
            item["megapixels"] = round(megapixels(item["path"]), 2)
    if "ladder" in parts:
        log(f"ladder: {len(ladder_items)} sizes, {repeats} run(s) each (rendered in {seconds:.0f} s)")
        table, process = run_readers(readers, args.binary, ladder_items, repeats, log)
        run["sets"]["ladder"] = {"items": ladder_items, "results": table, "process": process, "render_seconds": seconds}

    if "memory" in parts:
        with_code = [i for i in ladder_items if i["expected"]]
        without_code = [i for i in ladder_items if not i["expected"]]
        inputs = {f"largest ladder image ({with_code[-1]['megapixels']} MP)": [with_code[-1]["path"]]}
        if without_code:
            inputs[f"largest photo without a code ({without_code[-1]['megapixels']} MP)"] = [without_code[-1]["path"]]
        upright = [i["path"] for i in run["sets"].get("corpus", {}).get("items", []) if i["rotation"] == 0]
        if upright:
            inputs[f"upright corpus ({len(upright)} photos)"] = upright
        run["memory_kib"] = measure_memory(readers, args.binary, inputs)
        log("memory: done")

    if "batch" in parts:
        run["batch"] = run_batch(args.binary, args.results, log)
    if "micro" in parts:
        log("micro: running the kernel microbenchmarks")
        run["micro"] = run_micro(args.smoke, log)
    run["seconds"] = round(time.perf_counter() - started, 1)

    written = bench_report.write(run, args.results)
    for path in written:
        log(f"wrote {os.path.relpath(path, os.getcwd())}")
    if args.smoke:
        bench_report.check(run, written)
        shutil.rmtree(scratch, ignore_errors=True)
        print("bench smoke: ok")


if __name__ == "__main__":
    main()
