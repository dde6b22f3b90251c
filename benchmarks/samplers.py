"""Samplers of skewlearn.resample against imbalanced-learn's, timed in the same run.

Each fit runs in a fresh subprocess so that its peak memory is its own; the data are generated
in that subprocess before the clock starts (``make_classification(n_samples=N,
n_features=F, weights=[0.99], flip_y=0.01, random_state=0)``).  Reported: median wall time of
the repeats, peak RSS of the process (data included, the same for both libraries), and our time
as a fraction of imbalanced-learn's.

    python benchmarks/samplers.py --n 100000 --methods TomekLinks EditedNearestNeighbours
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

METHODS = [
    "TomekLinks",
    "EditedNearestNeighbours",
    "RepeatedEditedNearestNeighbours",
    "AllKNN",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "CondensedNearestNeighbour",
    "NearMiss",
    "SMOTE",
    "BorderlineSMOTE",
    "ADASYN",
    "SMOTEENN",
    "SMOTETomek",
]
SEEDED = {
    "OneSidedSelection",
    "CondensedNearestNeighbour",
    "SMOTE",
    "BorderlineSMOTE",
    "ADASYN",
    "SMOTEENN",
    "SMOTETomek",
}
LIBRARIES = ("imblearn", "skewlearn")


def _sampler(library: str, method: str):
    if library == "skewlearn":
        import skewlearn.resample as module
    else:
        import imblearn.combine
        import imblearn.over_sampling
        import imblearn.under_sampling

        module = next(
            m
            for m in (imblearn.under_sampling, imblearn.over_sampling, imblearn.combine)
            if hasattr(m, method)
        )
    params = {"random_state": 0} if method in SEEDED else {}
    return getattr(module, method)(**params)


def _worker(library: str, method: str, n: int, n_features: int) -> None:
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=n, n_features=n_features, weights=[0.99], flip_y=0.01, random_state=0
    )
    sampler = _sampler(library, method)
    start = time.perf_counter()
    _, y_res = sampler.fit_resample(X, y)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "n_out": len(y_res)}))


def _one_fit(library, method, n, n_features, timeout):
    command = [sys.executable, __file__, "--worker", library, method, str(n), str(n_features)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _summary(runs):
    if any(run == "timeout" for run in runs):
        return "timeout"
    if any("error" in run for run in runs):
        return next(run for run in runs if "error" in run)
    return {
        "seconds": statistics.median(run["seconds"] for run in runs),
        "peak_mib": max(run["peak_mib"] for run in runs),
        "n_out": runs[0]["n_out"],
        "all_seconds": [run["seconds"] for run in runs],
    }


def _cell(result, key, fmt):
    return format(result[key], fmt) if isinstance(result, dict) and key in result else str(result)


def _markdown(rows) -> str:
    lines = [
        "| N | features | method | imblearn s | skewlearn s | ratio | imblearn MiB | "
        "skewlearn MiB | rows out (imblearn / ours) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ref, ours = row["imblearn"], row["skewlearn"]
        ratio = f"{row['ratio']:.3f}" if row["ratio"] is not None else "-"
        lines.append(
            f"| {row['n']} | {row['n_features']} | {row['method']} | {_cell(ref, 'seconds', '.2f')}"
            f" | {_cell(ours, 'seconds', '.2f')} | {ratio} | {_cell(ref, 'peak_mib', '.0f')} | "
            f"{_cell(ours, 'peak_mib', '.0f')} | {_cell(ref, 'n_out', 'd')} / "
            f"{_cell(ours, 'n_out', 'd')} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100_000])
    parser.add_argument("--n-features", type=int, default=20)
    parser.add_argument("--methods", nargs="+", default=METHODS, choices=METHODS)
    parser.add_argument("--libraries", nargs="+", default=list(LIBRARIES), choices=LIBRARIES)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300, help="seconds per fit")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument(
        "--tag", default=None, help="name of the result files (default: samplers-n<N>[-f<F>])"
    )
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        library, method, n, n_features = args.worker
        _worker(library, method, int(n), int(n_features))
        return

    rows = []
    for n in args.n:
        for method in args.methods:
            row = {"n": n, "n_features": args.n_features, "method": method}
            for library in LIBRARIES:
                if library not in args.libraries:
                    row[library] = "not run"
                    continue
                runs = []
                for _ in range(args.repeats):
                    runs.append(_one_fit(library, method, n, args.n_features, args.timeout))
                    if runs[-1] == "timeout":
                        break
                row[library] = _summary(runs)
            both = [row[lib] for lib in LIBRARIES]
            timed = all(isinstance(r, dict) and "seconds" in r for r in both)
            row["ratio"] = both[1]["seconds"] / both[0]["seconds"] if timed else None
            rows.append(row)
            print(json.dumps(row), flush=True)

    # The default 20 features are left out of the name: samplers-n100000, samplers-n100000-f200.
    features = "" if args.n_features == 20 else f"-f{args.n_features}"
    tag = args.tag or f"samplers-n{'-'.join(map(str, args.n))}{features}"
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": f"{platform.machine()} {platform.processor()} {platform.platform()}",
        "repeats": args.repeats,
        "timeout_s": args.timeout,
    }
    (args.out / f"{tag}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    header = f"# {tag}\n\n`{meta['command']}`, median of {args.repeats}.\n\n"
    (args.out / f"{tag}.md").write_text(header + _markdown(rows))


if __name__ == "__main__":
    main()
