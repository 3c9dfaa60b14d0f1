#!/usr/bin/env python3
"""Photo loading speed (file -> 8-bit gray) of `genuine` beside Pillow, in one run.

Ours: `genuine decode --json --timings FILES...` (one process per pass over all files of a
folder), field timings.load in ms: reading the file plus decoding to gray. Pillow:
`Image.open(path).convert('L')` timed around the whole call (open reads the file too). Each
file's time is the best of --passes passes; passes of the two alternate so that machine load
hits both alike. Several --genuine binaries (e.g. before and after a change) can be given as
LABEL=PATH and are measured in the same run.

    benchmarks/.venv/bin/python benchmarks/load_compare.py \\
        --genuine before=/tmp/genuine-before --genuine after=.build/release/genuine
"""
import argparse
import os
import statistics
import sys
import time

from PIL import Image

from stress_common import DEFAULT_BINARY, DEFAULT_PHOTOS, decode_ours, images

DEFAULT_FOLDERS = ["qrcode-1", "qrcode-2", "qrcode-3", "qrcode-4", "qrcode-5", "qrcode-6",
                   "falsepositives-1", "falsepositives-2"]


def genuine_load_times(binary, files):
    """ms per file from one `genuine decode` process over all files (NaN where it failed to load)."""
    results, _ = decode_ours(binary, files, timings=True, chunk=len(files))
    return [r["timings"]["load"] if "timings" in r else float("nan") for r in results]


def pillow_load_times(files):
    result = []
    for f in files:
        start = time.perf_counter()
        with Image.open(f) as image:
            image.convert("L")
        result.append((time.perf_counter() - start) * 1000)
    return result


def summary(values):
    values = [v for v in values if v == v]
    return statistics.median(values), statistics.fmean(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--genuine", action="append", default=[],
                        help="LABEL=PATH of a genuine binary (repeatable); default ours=.build/release/genuine")
    parser.add_argument("--root", default=DEFAULT_PHOTOS)
    parser.add_argument("--folders", nargs="*", default=DEFAULT_FOLDERS)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--png-only", action="store_true", help="leave out JPEG files")
    args = parser.parse_args()
    binaries = [tuple(g.split("=", 1)) if "=" in g else ("ours", g) for g in args.genuine] or \
        [("ours", DEFAULT_BINARY)]
    if not os.path.isdir(args.root):
        sys.exit(f"no test images at {args.root}")

    groups = {"qrcode-1..6": [], "falsepositives-1/2": []}
    for folder in args.folders:
        files = images(os.path.join(args.root, folder))
        if args.png_only:
            files = [p for p in files if p.lower().endswith(".png")]
        groups["falsepositives-1/2" if folder.startswith("falsepositives") else "qrcode-1..6"].extend(files)

    labels = [label for label, _ in binaries] + ["pillow"]
    best = {label: {} for label in labels}
    for _ in range(args.passes):
        for group, files in groups.items():
            if not files:
                continue
            runs = [(label, genuine_load_times(path, files)) for label, path in binaries]
            runs.append(("pillow", pillow_load_times(files)))
            for label, times in runs:
                for f, t in zip(files, times):
                    previous = best[label].get(f)
                    best[label][f] = t if previous is None else min(previous, t)

    print(f"load time per file (ms), best of {args.passes}; median / mean")
    print(f"{'group':<20} {'files':>5} " + " ".join(f"{label:>18}" for label in labels))
    for group, files in groups.items():
        if not files:
            continue
        cells = []
        for label in labels:
            median, mean = summary([best[label][f] for f in files])
            cells.append(f"{median:8.3f} / {mean:7.3f}")
        print(f"{group:<20} {len(files):>5} " + " ".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    main()
