"""Turns one `bench.py` run into benchmarks/results/: the raw JSON, a Markdown report and two charts."""
import json, os, re

OURS = "genuine"
BASELINE = "zxing-cpp"
STAGES = ["load", "binarize", "locate", "sample", "reedSolomon", "bitstream"]
SET_TITLES = {"corpus": "real photos (zxing-cpp samples)", "stress": "stress set", "ladder": "size ladder"}


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def groups(items):
    """Group names in first-seen order."""
    seen = []
    for item in items:
        if item["group"] not in seen:
            seen.append(item["group"])
    return seen


def summarize(run):
    """Aggregates the raw records: per set and group, per reader, read counts and times (ms)."""
    summary = {}
    for set_name, data in run["sets"].items():
        items, results = data["items"], data["results"]
        per_set = {"groups": {}, "overall": {}}
        for group in groups(items):
            idx = [i for i, item in enumerate(items) if item["group"] == group]
            per_set["groups"][group] = {reader: stats([records[i] for i in idx]) for reader, records in results.items()}
        per_set["overall"] = {reader: stats(records) for reader, records in results.items()}
        # Images without a code cost some readers far more (the search runs to its end): apart.
        per_set["parts"] = {}
        for part, wanted in (("with a code", True), ("without a code", False)):
            idx = [i for i, item in enumerate(items) if bool(item["expected"]) == wanted]
            if idx and len(idx) < len(items):
                per_set["parts"][part] = {r: stats([rec[i] for i in idx]) for r, rec in results.items()}
        if set_name == "corpus":
            per_set["rotations"] = {}
            for degrees in sorted({i["rotation"] for i in items}):
                idx = [i for i, item in enumerate(items) if item["rotation"] == degrees and item["expected"]]
                per_set["rotations"][degrees] = {r: stats([rec[i] for i in idx]) for r, rec in results.items()}
        summary[set_name] = per_set
    return summary


def stats(records):
    decode = [r["decode"] * 1000 for r in records]
    full = [r["load_decode"] * 1000 for r in records]
    out = {"read": sum(1 for r in records if r["read"]), "total": len(records),
           "false": sum(r["false"] for r in records),
           "decode_median": percentile(decode, 50), "decode_p90": percentile(decode, 90),
           "load_decode_median": percentile(full, 50), "load_decode_p90": percentile(full, 90)}
    if records and "stages" in records[0]:
        out["stages_median"] = {s: percentile([r["stages"][s] for r in records], 50) for s in STAGES}
    return out


def ladder_label(item):
    """A ladder row's name: its megapixels, and whether the photo is the one without a code."""
    return f"{item['megapixels']} MP" + ("" if item["expected"] else ", no code")


def ms(value):
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def with_ratio(value, baseline):
    if baseline is None or baseline <= 0:
        return ms(value)
    ratio = value / baseline
    return f"{ms(value)} (×{ratio:.2f})" if ratio < 1 else f"{ms(value)} (×{ratio:.1f})" if ratio < 10 else f"{ms(value)} (×{ratio:.0f})"


