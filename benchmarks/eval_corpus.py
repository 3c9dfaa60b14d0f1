#!/usr/bin/env python3
"""Decode rate of `genuine decode` on the shared real-photo corpus, per folder (0° only).

Usage: benchmarks/eval_corpus.py [--binary .build/release/genuine] [--root ../shared/testimages/zxing-cpp]
Prints decoded/total per folder, the failures, and any result on the false-positive folders.
"""
import argparse, os, time

from stress_common import DEFAULT_BINARY, DEFAULT_PHOTOS, decode_ours, expected_text, images, texts

FOLDERS = ["qrcode-1", "qrcode-2", "qrcode-3", "qrcode-4", "qrcode-5", "qrcode-6"]
ZXING = {"qrcode-1": 8, "qrcode-2": 53, "qrcode-3": 18, "qrcode-4": 15, "qrcode-5": 16, "qrcode-6": 15}


def decode(binary, files):
    return decode_ours(binary, files, chunk=len(files) or 1)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=DEFAULT_BINARY)
    ap.add_argument("--root", default=DEFAULT_PHOTOS)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    total_ok = total = 0
    for name in FOLDERS:
        files = images(os.path.join(args.root, name))
        t0 = time.time()
        results = decode(args.binary, files)
        dt = time.time() - t0
        ok = 0
        for path, r in zip(files, results):
            exp = expected_text(path)
            found = texts(r)
            good = exp is not None and exp in found
            ok += good
            if not good and args.verbose:
                print(f"  MISS {os.path.basename(path)}: got {found!r:.80} {r.get('diagnosis', '')}")
        total_ok += ok
        total += len(files)
        print(f"{name}: {ok}/{len(files)} (zxing-cpp {ZXING[name]}) {dt*1000/len(files):.1f} ms/image")
    print(f"qrcode-1..6: {total_ok}/{total} (zxing-cpp 125)")
    for name in ["falsepositives-1", "falsepositives-2"]:
        files = images(os.path.join(args.root, name))
        results = decode(args.binary, files)
        hits = [(os.path.basename(p), texts(r)) for p, r in zip(files, results) if r.get("codes")]
        print(f"{name}: {len(hits)} false positives {hits}")


if __name__ == "__main__":
    main()
