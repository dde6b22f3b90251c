"""Does `compare --budget` hold on large data? Wall time against the budget, folds per strategy.

The promise (issue "The main job keeps its promises"): the wall time of a whole `compare` run,
less the final refit of the winner, stays within 1.2x the budget. Each case runs the main job
end to end (`run_compare`: schema, race, refit, model file, report) on a synthetic table of
20 numeric features with one minority row in 500, as a user's `skewlearn compare` would, with
every core (`n_jobs=-1`).

    python benchmarks/budget.py --sizes 200000 1000000 --budget 60 --runs 2

writes benchmarks/results/budget.md and budget.json (one current pair, overwritten).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

from skewlearn.app import run_compare
from skewlearn.datasets import Dataset

RESULTS = Path(__file__).parent / "results"


def make_table(n: int, seed: int = 0) -> Dataset:
    """n rows x 20 features, 1:499 (one minority row in 500)."""
    X, y = make_classification(
        n_samples=n,
        n_features=20,
        n_informative=8,
        weights=[0.998],
        flip_y=0.0,
        class_sep=1.0,
        random_state=seed,
    )
    X = pd.DataFrame(X.astype(np.float32), columns=[f"x{i}" for i in range(20)])
    y = pd.Series(np.where(y == 1, "rare", "common"), name="label")
    meta = {
        "name": f"synthetic-{n}",
        "task": "binary",
        "target": "label",
        "column_kinds": dict.fromkeys(X.columns, "numeric"),
    }
    return Dataset(X, y, sorted(y.unique()), meta)


def run_case(dataset: Dataset, budget: float, seed: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        start = time.monotonic()
        outputs = run_compare(
            dataset, Path(folder) / "out", budget=f"{budget:g}s", n_jobs=-1, seed=seed
        )
        wall = time.monotonic() - start
    selector = outputs.selector
    board = selector.leaderboard_
    board = board[board["strategy"] != "trivial"]
    return {
        "n": len(dataset.X),
        "budget_s": budget,
        "seed": seed,
        "wall_s": round(wall, 1),
        "refit_s": round(selector.refit_time_, 1),
        "race_s": round(selector.selection_.elapsed, 1),
        "wall_less_refit_over_budget": round((wall - selector.refit_time_) / budget, 3),
        "fits": selector.selection_.n_fits,
        "selected": selector.best_strategy_.name,
        "stop_reason": selector.selection_.stop_reason,
        "folds": {row.strategy: int(row.folds) for row in board.itertuples()},
        "fit_s": {row.strategy: round(float(row.fit_time), 2) for row in board.itertuples()},
        "status": {row.strategy: row.status for row in board.itertuples()},
    }


def write(rows: list[dict], args: argparse.Namespace) -> None:
    RESULTS.mkdir(exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    (RESULTS / "budget.json").write_text(
        json.dumps({"machine": machine, "runs": rows}, indent=1) + "\n"
    )
    lines = [
        "# Does `compare --budget` hold on large data?",
        "",
        f"Command: `python benchmarks/budget.py --sizes {' '.join(map(str, args.sizes))} "
        f"--budget {args.budget:g} --runs {args.runs}`. Machine: {machine}.",
        "Synthetic table, 20 features, 1:499; `run_compare` end to end with n_jobs=-1.",
        "Target: wall time less the winner's refit <= 1.2 x budget.",
        "",
        "| rows | budget s | runs | wall s (median, max) | refit s (median) | "
        "(wall - refit) / budget, max | fits (median) | selected |",
        "|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for n in sorted({r["n"] for r in rows}):
        case = [r for r in rows if r["n"] == n]
        walls = [r["wall_s"] for r in case]
        lines.append(
            f"| {n:,} | {args.budget:g} | {len(case)} | {statistics.median(walls):.1f}, "
            f"{max(walls):.1f} | {statistics.median(r['refit_s'] for r in case):.1f} | "
            f"{max(r['wall_less_refit_over_budget'] for r in case):.2f} | "
            f"{statistics.median(r['fits'] for r in case):g} | "
            f"{', '.join(sorted({r['selected'] for r in case}))} |"
        )
    for r in rows:
        lines += [
            "",
            f"## {r['n']:,} rows, seed {r['seed']}: {r['stop_reason']}",
            "",
            "| strategy | folds | mean fit s | status |",
            "|---|---:|---:|---|",
        ]
        lines += [
            f"| {name} | {r['folds'][name]} | {r['fit_s'][name]:g} | {r['status'][name]} |"
            for name in r["folds"]
        ]
    (RESULTS / "budget.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        dataset = make_table(n)
        for seed in range(args.runs):
            rows.append(run_case(dataset, args.budget, seed))
            shown = {k: v for k, v in rows[-1].items() if k not in ("folds", "status", "fit_s")}
            print(json.dumps(shown), flush=True)
            write(rows, args)


if __name__ == "__main__":
    main()
