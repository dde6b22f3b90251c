"""Self-paced Ensemble on real data: ours against imbalanced-ensemble's, paired (issue 3).

Every embedded ``keel-binary`` set, 5-fold stratified cross-validation repeated twice, the same
folds for both sides; positive class = minority. Categorical columns are one-hot encoded once
(an unsupervised step, identical for both sides); missing values are imputed with the training
fold's medians. Both sides fit ``SelfPacedEnsembleClassifier(DecisionTreeClassifier(),
n_estimators=50, k_bins=5, random_state=<fold>)`` (the peer's defaults) and report the test
fold's average precision.

The peer runs in its own virtual environment (imbalanced-ensemble 0.2.3, scikit-learn 1.6.0,
made by ``make bench-ensembles``); the folds travel to it as ``.npz`` files.

    python benchmarks/ensembles_keel.py --peer-python benchmarks/.venv-peer-ensembles/bin/python

writes ``benchmarks/results/ensembles-keel.{json,md}`` (``--sweep``: ``ensembles-keel-sweep<tag>``)
and the per-fold rows to ``results/data/<name>.rows.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
TIE = 1e-3


def _export(directory: Path, max_n: int, folds: int, repeats: int) -> list[str]:
    """One ``.npz`` per dataset: numeric X (NaN kept), 0/1 y, train/test fold indices."""
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import RepeatedStratifiedKFold

    from skewlearn.datasets import list_datasets, load_dataset

    catalog = list_datasets("keel-binary")
    names = catalog.loc[catalog["n_samples"] <= max_n, "name"].tolist()
    for name in names:
        data = load_dataset(f"keel-binary/{name}")
        X = pd.get_dummies(data.X, dummy_na=False).astype(float).to_numpy()
        values, counts = np.unique(np.asarray(data.y), return_counts=True)
        y = (np.asarray(data.y) == values[np.argmin(counts)]).astype(int)
        n_splits = min(folds, int(counts.min()))
        splitter = RepeatedStratifiedKFold(n_splits=n_splits, n_repeats=repeats, random_state=0)
        splits = list(splitter.split(X, y))
        np.savez(
            directory / f"{name}.npz",
            X=X,
            y=y,
            train=np.array([s[0] for s in splits], dtype=object),
            test=np.array([s[1] for s in splits], dtype=object),
        )
    return names


# The peer's defaults (explicit: ours now defaults to squared-error hardness), and the
# variations --sweep tries one at a time on our side.
DEFAULTS = {"n_estimators": 50, "k_bins": 5, "hardness": "absolute_error"}
SWEEP = {
    "defaults": {},
    "n_estimators=10": {"n_estimators": 10},
    "n_estimators=100": {"n_estimators": 100},
    "k_bins=3": {"k_bins": 3},
    "k_bins=10": {"k_bins": 10},
    "hardness=squared_error": {"hardness": "squared_error"},
    "hardness=cross_entropy": {"hardness": "cross_entropy"},
    "replacement=False": {"replacement": False},
}


def _worker(side: str, directory: Path, config: dict) -> None:
    """Fit every fold of every exported set; one JSON line per fold."""
    import warnings

    import numpy as np
    from sklearn.impute import SimpleImputer
    from sklearn.metrics import average_precision_score
    from sklearn.tree import DecisionTreeClassifier

    warnings.filterwarnings("ignore")
    if side == "peer":
        sys.path.insert(0, str(Path(__file__).parent))
        from ensembles import _peer_import_shims

        _peer_import_shims()
        from imbalanced_ensemble.ensemble import SelfPacedEnsembleClassifier
    else:
        from skewlearn.ensemble import SelfPacedEnsembleClassifier

    for path in sorted(directory.glob("*.npz")):
        data = np.load(path, allow_pickle=True)
        X, y = data["X"], data["y"]
        for fold, (train, test) in enumerate(zip(data["train"], data["test"])):
            train, test = np.asarray(train, dtype=np.intp), np.asarray(test, dtype=np.intp)
            imputer = SimpleImputer(strategy="median", keep_empty_features=True)
            X_train = imputer.fit_transform(X[train])
            model = SelfPacedEnsembleClassifier(
                estimator=DecisionTreeClassifier(), random_state=fold, **{**DEFAULTS, **config}
            )
            start = time.perf_counter()
            row = {"dataset": path.stem, "fold": fold}
            try:
                model.fit(X_train, y[train])
                proba = model.predict_proba(imputer.transform(X[test]))[:, 1]
                row["average_precision"] = float(average_precision_score(y[test], proba))
            except Exception as exc:  # a failure is a result too; the summary lists it
                row["error"] = f"{type(exc).__name__}: {exc}"[:200]
            row["seconds"] = time.perf_counter() - start
            print(json.dumps(row), flush=True)


def _run_side(python: str, side: str, directory: Path, config: dict | None = None) -> list[dict]:
    cmd = [python, __file__, "--worker", side, "--data", str(directory)]
    cmd += ["--config", json.dumps(config or {})]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{side} worker failed:\n{done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def _summarise(rows: dict[str, list[dict]], a: str = "ours", b: str = "peer") -> dict:
    import pandas as pd
    from scipy.stats import wilcoxon

    frames = [pd.DataFrame(side_rows).assign(side=side) for side, side_rows in rows.items()]
    table = pd.concat(frames, ignore_index=True)
    if "error" not in table:
        table["error"] = None
    errors = table[table["error"].notna()]
    per_dataset = (
        table.drop(errors.index)
        .pivot_table(index="dataset", columns="side", values="average_precision")
        .dropna()
    )
    diff = per_dataset[a] - per_dataset[b]
    largest = diff.reindex(diff.abs().sort_values(ascending=False).index).head(8)
    return {
        "n_datasets": int(len(per_dataset)),
        "mean_ap_a": float(per_dataset[a].mean()),
        "mean_ap_b": float(per_dataset[b].mean()),
        "mean_difference": float(diff.mean()),
        "wins": int((diff > TIE).sum()),
        "ties": int((diff.abs() <= TIE).sum()),
        "losses": int((diff < -TIE).sum()),
        "wilcoxon_p": float(wilcoxon(diff).pvalue) if (diff != 0).any() else 1.0,
        "largest_differences": {k: float(v) for k, v in largest.items()},
        "seconds_per_fold": table.groupby("side")["seconds"].mean().round(4).to_dict(),
        "errors": errors[["side", "dataset", "fold", "error"]].to_dict("records"),
    }


def _markdown(summary: dict, command: str) -> str:
    s = summary
    lines = [
        "# Self-paced Ensemble on keel-binary: ours vs imbalanced-ensemble 0.2.3",
        "",
        f"Command: `{command}`  ",
        "5-fold stratified CV x 2 repeats, same folds both sides; SPE(DecisionTree, "
        "n_estimators=50, k_bins=5); mean of each dataset's fold APs, then over datasets.",
        "",
        "| datasets | mean AP ours | mean AP peer | mean difference | W/T/L (tie < 0.001) "
        "| Wilcoxon p |",
        "|---:|---:|---:|---:|---|---:|",
        f"| {s['n_datasets']} | {s['mean_ap_a']:.4f} | {s['mean_ap_b']:.4f} "
        f"| {s['mean_difference']:+.4f} | {s['wins']}/{s['ties']}/{s['losses']} "
        f"| {s['wilcoxon_p']:.3g} |",
        "",
        "Largest per-dataset differences (ours - peer): "
        + ", ".join(f"{k} {v:+.4f}" for k, v in s["largest_differences"].items()),
        "",
        f"Mean fit+predict seconds per fold: {s['seconds_per_fold']}",
        "",
    ]
    if s["errors"]:
        lines += ["Failures:", ""]
        lines += [
            f"- {e['side']} {e['dataset']} fold {e['fold']}: {e['error']}" for e in s["errors"]
        ]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-python", required=False)
    parser.add_argument("--max-n", type=int, default=10**9, help="skip larger datasets")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--worker", choices=["ours", "peer"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="ours only: vary one parameter of the defaults at a time, paired against them",
    )
    parser.add_argument(
        "--variants",
        nargs="+",
        choices=[v for v in SWEEP if v != "defaults"],
        default=None,
        help="with --sweep: only these variants (default: all)",
    )
    parser.add_argument("--tag", default="", help="suffix of the result file names")
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.data, json.loads(args.config))
        return
    if args.sweep:
        _sweep(args, argv)
        return
    if not args.peer_python:
        parser.error("--peer-python is required (make bench-ensembles builds the peer's venv)")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        _export(directory, args.max_n, args.folds, args.repeats)
        rows = {
            "ours": _run_side(sys.executable, "ours", directory),
            "peer": _run_side(args.peer_python, "peer", directory),
        }
    summary = _summarise(rows)
    summary["wall_seconds"] = round(time.perf_counter() - start, 1)
    command = "python benchmarks/ensembles_keel.py " + " ".join(argv or sys.argv[1:])
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"ensembles-keel{args.tag}"
    _write_rows(args.out, stem.name, rows)
    stem.with_suffix(".json").write_text(
        json.dumps({"command": command, "summary": summary}, indent=1) + "\n"
    )
    stem.with_suffix(".md").write_text(_markdown(summary, command))
    print(_markdown(summary, command))


def _write_rows(out: Path, name: str, rows: dict) -> None:
    # Row dumps stay out of the tree: <out>/data/ is git-ignored.
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "data" / f"{name}.rows.json").write_text(json.dumps(rows, indent=1) + "\n")


def _sweep(args, argv) -> None:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        _export(directory, args.max_n, args.folds, args.repeats)
        chosen = {"defaults", *(args.variants or SWEEP)}
        rows = {
            name: _run_side(sys.executable, "ours", directory, config)
            for name, config in SWEEP.items()
            if name in chosen
        }
    command = "python benchmarks/ensembles_keel.py " + " ".join(argv or sys.argv[1:])
    lines = [
        "# Self-paced Ensemble defaults on keel-binary: one change at a time",
        "",
        f"Command: `{command}`  ",
        f"Defaults: SPE(DecisionTree, {DEFAULTS}, replacement=True), the peer's; "
        "same folds for every variant; AP per dataset (mean over folds).",
        "",
        "| variant | datasets | mean AP variant | mean AP defaults | difference | W/T/L "
        "| Wilcoxon p | s per fold |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    summaries = {}
    for name in rows:
        if name == "defaults":
            continue
        s = _summarise({name: rows[name], "defaults": rows["defaults"]}, name, "defaults")
        summaries[name] = s
        lines.append(
            f"| {name} | {s['n_datasets']} | {s['mean_ap_a']:.4f} | {s['mean_ap_b']:.4f} "
            f"| {s['mean_difference']:+.4f} | {s['wins']}/{s['ties']}/{s['losses']} "
            f"| {s['wilcoxon_p']:.3g} | {s['seconds_per_fold'][name]:.3f} |"
        )
    lines += ["", f"Wall time: {time.perf_counter() - start:.0f} s.", ""]
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"ensembles-keel-sweep{args.tag}"
    _write_rows(args.out, stem.name, rows)
    stem.with_suffix(".json").write_text(
        json.dumps({"command": command, "summaries": summaries}, indent=1) + "\n"
    )
    stem.with_suffix(".md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
