"""Imbalance ensembles: skewlearn against imbalanced-ensemble (the peer), issue 3.

Every fit runs in a fresh subprocess, so its peak RSS is its own: ours with this interpreter,
the peer's with ``--peer-python`` (a virtual environment with imbalanced-ensemble 0.2.3 and
scikit-learn 1.6.0). Both sides build the same data from the same seed and report a checksum
of it.

    python benchmarks/ensembles.py --peer-python benchmarks/.venv-peer-ensembles/bin/python

writes ``benchmarks/results/ensembles-n<N>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"

# name -> (skewlearn class, peer class, n_estimators, base max_depth, n_jobs)
CASES = {
    "spe-10": ("SelfPacedEnsembleClassifier", "SelfPacedEnsembleClassifier", 10, None, None),
    "spe-50": ("SelfPacedEnsembleClassifier", "SelfPacedEnsembleClassifier", 50, None, None),
    "cascade-10": ("BalanceCascadeClassifier", "BalanceCascadeClassifier", 10, None, None),
    "underbagging-10-jobs1": ("UnderBaggingClassifier", "UnderBaggingClassifier", 10, None, 1),
    "underbagging-10-jobs2": ("UnderBaggingClassifier", "UnderBaggingClassifier", 10, None, 2),
    "rusboost-10": ("RUSBoostClassifier", "RUSBoostClassifier", 10, 3, None),
}


def _peer_import_shims() -> None:
    # imbalanced-ensemble 0.2.3 pins scikit-learn 1.6.0 yet imports two names that release
    # no longer has; re-exporting them lets it import. Its algorithms are untouched.
    import sklearn.utils
    import sklearn.utils._user_interface
    import sklearn.utils.metaestimators

    sklearn.utils._print_elapsed_time = sklearn.utils._user_interface._print_elapsed_time
    sklearn.utils.metaestimators.if_delegate_has_method = lambda delegate: lambda fn: fn


def _worker(args) -> None:
    """One fit in this process; prints one JSON line."""
    import resource

    import numpy as np
    import sklearn
    from sklearn.datasets import make_classification
    from sklearn.metrics import average_precision_score, balanced_accuracy_score
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier

    ours_name, peer_name, n_estimators, depth, n_jobs = CASES[args.case]
    if args.side == "peer":
        _peer_import_shims()
        import imbalanced_ensemble.ensemble as module

        cls, version = getattr(module, peer_name), "imbalanced-ensemble 0.2.3"
    else:
        import skewlearn
        import skewlearn.ensemble as module

        cls, version = getattr(module, ours_name), f"skewlearn {skewlearn.__version__}"
    X, y = make_classification(
        n_samples=args.n,
        n_features=20,
        n_informative=10,
        weights=[0.99],
        flip_y=0.01,
        class_sep=0.8,
        random_state=0,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    params = dict(n_estimators=n_estimators, random_state=0)
    params["estimator"] = DecisionTreeClassifier(max_depth=depth)
    if n_jobs is not None:
        params["n_jobs"] = n_jobs
    if args.side == "ours" and ours_name == "SelfPacedEnsembleClassifier":
        params["hardness"] = "absolute_error"  # the peer's hardness: the same algorithm
    model = cls(**params)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    proba = model.predict_proba(X_test)[:, 1]
    print(
        json.dumps(
            {
                "fit_s": fit_s,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "average_precision": float(average_precision_score(y_test, proba)),
                "balanced_accuracy": float(balanced_accuracy_score(y_test, model.predict(X_test))),
                "data_checksum": float(np.round(X_train.sum(), 6)) + int(y_train.sum()),
                "library": version,
                "scikit_learn": sklearn.__version__,
            }
        )
    )


def _run_one(python: str, side: str, case: str, n: int) -> dict:
    cmd = [python, "-W", "ignore", __file__, "--worker", side, "--case", case, "--n", str(n)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(python: str, side: str, case: str, n: int, repeats: int) -> dict:
    runs = [_run_one(python, side, case, n) for _ in range(repeats)]
    if any("error" in run for run in runs):
        return {"error": next(run["error"] for run in runs if "error" in run)}
    first = runs[0]
    return {
        "fit_s_median": statistics.median(run["fit_s"] for run in runs),
        "fit_s_runs": [run["fit_s"] for run in runs],
        "peak_rss_mb_median": statistics.median(run["peak_rss_mb"] for run in runs),
        **{key: first[key] for key in first if key not in ("fit_s", "peak_rss_mb")},
    }


def _markdown(report: dict) -> str:
    lines = [
        f"# Imbalance ensembles, N = {report['n']:,} (70/30 split)",
        "",
        f"Command: `{report['command']}`  ",
        f"Machine: {report['machine']}; fit time is the median of {report['repeats']} fresh "
        "processes, peak RSS is the whole process (data included).",
        "",
        "| case | side | fit s | peak RSS MB | test AP | balanced acc. |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for case, sides in report["results"].items():
        for side, row in sides.items():
            if "error" in row:
                lines.append(f"| {case} | {side} | failed: {row['error'][:90]} | | | |")
                continue
            lines.append(
                f"| {case} | {side} | {row['fit_s_median']:.2f} | {row['peak_rss_mb_median']:.0f} "
                f"| {row['average_precision']:.4f} | {row['balanced_accuracy']:.4f} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--peer-python", help="interpreter of the peer's virtual environment")
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--worker", choices=["ours", "peer"], help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=list(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        args.side = args.worker
        _worker(args)
        return
    sides = {"ours": sys.executable}
    if args.peer_python:
        sides["peer"] = args.peer_python
    results = {}
    for case in args.cases:
        results[case] = {}
        for side, python in sides.items():
            results[case][side] = _measure(python, side, case, args.n, args.repeats)
            print(case, side, json.dumps(results[case][side]), flush=True)
    report = {
        "n": args.n,
        "repeats": args.repeats,
        "command": "python benchmarks/ensembles.py " + " ".join(argv or sys.argv[1:]),
        "machine": f"{platform.processor() or platform.machine()}, {_cpu_count()} CPUs",
        "results": results,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"ensembles-n{args.n}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(_markdown(report))


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
