#!/usr/bin/env python3
"""Decode rate on the project's synthetic stress set: `genuine` beside zxing-cpp, per category and grade.

Usage: benchmarks/stress_compare.py [--no-build] [--binary .build/release/genuine] [--out DIR] [--results FILE]

Builds the release binary (unless --no-build), renders the stress set with `genuine stress-set`
(the images are identical on every run), decodes every image with `genuine decode --json` and with
zxing-cpp (PyPI `zxing-cpp`, installed into benchmarks/.venv on first use), and writes a Markdown
table per category to benchmarks/results/stress.md.

A case counts as read when every expected text was decoded; in the no-code category a case
counts as read when nothing at all was decoded. Decoded texts that are not expected are counted
as false results.
"""
import argparse, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(HERE, ".venv")


def ensure_zxing():
    """Re-run this script under benchmarks/.venv, creating it with zxing-cpp and Pillow if needed."""
    try:
        import zxingcpp, PIL  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        subprocess.run([python, "-m", "pip", "install", "-q", "zxing-cpp", "pillow"], check=True)
        return
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "zxing-cpp", "pillow"], check=True)
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


def decode_ours(binary, files):
    """One `genuine decode --json` run per chunk of files; returns decoded texts per file and seconds."""
    texts, seconds = [], 0.0
    for start in range(0, len(files), 50):
        chunk = files[start:start + 50]
        t0 = time.perf_counter()
        out = subprocess.run([binary, "decode", "--json", *chunk], capture_output=True, text=True)
        seconds += time.perf_counter() - t0
        lines = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        if len(lines) != len(chunk):
            sys.exit(f"genuine decode printed {len(lines)} results for {len(chunk)} files:\n{out.stderr}")
        texts += [[c["text"] for c in r.get("codes", [])] for r in lines]
    return texts, seconds


def decode_zxing(files):
    import zxingcpp
    from PIL import Image
    fmt = getattr(zxingcpp.BarcodeFormat, "QRCode", None)
    texts, seconds = [], 0.0
    for path in files:
        t0 = time.perf_counter()
        image = Image.open(path).convert("L")
        found = zxingcpp.read_barcodes(image, formats=fmt) if fmt is not None else zxingcpp.read_barcodes(image)
        seconds += time.perf_counter() - t0
        texts.append([b.text for b in found if b.valid] if found else [])
    return texts, seconds


def judge(expected, decoded):
    """(read, false results) for one case."""
    false = [t for t in decoded if t not in expected]
    if not expected:
        return (len(decoded) == 0, len(false))
    return (all(t in decoded for t in expected), len(false))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "genuine"))
    ap.add_argument("--out", default=os.path.join(HERE, ".stress-set"))
    ap.add_argument("--results", default=os.path.join(HERE, "results", "stress.md"))
    ap.add_argument("--no-build", action="store_true", help="use the existing binary")
    ap.add_argument("--category", help="only these categories (comma-separated)")
    args = ap.parse_args()
    ensure_zxing()
    import zxingcpp

    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True)
    os.makedirs(args.out, exist_ok=True)
    command = [args.binary, "stress-set", "--out", args.out]
    if args.category:
        command += ["--category", args.category]
    t0 = time.perf_counter()
    subprocess.run(command, check=True)
    render_seconds = time.perf_counter() - t0
    with open(os.path.join(args.out, "manifest.json"), encoding="utf-8") as f:
        cases = json.load(f)
    files = [os.path.join(args.out, c["file"]) for c in cases]

    ours, ours_s = decode_ours(args.binary, files)
    theirs, theirs_s = decode_zxing(files)

    # category -> grade -> counters, in manifest order.
    table = {}
    for case, a, b in zip(cases, ours, theirs):
        rows = table.setdefault(case["category"], {})
        row = rows.setdefault(case["grade"], {"parameter": case["parameter"], "n": 0, "ours": 0, "zx": 0,
                                               "ours_false": 0, "zx_false": 0, "missed": []})
        ok_a, false_a = judge(case["expected"], a)
        ok_b, false_b = judge(case["expected"], b)
        row["n"] += 1
        row["ours"] += ok_a
        row["zx"] += ok_b
        row["ours_false"] += false_a
        row["zx_false"] += false_b
        if not ok_a:
            row["missed"].append(case["file"])

    version = getattr(zxingcpp, "__version__", None) or subprocess.run(
        [sys.executable, "-m", "pip", "show", "zxing-cpp"], capture_output=True, text=True
    ).stdout.split("Version: ")[-1].split("\n")[0]
    out = ["# Stress set: genuine vs zxing-cpp", "",
           f"{len(cases)} synthetic package photos from `genuine stress-set` (fixed seeds), "
           f"decoded by `genuine decode --json` (release build) and zxing-cpp {version} "
           "(Python binding, QR only, default options: try rotate / invert / downscale). "
           "A case is read when every expected text was decoded; in `no-code` when nothing was decoded. "
           "Generated by `benchmarks/stress_compare.py`.", ""]
    total_a = sum(r["ours"] for rows in table.values() for r in rows.values())
    total_b = sum(r["zx"] for rows in table.values() for r in rows.values())
    out += ["## Summary", "", "| category | images | genuine | zxing-cpp | false results (genuine / zxing-cpp) |",
            "|---|---:|---:|---:|---:|"]
    for category, rows in table.items():
        n = sum(r["n"] for r in rows.values())
        a = sum(r["ours"] for r in rows.values())
        b = sum(r["zx"] for r in rows.values())
        fa = sum(r["ours_false"] for r in rows.values())
        fb = sum(r["zx_false"] for r in rows.values())
        out.append(f"| {category} | {n} | {a} | {b} | {fa} / {fb} |")
    out.append(f"| **all** | {len(cases)} | **{total_a}** | **{total_b}** | |")
    out += ["", f"Time, all images, single thread, load + decode: genuine {ours_s:.1f} s "
            f"({ours_s * 1000 / len(cases):.0f} ms/image, process start included), zxing-cpp {theirs_s:.1f} s "
            f"({theirs_s * 1000 / len(cases):.0f} ms/image). Rendering the set took {render_seconds:.1f} s.", ""]
    for category, rows in table.items():
        out += [f"## {category}", "", "| grade | parameter | images | genuine | zxing-cpp |", "|---:|---|---:|---:|---:|"]
        for grade, r in sorted(rows.items()):
            mark_a = f"**{r['ours']}**" if r["ours"] > r["zx"] else str(r["ours"])
            mark_b = f"**{r['zx']}**" if r["zx"] > r["ours"] else str(r["zx"])
            false = ""
            if r["ours_false"] or r["zx_false"]:
                false = f" (false: {r['ours_false']} / {r['zx_false']})"
            out.append(f"| {grade} | {r['parameter']} | {r['n']} | {mark_a} | {mark_b}{false} |")
        out.append("")
    text = "\n".join(out)
    os.makedirs(os.path.dirname(args.results), exist_ok=True)
    with open(args.results, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
