#!/usr/bin/env python3
"""Decode rate of `genuine decode` on the shared real-photo corpus, per folder (0° only).

Usage: benchmarks/eval_corpus.py [--binary .build/release/genuine] [--root ../shared/testimages/zxing-cpp]
Prints decoded/total per folder, the failures, and any result on the false-positive folders.
"""
import argparse, json, os, subprocess, sys, time

FOLDERS = ["qrcode-1", "qrcode-2", "qrcode-3", "qrcode-4", "qrcode-5", "qrcode-6"]
ZXING = {"qrcode-1": 8, "qrcode-2": 53, "qrcode-3": 18, "qrcode-4": 15, "qrcode-5": 16, "qrcode-6": 15}


def expected(path):
    stem = os.path.splitext(path)[0]
    if os.path.exists(stem + ".txt"):
        with open(stem + ".txt", "rb") as f:
            return ("text", f.read().decode("utf-8"))
    if os.path.exists(stem + ".bin"):
        with open(stem + ".bin", "rb") as f:
            return ("bin", f.read())
    return None


def images(folder):
    return sorted(os.path.join(folder, n) for n in os.listdir(folder)
                  if n.lower().endswith((".png", ".jpg", ".jpeg")))


def decode(binary, files):
    out = subprocess.run([binary, "decode", "--json", *files], capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(here, "..", ".build", "release", "genuine"))
    ap.add_argument("--root", default=os.path.join(here, "..", "..", "shared", "testimages", "zxing-cpp"))
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
            exp = expected(path)
            texts = [c["text"] for c in r.get("codes", [])]
            good = exp is not None and exp[0] == "text" and exp[1] in texts
            ok += good
            if not good and args.verbose:
                print(f"  MISS {os.path.basename(path)}: got {texts!r:.80} {r.get('diagnosis', '')}")
        total_ok += ok
        total += len(files)
        print(f"{name}: {ok}/{len(files)} (zxing-cpp {ZXING[name]}) {dt*1000/len(files):.1f} ms/image")
    print(f"qrcode-1..6: {total_ok}/{total} (zxing-cpp 125)")
    for name in ["falsepositives-1", "falsepositives-2"]:
        files = images(os.path.join(args.root, name))
        results = decode(args.binary, files)
        hits = [(os.path.basename(p), [c["text"] for c in r["codes"]]) for p, r in zip(files, results) if r.get("codes")]
        print(f"{name}: {len(hits)} false positives {hits}")


if __name__ == "__main__":
    main()