def markdown(run, summary, json_name, charts):
    readers = run["readers"]
    m = run["machine"]
    lines = ["# Decode rate and speed: genuine beside zxing-cpp, ZBar, OpenCV and quirc", "",
             f"Run {run['date']} by `{run['command']}` ({run['seconds']:.0f} s). Raw figures: `{json_name}`.", "",
             f"Machine: {m.get('cpu', '?')}, {m.get('cores')} cores, {m.get('memory_gib', '?')} GiB, {m.get('platform')}; "
             f"load average at start {', '.join(f'{x:.1f}' for x in m.get('load_average_at_start', []))}."
             + (f" {run['note']}" if run["note"] else ""), "",
             "Versions: " + "; ".join(f"{k} {v}" for k, v in run["versions"].items()) + ".", "",
             "Every reader gets the same files, one image at a time on one thread, QR codes only. Peers are timed in "
             "one Python process: *decode* = the reader on a preloaded 8-bit gray array, *load + decode* = Pillow "
             "reading the file plus decode. Ours comes from `genuine decode --timings`: *decode* = total − load, "
             "*load + decode* = total. Times are milliseconds per image, median and p90 over the images; "
             f"(×r) is the ratio to {BASELINE}. A case is read when every expected text was decoded; where nothing is "
             "expected (no-code, false-positive photos) when nothing was decoded. (n false): decoded texts that are "
             "not expected (on the real photos: a second code in the same photo, or the right code's bytes mapped to "
             "other characters).", ""]

    lines += ["## Decode rate", ""]
    header = "| set | group | images | " + " | ".join(readers) + " |"
    rule = "|---|---|---:|" + "---:|" * len(readers)
    lines += [header, rule]
    for set_name, per_set in summary.items():
        for group, row in per_set["groups"].items():
            n = row[readers[0]]["total"]
            cells = []
            best = max(row[r]["read"] for r in readers)
            for r in readers:
                cell = f"{row[r]['read']}"
                if row[r]["read"] == best:
                    cell = f"**{cell}**"
                if row[r]["false"]:
                    cell += f" ({row[r]['false']} false)"
                cells.append(cell)
            lines.append(f"| {set_name} | {group} | {n} | " + " | ".join(cells) + " |")
        overall = per_set["overall"]
        lines.append(f"| **{set_name}** | **all** | {overall[readers[0]]['total']} | "
                     + " | ".join(f"**{overall[r]['read']}**" for r in readers) + " |")
    if "corpus" in summary and len(summary["corpus"]["rotations"]) > 1:
        lines += ["", "Real photos with a code (qrcode-1…6) by rotation:", "",
                  "| rotation | images | " + " | ".join(readers) + " |", "|---:|---:|" + "---:|" * len(readers)]
        for degrees, row in summary["corpus"]["rotations"].items():
            lines.append(f"| {degrees}° | {row[readers[0]]['total']} | " + " | ".join(str(row[r]["read"]) for r in readers) + " |")

    lines += ["", "## Time per image (ms, single thread)", "",
              "| set | reader | decode median | decode p90 | load + decode median | load + decode p90 |",
              "|---|---|---:|---:|---:|---:|"]
    for set_name, per_set in summary.items():
        if set_name == "ladder":
            continue
        for part, row in [("all", per_set["overall"])] + list(per_set.get("parts", {}).items()):
            time_rows(lines, f"{set_name}, {part}", row, readers)

    if "ladder" in run["sets"]:
        data = run["sets"]["ladder"]
        lines += ["", f"Size ladder: one scene at each size, and photos of finder-like clutter without a code, median of "
                  f"{run['ladder_repeats']} run(s); decode / load + decode:", "",
                  "| photo | " + " | ".join(readers) + " |", "|---|" + "---|" * len(readers)]
        for i, item in enumerate(data["items"]):
            base = data["results"].get(BASELINE, [None] * len(data["items"]))[i]
            cells = []
            for r in readers:
                rec = data["results"][r][i]
                mark = "" if rec["read"] else " ✗"
                cells.append(f"{with_ratio(rec['decode'] * 1000, base and base['decode'] * 1000)} / "
                             f"{ms(rec['load_decode'] * 1000)}{mark}")
            lines.append(f"| {ladder_label(item)} | " + " | ".join(cells) + " |")
        lines += ["", "✗: not read (on a photo without a code: something was decoded)."]
    process_rows = [(s, d["process"]) for s, d in run["sets"].items() if d.get("process")]
    if process_rows:
        lines += ["", "Whole `genuine decode` processes (process start, file reading and JSON output included): "
                  + "; ".join(f"{s}: {p['images']} images in {p['processes']} processes, "
                              f"{p['seconds'] * 1000 / p['images']:.1f} ms/image" for s, p in process_rows) + "."]

    lines += ["", "## Where our time goes (median ms per stage)", "",
              "| set | " + " | ".join(STAGES) + " |", "|---|" + "---:|" * len(STAGES)]
    for set_name, per_set in summary.items():
        if set_name == "ladder":
            for i, item in enumerate(run["sets"]["ladder"]["items"]):
                st = run["sets"]["ladder"]["results"][OURS][i]["stages"]
                lines.append(f"| ladder {ladder_label(item)} | " + " | ".join(ms(st[s]) for s in STAGES) + " |")
        else:
            st = per_set["overall"][OURS]["stages_median"]
            lines.append(f"| {set_name} | " + " | ".join(ms(st[s]) for s in STAGES) + " |")
    lines += ["", "The reader's stages can run several times per image (threshold hypotheses, pyramid levels, "
              "inverted pass); each column is the sum for one image. *decode* (format, unmasking, Reed–Solomon and "
              "bit stream together) is left out: Reed–Solomon and bit stream are its parts."]

    if "memory_kib" in run:
        labels = []
        for row in run["memory_kib"].values():
            labels += [label for label in row if label not in labels]
        lines += ["", "## Peak memory (resident, MiB, one process)", "",
                  "| reader | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
        for r, row in run["memory_kib"].items():
            lines.append(f"| {r} | " + " | ".join(f"{row[l] / 1024:.0f}" if l in row else "—" for l in labels) + " |")
        lines += ["", "Ours is the `genuine decode` process; a peer's is a Python process that imports its binding, "
                  "loads with Pillow and decodes (`import only`: the same process without an image)."]

    if "batch" in run:
        lines += ["", "## `genuine batch` throughput", ""]
        batch = run["batch"]
        if not batch.get("available"):
            lines.append(batch["note"] + ".")
        else:
            if "table" in batch:
                lines += [batch["table"].strip()]
            else:
                lines += ["```", json.dumps(batch.get("result", batch.get("output", batch.get("error"))), indent=1)[:3000], "```"]

    if "micro" in run:
        lines += ["", "## Kernel microbenchmarks (ordo-one/benchmark, `Benchmarks/QRKernels`)", "",
                  f"Mode: {run['micro']['mode']}.", ""]
        lines += [micro_markdown(run["micro"]["output"])]

    if charts:
        lines += ["", "## Charts", ""] + [f"![{title}]({os.path.basename(path)})" for title, path in charts]
    return "\n".join(lines) + "\n"


def time_rows(lines, label, row, readers):
    base = row.get(BASELINE)
    for r in readers:
        s = row[r]
        lines.append(f"| {label} | {r} | "
                     + " | ".join(with_ratio(s[key], base and base[key])
                                  for key in ("decode_median", "decode_p90", "load_decode_median", "load_decode_p90"))
                     + " |")


def micro_markdown(output):
    """The plugin's per-benchmark Markdown tables, without its banner, progress lines and colours."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", output)
    kept = []
    for line in text.splitlines():
        if line.startswith("### "):
            kept += ["", f"**{line[4:].strip()}**", ""]
        elif line.startswith("|"):
            kept.append(line)
    return "\n".join(kept).strip() if kept else "```\n" + text.strip()[-4000:] + "\n```"


def charts(run, summary, results_dir):
    import matplotlib, matplotlib.ticker
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    readers = run["readers"]
    colours = dict(zip(readers, ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"]))
    markers = dict(zip(readers, ["o", "s", "^", "D", "v"]))
    made = []

    panels = [(set_name, group, row) for set_name in ("corpus", "stress") if set_name in summary
              for group, row in summary[set_name]["groups"].items()]
    if panels:
        columns = 5
        rows = (len(panels) + columns - 1) // columns
        height = 2.6 * rows + 0.9
        fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, height), squeeze=False)
        for ax, (set_name, group, row) in zip(axes.flat, panels):
            for r in readers:
                s = row[r]
                ax.scatter(max(s["decode_median"], 0.01), 100 * s["read"] / s["total"], color=colours[r], marker=markers[r],
                           s=45, label=r, zorder=3)
            ax.set_xscale("log")
            # Minor-tick labels pile up on the narrow log ranges.
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            ax.set_ylim(-5, 105)
            ax.set_title(f"{group}" + (" (4 rot.)" if set_name == "corpus" and len(summary["corpus"]["rotations"]) > 1 else ""),
                         fontsize=9)
            ax.grid(True, which="both", alpha=0.3)
            ax.tick_params(labelsize=7)
        for ax in list(axes.flat)[len(panels):]:
            ax.axis("off")
        for ax in axes[:, 0]:
            ax.set_ylabel("% read", fontsize=8)
        for ax in axes[-1, :]:
            ax.set_xlabel("median decode ms / image", fontsize=8)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 1 - 0.4 / height), ncol=len(readers),
                   fontsize=9, frameon=False)
        fig.suptitle("Decode rate against median decode time, per folder / stress category "
                     "(no-code, false positives: % with nothing decoded)", fontsize=11)
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.75 / height))
        path = os.path.join(results_dir, "bench-rate-vs-time.png")
        fig.savefig(path, dpi=90)
        plt.close(fig)
        made.append(("decode rate against time per category", path))

    if "ladder" in run["sets"]:
        data = run["sets"]["ladder"]
        # The scene with a code only: the photos without one are in the report's table.
        scene = [i for i, item in enumerate(data["items"]) if item["expected"]]
        mp = [data["items"][i]["megapixels"] for i in scene]
        fig, ax = plt.subplots(figsize=(7.5, 5))
        for r in readers:
            recs = [data["results"][r][i] for i in scene]
            ax.plot(mp, [x["decode"] * 1000 for x in recs], color=colours[r], marker=markers[r], label=f"{r} decode")
            ax.plot(mp, [x["load_decode"] * 1000 for x in recs], color=colours[r], linestyle="--", alpha=0.6,
                    label=f"{r} load + decode")
            for x, rec in zip(mp, recs):
                if not rec["read"]:
                    ax.scatter(x, rec["decode"] * 1000, color=colours[r], marker="x", s=90, zorder=4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("megapixels (same scene, JPEG q90)")
        ax.set_ylabel("ms per image (median)")
        ax.set_title("Time against image size (× = not read)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, ncol=2)
        fig.tight_layout()
        path = os.path.join(results_dir, "bench-time-vs-megapixels.png")
        fig.savefig(path, dpi=90)
        plt.close(fig)
        made.append(("time against megapixels", path))
    return made


def write(run, results_dir):
    """Writes the JSON (named by the run's date), bench.md and the charts; returns their paths."""
    os.makedirs(results_dir, exist_ok=True)
    summary = summarize(run)
    stamp = run["date"].replace(":", "").replace("-", "").split("+")[0]
    json_path = os.path.join(results_dir, f"bench-{stamp}.json")
    raw = dict(run, summary=summary)  # a stored run's old summary is replaced
    raw["sets"] = {name: dict(data, items=[{k: v for k, v in item.items() if k != "path"} for item in data["items"]])
                   for name, data in run["sets"].items()}
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(rounded(raw), f, indent=None, separators=(",", ":"))
        f.write("\n")
    made = charts(run, summary, results_dir)
    md_path = os.path.join(results_dir, "bench.md")
    with open(md_path, "w", encoding="utf-8") as f:
        f.write(markdown(run, summary, os.path.basename(json_path), made))
    return [json_path, md_path] + [path for _, path in made]


def rounded(value):
    """Floats to 6 decimals (microseconds for seconds), in nested lists and dicts."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return value


def check(run, written):
    """The smoke test's assertions: every part produced figures and every file is there."""
    assert all(os.path.getsize(p) > 0 for p in written), written
    raw = json.load(open(written[0], encoding="utf-8"))
    for set_name, data in raw["sets"].items():
        for reader in run["readers"]:
            records = data["results"][reader]
            assert len(records) == len(data["items"]), (set_name, reader)
            assert all(r["decode"] >= 0 and r["load_decode"] >= r["decode"] for r in records), (set_name, reader)
        for reader in (OURS, BASELINE):
            assert raw["summary"][set_name]["overall"][reader]["read"] > 0, f"{reader} read nothing in {set_name}"
    report = open(written[1], encoding="utf-8").read()
    for heading in ["## Decode rate", "## Time per image", "## Where our time goes"]:
        assert heading in report, heading
    if "ladder" in raw["sets"]:
        assert any(not item["expected"] for item in raw["sets"]["ladder"]["items"]), "no photo without a code in the ladder"
        assert ", no code |" in report, "the ladder's photo without a code is not in the report"
    if "micro" in run:
        for name in ["threshold.localMean", "locate.finderSearch", "reedSolomon.decode"]:
            assert name in run["micro"]["output"], f"microbenchmark {name} did not run"
    assert sum(p.endswith(".png") for p in written) == 2, written
