"""`skewlearn compare` on a table larger than memory (issue 20): does it keep its budget?

The table is `massive.py`'s (a chunked make_classification-like generator, 20 float32
features, 100:1, written as partitioned Parquet without ever being in memory whole); a
folder written by `massive.py --keep-data` with the same rows is reused. `run_compare` runs
as `skewlearn compare TABLE --target target --budget B --n-jobs 2` does: a LocalCluster of 2
single-thread workers is started and closed inside it. Recorded: wall time and the time of
each step (profile and sample, race, refit on all rows) and the refit's projected time
(``--refit auto`` refits on all rows only when it is within the budget), (wall - refit) /
budget (target <= 1, plus scheduling slack), the client's peak RSS (target <= 4 GB), the winner, the rows
each step saw, that the report and model were written, and the saved model's average
precision on 200,000 held-out rows.

    python benchmarks/compare_large.py --rows 50000000 --budget 10m

writes ``benchmarks/results/compare-large.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

import pandas as pd
from massive import N_FEATURES, RESULTS, TEST_ROWS, Generator, PeakRSS, write_parquet


def _table(rows: int, seed: int, chunk_rows: int) -> Path:
    """The Parquet folder of ``rows`` generated rows: reused when complete, else written."""
    import pyarrow.parquet as pq

    folder = RESULTS / "data" / f"massive-{rows}"
    files = sorted(folder.glob("*.parquet"))
    if files and sum(pq.read_metadata(f).num_rows for f in files) == rows:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    write_parquet(Generator(seed), rows, chunk_rows, folder)
    return folder


def run(args) -> dict:
    from sklearn.metrics import average_precision_score

    from skewlearn.app import load_model, run_compare
    from skewlearn.select._selector import Budget

    folder = _table(args.rows, args.seed, args.chunk_rows)
    out = RESULTS / "data" / "compare-large-out"
    start = time.monotonic()
    with PeakRSS() as rss:
        outputs = run_compare(
            folder,
            out,
            target="target",
            budget=args.budget,
            n_jobs=2,
            seed=args.seed,
            force=True,
        )
    wall = time.monotonic() - start
    budget = Budget.parse(args.budget).seconds
    steps = outputs.step_seconds
    selection = outputs.selector.selection_
    X_test, y_test = Generator(args.seed).chunk(10**6, TEST_ROWS)
    test = pd.DataFrame(X_test, columns=[f"f{i}" for i in range(N_FEATURES)])
    model = load_model(outputs.model)
    proba = model.predict_frame(test)["proba_1"]
    return {
        "rows": args.rows,
        "budget": args.budget,
        "wall_s": round(wall, 1),
        "step_seconds": steps,
        "projected_refit_s": outputs.projected_refit_seconds,
        "wall_less_refit_over_budget": round((wall - steps["refit"]) / budget, 3),
        "client_peak_rss_mib": round(rss.peak / 2**20, 1),
        "selected": outputs.selector.best_strategy_.name,
        "fits": selection.n_fits,
        **_folds(out / "leaderboard.csv"),
        "stop_reason": selection.stop_reason,
        "rows_seen": dict(outputs.rows_seen),
        "written": sorted(p.name for p in out.iterdir()),
        "test_ap": round(float(average_precision_score(y_test, proba)), 5),
    }


def _folds(leaderboard: Path) -> dict:
    """How many strategies the race evaluated, and on how many folds (the trivial rule aside)."""
    board = pd.read_csv(leaderboard)
    folds = board.loc[board["strategy"] != "trivial", "folds"]
    evaluated = folds[folds > 0]
    return {
        "strategies": len(folds),
        "evaluated": len(evaluated),
        "folds_min_median_max": [
            int(evaluated.min()),
            float(evaluated.median()),
            int(evaluated.max()),
        ],
    }


def _markdown(record: dict) -> str:
    r = record["result"]
    steps = ", ".join(f"{step} {seconds} s" for step, seconds in r["step_seconds"].items())
    projected = r["projected_refit_s"]
    projection = (
        "the model is the winner's refit on the selection sample"
        if projected is None
        else f"the refit (its rows below) was projected at {projected} s"
    )
    writing = r["wall_s"] - sum(r["step_seconds"].values())
    seen = "\n".join(f"| {step} | {rows} |" for step, rows in r["rows_seen"].items())
    return "\n".join(
        [
            "# `skewlearn compare` on a table larger than memory (issue 20)",
            "",
            f"Command: `{record['command']}`",
            "",
            f"Machine: {record['machine']}; load average at start {record['load_start']}, at "
            f"end {record['load_end']}. `run_compare` on the Parquet folder, as `skewlearn "
            "compare` runs it with `--n-jobs 2` (a LocalCluster of 2 single-thread workers, "
            f"started and closed inside). Test: {TEST_ROWS:,} held-out rows.",
            "",
            "| rows | budget | wall s | (wall - refit) / budget | client peak RSS MiB | "
            "selected | fits | strategies evaluated | folds min / median / max | test AP | "
            "written |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
            f"| {r['rows']:,} | {r['budget']} | {r['wall_s']} | "
            f"{r['wall_less_refit_over_budget']} | {r['client_peak_rss_mib']} | {r['selected']} "
            f"| {r['fits']} | {r['evaluated']} of {r['strategies']} | "
            f"{' / '.join(map(str, r['folds_min_median_max']))} | {r['test_ap']} | "
            f"{', '.join(r['written'])} |",
            "",
            f"Steps: {steps}, then writing the output {writing:.1f} s; {projection}. Stop: "
            f"{r['stop_reason']}.",
            "",
            "| step | rows it saw |",
            "|---|---|",
            seen,
            "",
            record.get("note", ""),
            "",
        ]
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--budget", default="10m")
    parser.add_argument("--chunk-rows", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--note", default="")
    args = parser.parse_args(argv)

    record = {
        "command": "python benchmarks/compare_large.py " + " ".join(argv or sys.argv[1:]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "load_start": [round(x, 1) for x in os.getloadavg()],
        "note": args.note,
    }
    record["result"] = run(args)
    record["load_end"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(record["result"]), flush=True)
    (RESULTS / "compare-large.json").write_text(json.dumps(record, indent=2) + "\n")
    (RESULTS / "compare-large.md").write_text(_markdown(record))


if __name__ == "__main__":
    main()
