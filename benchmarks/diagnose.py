"""Diagnose: speed at 100k and 1M rows, the prior estimate at scale, and how well the
label-noise suspects (cleanlab) find flipped labels, per class (issue 21, "Measure").

Parts:

* ``speed``: ``skewlearn.diagnose.diagnose`` on synthetic 100,000 x 20 and 1,000,000 x 20
  data (1:32), wall and CPU time per part, with what each part sampled; and ``shift`` of a
  100,000-row training table (1:28) against 100,000 new rows drawn at 1:300.
* ``noise``: on a few embedded KEEL sets, flip a known share of the minority labels and of
  the majority labels (seeded), run ``label_noise`` and score its suspects per direction:
  recall (flipped rows found) and precision (suspects of that given label that were flipped).
  The sets' own label noise, if any, counts against precision.

The machine is shared: the load average at start and end is in the output, and CPU time is
given beside wall time (one OpenMP thread: OMP_NUM_THREADS=1).

Example::

    python benchmarks/diagnose.py
    python benchmarks/diagnose.py --speed-only --sizes 1000000   # add a size to the record
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from sklearn.datasets import make_classification

import skewlearn
from skewlearn.datasets import load_dataset
from skewlearn.diagnose import diagnose, label_noise, shift

RESULTS = Path(__file__).parent / "results"
SETS = ("ecoli1", "glass1", "haberman", "pima", "vehicle1", "yeast1", "yeast3", "segment0",
        "abalone9_18")  # fmt: skip


def timed(call, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    value = call(*args, **kwargs)
    return value, time.perf_counter() - wall, time.process_time() - cpu


def speed_row(n: int, seed: int) -> dict:
    X, y = make_classification(n, 20, n_informative=8, weights=[0.97], flip_y=0.01,
                               random_state=seed)  # fmt: skip
    load = os.getloadavg()[0]
    diagnosis, wall, cpu = timed(diagnose, X, y, random_state=seed)
    noise = diagnosis.label_noise
    return {
        "rows": n,
        "features": 20,
        "minority": int(y.sum()),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "load_1min": round(load, 1),
        "parts_wall_s": {part: round(s, 1) for part, s in diagnosis.seconds.items()},
        "sampled": dict(diagnosis.complexity.sampled),
        "noise_fitted_rows": noise.fitted_rows,
        "noise_folds": noise.folds,
        "suspects": len(noise.rows),
    }


def shift_row(n: int, seed: int) -> dict:
    """Train at 1:28, deploy at 1:300, both drawn from one pool."""
    X, y = make_classification(4 * n, 20, n_informative=8, weights=[0.9], random_state=seed)
    rng = np.random.default_rng(seed)
    negatives, positives = rng.permutation(np.flatnonzero(y == 0)), np.flatnonzero(y == 1)
    positives = rng.permutation(positives)
    train_pos, new_pos = round(n / 29), round(n / 301)
    train = np.r_[negatives[: n - train_pos], positives[:train_pos]]
    new = np.r_[negatives[n - train_pos : 2 * n - train_pos - new_pos],
                positives[train_pos : train_pos + new_pos]]  # fmt: skip
    load = os.getloadavg()[0]
    found, wall, cpu = timed(shift, X[train], X[new], y[train], random_state=seed)
    _, estimated = found.priors()
    return {
        "rows_train": len(train),
        "rows_new": len(new),
        "true_new_minority_share": new_pos / len(new),
        "estimated_new_minority_share": estimated[1],
        "train_ratio": f"1:{(n - train_pos) / train_pos:.0f}",
        "true_new_ratio": f"1:{(len(new) - new_pos) / new_pos:.0f}",
        "estimated_new_ratio": f"1:{estimated[0] / estimated[1]:.0f}",
        "domain_auc": round(found.domain_auc, 3),
        "p_value": found.p_value,
        "sampled": found.sampled,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "load_1min": round(load, 1),
    }


def noise_rows(name: str, share: float, seeds: int) -> list[dict]:
    data = load_dataset(name)
    y = data.y.to_numpy()
    minority = data.meta.get("minority_class") or min(set(y), key=lambda c: (y == c).sum())
    majority = next(c for c in set(y) if c != minority)
    rows = []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        noisy = y.copy()
        flipped = {}
        for true, to in ((minority, majority), (majority, minority)):
            members = np.flatnonzero(y == true)
            flipped[true] = rng.choice(members, max(1, round(share * len(members))), False)
            noisy[flipped[true]] = to
        noise, wall, _ = timed(label_noise, data.X, noisy, random_state=seed)
        suspects = set(noise.rows.tolist())
        for true, to, direction in (
            (minority, majority, "minority rows labelled majority"),
            (majority, minority, "majority rows labelled minority"),
        ):
            flipped_rows = set(flipped[true].tolist())
            accused = {r for r in suspects if noisy[r] == to}
            found = len(accused & flipped_rows)
            rows.append({
                "set": name, "seed": seed, "direction": direction,
                "flipped": len(flipped_rows), "suspects": len(accused), "found": found,
                "recall": found / len(flipped_rows),
                "precision": found / len(accused) if accused else float("nan"),
                "wall_s": round(wall, 2),
            })  # fmt: skip
    return rows


def noise_summary(rows: list[dict]) -> dict:
    summary = {}
    for direction in ("minority rows labelled majority", "majority rows labelled minority"):
        mine = [r for r in rows if r["direction"] == direction]
        flipped = sum(r["flipped"] for r in mine)
        found = sum(r["found"] for r in mine)
        suspects = sum(r["suspects"] for r in mine)
        summary[direction] = {
            "flipped": flipped,
            "found": found,
            "suspects": suspects,
            "recall_pooled": found / flipped,
            "precision_pooled": found / suspects if suspects else float("nan"),
            "recall_median_over_sets": float(
                np.median([np.mean([r["recall"] for r in mine if r["set"] == s]) for s in SETS])
            ),  # fmt: skip
        }
    return summary


def write(results: dict, command: str | None = None) -> None:
    """``diagnose.json`` (when ``command`` is given: a run) and ``diagnose.md`` from it."""
    RESULTS.mkdir(exist_ok=True)
    if command is not None:
        results["command"] = command
        text = json.dumps(results, indent=1, default=str) + "\n"
        (RESULTS / "diagnose.json").write_text(text)
    command = results.get("command", "python benchmarks/diagnose.py")
    lines = [
        "# Diagnose: speed, the prior estimate at scale, label-noise suspects per class",
        "",
        f"Command: `{command}`. Machine: {os.cpu_count()} CPUs shared with other jobs, "
        f"load average {results['load_start']} at start, {results['load_end']} at end; "
        f"one OpenMP thread; Python {platform.python_version()}, skewlearn "
        f"{skewlearn.__version__}. Wall time depends on the load; CPU time much less.",
        "",
        "## Speed of `diagnose` (synthetic, 20 features, 3% minority, noise on)",
        "",
        "| rows | wall s | CPU s | load | encode | typology | complexity | label noise "
        "| sampled | noise fits on |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for row in results["speed"]:
        parts = row["parts_wall_s"]
        by_size: dict[int, list[str]] = {}
        for measure, rows in row["sampled"].items():
            by_size.setdefault(rows, []).append(measure)
        sampled = "; ".join(f"{', '.join(ms)} on {k:,} rows" for k, ms in by_size.items())
        lines.append(
            f"| {row['rows']:,} | {row['wall_s']} | {row['cpu_s']} | {row['load_1min']} "
            f"| {parts['encode']} | {parts['typology']} | {parts['complexity']} "
            f"| {parts['label_noise']} | {sampled or 'none'} "
            f"| {row['noise_fitted_rows']:,} rows x {row['noise_folds']} folds |"
        )
    verdicts = [
        f"{row['rows']:,} rows: {row['cpu_s']} s of CPU, {row['wall_s']} s of wall time at a "
        f"load average of {row['load_1min']} on {os.cpu_count()} CPUs"
        for row in results["speed"]
    ]
    lines += [f"\nNote: {note}" for note in results.get("notes", [])]
    lines += [
        "",
        "Measured: " + "; ".join(verdicts) + ". The work is one thread, so on an unloaded "
        "machine the wall time would be about the CPU time; it was not measured unloaded.",
        "",
        "Target: 100,000 x 20 in at most 30 s. Above 4,000 rows the neighbourhood measures "
        "(N1 N2 N3 N4 T1 LSC) are computed on a stratified sample of 4,000 rows (N2-N4 query "
        "the exact neighbours among all rows), L1-L3 fit on 10,000 rows, ONB is not given; "
        "the typology and small disjuncts use every row; each fold's noise model is fitted on "
        "a stratified 20,000-row sample and predicts every row of its fold. The typology (exact "
        "neighbours of every minority row among all rows) is the one part whose cost grows "
        "faster than the rows: as minority rows x rows.",
        "",
        "## Shift: training 1:28 against new rows at 1:300",
        "",
        "| train rows | new rows | trained | true new | estimated new (EM) | domain AUC | p "
        "| domain sample | wall s | CPU s | load |",
        "|---:|---:|---|---|---|---:|---:|---|---:|---:|---:|",
    ]
    for row in results.get("shift", []):
        lines.append(
            f"| {row['rows_train']:,} | {row['rows_new']:,} | {row['train_ratio']} "
            f"| {row['true_new_ratio']} | {row['estimated_new_ratio']} "
            f"({row['estimated_new_minority_share']:.4f} vs {row['true_new_minority_share']:.4f}) "
            f"| {row['domain_auc']} | {row['p_value']:.3g} "
            f"| {row['sampled']['train']:,} + {row['sampled']['new']:,} "
            f"| {row['wall_s']} | {row['cpu_s']} | {row['load_1min']} |"
        )
    noise = results.get("noise")
    if noise is None:
        (RESULTS / "diagnose.md").write_text("\n".join(lines) + "\n")
        return
    lines += [
        "",
        f"## Label-noise suspects on flipped labels ({noise['share']:.0%} of each class "
        f"flipped, {noise['seeds']} seeds)",
        "",
        "Sets: " + ", ".join(SETS) + ". Recall: flipped rows among the suspects. Precision: "
        "of the suspects whose given label is the flipped-to label, the share truly flipped "
        "(a set's own mislabelled rows count as false alarms).",
        "",
        "| flipped | rows | found | suspects | recall (pooled) | precision (pooled) "
        "| recall (median over sets) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for direction, s in noise["summary"].items():
        lines.append(
            f"| {direction} | {s['flipped']} | {s['found']} | {s['suspects']} "
            f"| {s['recall_pooled']:.3f} | {s['precision_pooled']:.3f} "
            f"| {s['recall_median_over_sets']:.3f} |"
        )
    lines += ["", "Per set (mean over seeds):", ""]
    lines += ["| set | direction | flipped | recall | precision |", "|---|---|---:|---:|---:|"]
    for name in SETS:
        for direction in ("minority rows labelled majority", "majority rows labelled minority"):
            mine = [r for r in noise["rows"] if r["set"] == name and r["direction"] == direction]
            lines.append(
                f"| {name} | {direction} | {mine[0]['flipped']} "
                f"| {np.mean([r['recall'] for r in mine]):.3f} "
                f"| {np.nanmean([r['precision'] for r in mine]):.3f} |"
            )
    (RESULTS / "diagnose.md").write_text("\n".join(lines) + "\n")


def speed_only(sizes: list[int], command: str) -> None:
    """Measure the speed rows of ``sizes`` and merge them into the recorded run."""
    results = json.loads((RESULTS / "diagnose.json").read_text())
    previous = results.get("command", "")
    if command not in previous.split("; "):
        command = f"{previous}; {command}" if previous else command
    for n in sizes:
        row = speed_row(n, 0)
        print("speed", row, flush=True)
        kept = [r for r in results["speed"] if r["rows"] != n]
        results["speed"] = sorted([*kept, row], key=lambda r: r["rows"])
        results["load_end"] = [round(x, 1) for x in os.getloadavg()]
        write(results, command)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--shift-rows", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.10)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--render", action="store_true",
                        help="Only rewrite diagnose.md from diagnose.json.")  # fmt: skip
    parser.add_argument("--speed-only", action="store_true",
                        help="Only the speed rows of --sizes, merged into diagnose.json: rows "
                             "of other sizes and the other parts are kept.")  # fmt: skip
    args = parser.parse_args(argv)
    if args.render:
        write(json.loads((RESULTS / "diagnose.json").read_text()))
        return
    command = "python benchmarks/diagnose.py " + " ".join(argv or sys.argv[1:])
    if args.speed_only:
        speed_only(sorted(args.sizes), command)
        return
    results = {"load_start": [round(x, 1) for x in os.getloadavg()], "speed": []}

    def record(part: str, value) -> None:
        # Written after each part: a long run that is stopped keeps what it measured.
        print(part, value if part != "noise" else value["summary"], flush=True)
        results["load_end"] = [round(x, 1) for x in os.getloadavg()]
        write(results, command)

    sizes = sorted(args.sizes)
    results["speed"].append(speed_row(sizes[0], 0))
    record("speed", results["speed"][-1])
    results["shift"] = [shift_row(args.shift_rows, 0)]
    record("shift", results["shift"][-1])
    rows = [row for name in SETS for row in noise_rows(name, args.share, args.seeds)]
    results["noise"] = {"share": args.share, "seeds": args.seeds, "rows": rows,
                        "summary": noise_summary(rows)}  # fmt: skip
    record("noise", results["noise"])
    for n in sizes[1:]:
        results["speed"].append(speed_row(n, 0))
        record("speed", results["speed"][-1])


if __name__ == "__main__":
    main()
