"""Decision-layer measurements on the embedded KEEL suites (issue 4, "Measure").

Parts (``--part``):

* ``parity``: tuned-threshold F1 of ``DecisionTunedClassifier(scoring="f1")`` vs scikit-learn's
  ``TunedThresholdClassifierCV(scoring="f1")``, logistic regression and gradient boosting.
* ``multiclass``: macro-F1 / balanced accuracy of tuned offsets vs argmax vs
  ``class_weight="balanced"`` (Wilcoxon over datasets, win/tie/loss).
* ``prior``: Brier score of an under-sampled model before/after ``PriorCorrectedClassifier``.
* ``scales``: the Balancing-the-Scales comparison: baseline, class weights, SMOTE, tuned
  threshold; mean F1, Brier, win rate vs baseline, Wilcoxon.

Every score is on outer test folds (stratified k-fold, repeated); all tuning happens inside the
outer training folds. Results go to ``benchmarks/results/decision-<part>.{json,md}``; the rows
(one per outer fold) to ``results/data/decision-<part>.rows.jsonl`` (git-ignored).

Example::

    python benchmarks/decision.py --part parity --max-n 1000 --repeats 2 --n-jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings
from pathlib import Path

# One OpenMP thread per process: on a small shared machine gradient boosting's thread pool
# otherwise contends with itself and with the other jobs (10x slower fits measured here).
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline as make_imb_pipeline
from imblearn.under_sampling import RandomUnderSampler
from joblib import Parallel, delayed
from scipy.stats import wilcoxon
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold, TunedThresholdClassifierCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skewlearn import metrics
from skewlearn.datasets import list_datasets, load_dataset
from skewlearn.decision import DecisionTunedClassifier, PriorCorrectedClassifier

RESULTS = Path(__file__).parent / "results"
DATA = RESULTS / "data"  # git-ignored: row dumps
TIE = 1e-3  # per-dataset differences smaller than this count as ties


LEARNERS = ("lr", "hgb", "rf", "dt")


def learner(name: str, class_weight=None):
    if name == "lr":
        return LogisticRegression(max_iter=2000, class_weight=class_weight)
    if name == "rf":
        return RandomForestClassifier(class_weight=class_weight, random_state=0)
    if name == "dt":
        return DecisionTreeClassifier(class_weight=class_weight, random_state=0)
    return HistGradientBoostingClassifier(class_weight=class_weight, random_state=0)


def preprocess(X: pd.DataFrame):
    categorical = X.select_dtypes(exclude="number").columns.tolist()
    numeric = X.columns.difference(categorical, sort=False).tolist()
    return make_column_transformer(
        (make_pipeline(SimpleImputer(), StandardScaler()), numeric),
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
    )


def strategies(part: str, X: pd.DataFrame, learner_name: str) -> dict:
    """Name -> unfitted model for one learner on one dataset."""
    pre = preprocess(X)
    base = make_pipeline(pre, learner(learner_name))
    if part == "parity":
        return {
            "ours": DecisionTunedClassifier(base, scoring="f1"),
            "sklearn": TunedThresholdClassifierCV(base, scoring="f1"),
        }
    if part == "multiclass":
        return {
            "argmax": base,
            "balanced": make_pipeline(clone(pre), learner(learner_name, "balanced")),
            "tuned_f1": DecisionTunedClassifier(base, scoring="f1"),
            "tuned_ba": DecisionTunedClassifier(base, scoring="balanced_accuracy"),
        }
    if part == "prior":
        under = make_imb_pipeline(
            clone(pre), RandomUnderSampler(random_state=0), learner(learner_name)
        )
        return {"plain": base, "undersampled": under, "corrected": PriorCorrectedClassifier(under)}
    return {  # scales
        "baseline": base,
        "class_weight": make_pipeline(clone(pre), learner(learner_name, "balanced")),
        "smote": make_imb_pipeline(
            clone(pre), SMOTE(k_neighbors=3, random_state=0), learner(learner_name)
        ),
        "threshold": DecisionTunedClassifier(base, scoring="f1"),
    }


def score_fold(part: str, model, X_te, y_te) -> dict[str, float]:
    y_pred = model.predict(X_te)
    # Every class of the problem, even when a tiny test fold holds no positive.
    labels = model.classes_
    if part == "multiclass":
        return {
            "macro_f1": metrics.f1(y_te, y_pred, labels=labels),
            "balanced_accuracy": metrics.balanced_accuracy(y_te, y_pred, labels=labels),
        }
    out = {"f1": metrics.f1(y_te, y_pred, labels=labels, pos_label=1)}
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(X_te)[:, 1]
        out["brier"] = metrics.brier(y_te, proba, labels=labels, pos_label=1)
    return out


def run_dataset(
    part: str, suite: str, name: str, learners: list[str], folds: int, repeats: int
) -> list[dict]:
    warnings.filterwarnings("ignore")
    data = load_dataset(f"{suite}/{name}")
    X = data.X
    y = np.asarray(data.y)
    if part != "multiclass":  # positive = minority, as 1
        values, counts = np.unique(y, return_counts=True)
        y = (y == values[np.argmin(counts)]).astype(int)
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=0)
    rows = []
    for fold, (train, test) in enumerate(splitter.split(X, y)):
        for learner_name in learners:
            for strategy, model in strategies(part, X, learner_name).items():
                start = time.perf_counter()
                row = {"dataset": name, "learner": learner_name, "strategy": strategy, "fold": fold}
                try:
                    model.fit(X.iloc[train], y[train])
                    row.update(score_fold(part, model, X.iloc[test], y[test]))
                    if isinstance(model, DecisionTunedClassifier):
                        row["fallback_folds"] = int(model.cv_results_["fold_fallback"].sum())
                except Exception as exc:  # a failure is a result too (e.g. constant predictions)
                    row["error"] = f"{type(exc).__name__}: {exc}"[:200]
                row["seconds"] = time.perf_counter() - start
                rows.append(row)
    return rows


def paired(table: pd.DataFrame, metric: str, a: str, b: str, lower_is_better=False) -> dict:
    """Paired comparison of strategy ``a`` vs ``b`` over datasets (per-dataset means)."""
    wide = table.pivot_table(index="dataset", columns="strategy", values=metric).dropna(
        subset=[a, b]
    )
    diff = wide[a] - wide[b]
    if lower_is_better:
        diff = -diff
    p = float(wilcoxon(diff).pvalue) if (diff.abs() > 0).any() else 1.0
    return {
        "metric": metric, "a": a, "b": b, "n_datasets": int(len(diff)),
        "mean_a": float(wide[a].mean()), "mean_b": float(wide[b].mean()),
        "mean_gain": float(diff.mean()), "wins": int((diff > TIE).sum()),
        "ties": int((diff.abs() <= TIE).sum()), "losses": int((diff < -TIE).sum()),
        "wilcoxon_p": p,
    }  # fmt: skip


COMPARISONS = {
    "parity": [("f1", "ours", "sklearn", False)],
    "multiclass": [
        ("macro_f1", "tuned_f1", "argmax", False),
        ("macro_f1", "tuned_f1", "balanced", False),
        ("balanced_accuracy", "tuned_ba", "argmax", False),
        ("balanced_accuracy", "tuned_ba", "balanced", False),
    ],
    "prior": [("brier", "corrected", "undersampled", True), ("brier", "corrected", "plain", True)],
    "scales": [
        *[("f1", s, "baseline", False) for s in ("class_weight", "smote", "threshold")],
        *[("brier", s, "baseline", True) for s in ("class_weight", "smote", "threshold")],
    ],
}


def summarise(part: str, rows: list[dict]) -> dict:
    table = pd.DataFrame(rows)
    errors = (
        table[table.get("error", pd.Series(dtype=object)).notna()]
        if "error" in table
        else table.iloc[:0]
    )
    ok = table.drop(errors.index)
    summary = {"n_datasets": int(table["dataset"].nunique()), "comparisons": [], "errors": []}
    for learner_name, group in ok.groupby("learner"):
        for metric, a, b, lower in COMPARISONS[part]:
            if metric in group:
                summary["comparisons"].append(
                    {"learner": learner_name, **paired(group, metric, a, b, lower)}
                )
    if len(errors):
        summary["errors"] = (
            errors.groupby(["learner", "strategy", "dataset"])["error"]
            .first()
            .reset_index()
            .to_dict("records")
        )
    if part == "parity":
        wide = ok.pivot_table(
            index=["learner", "dataset"], columns="strategy", values="f1"
        ).dropna()
        wide["diff"] = wide["ours"] - wide["sklearn"]
        summary["largest_differences"] = (
            wide.reindex(wide["diff"].abs().sort_values(ascending=False).index)
            .head(10)
            .reset_index()
            .to_dict("records")
        )
        summary["fallback_folds"] = int(ok["fallback_folds"].fillna(0).sum())
    summary["seconds_by_strategy"] = ok.groupby("strategy")["seconds"].mean().round(3).to_dict()
    return summary


def markdown(part: str, command: str, summary: dict) -> str:
    lines = [f"# decision benchmark: {part}", "", f"Command: `{command}`", "",
             f"Datasets: {summary['n_datasets']}", "",
             "| learner | metric | a | b | datasets | mean a | mean b | gain | W/T/L | Wilcoxon p |",
             "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for c in summary["comparisons"]:
        lines.append(
            f"| {c['learner']} | {c['metric']} | {c['a']} | {c['b']} | {c['n_datasets']} | "
            f"{c['mean_a']:.4f} | {c['mean_b']:.4f} | {c['mean_gain']:+.4f} | "
            f"{c['wins']}/{c['ties']}/{c['losses']} | {c['wilcoxon_p']:.3g} |"
        )
    if summary.get("largest_differences"):
        lines += ["", "Largest per-dataset F1 differences (ours - sklearn):", ""]
        lines += [
            f"- {d['learner']} {d['dataset']}: {d['diff']:+.4f}"
            for d in summary["largest_differences"]
        ]
    if summary["errors"]:
        lines += ["", "Failures (strategy could not be fitted):", ""]
        lines += [
            f"- {e['learner']} {e['strategy']} {e['dataset']}: {e['error']}"
            for e in summary["errors"]
        ]
    if "fallback_folds" in summary:
        lines += [
            "",
            f"Inner folds where ours fell back to the default rule: {summary['fallback_folds']}",
        ]
    lines += ["", f"Mean fit+score seconds per outer fold: {summary['seconds_by_strategy']}", ""]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=list(COMPARISONS), default="parity")
    parser.add_argument(
        "--suite", default=None, help="default: keel-multiclass for multiclass, else keel-binary"
    )
    parser.add_argument("--max-n", type=int, default=3000, help="skip datasets with more rows")
    parser.add_argument("--datasets", nargs="*", default=None, help="only these names")
    parser.add_argument("--learners", nargs="*", default=["lr", "hgb"], choices=LEARNERS)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--tag", default="", help="suffix of the output file names")
    parser.add_argument(
        "--from-rows", action="store_true", help="only summarise the rows a (stopped) run wrote"
    )
    parser.add_argument(
        "--resume", action="store_true", help="keep the rows a stopped run wrote, run the rest"
    )
    args = parser.parse_args(argv)

    suite = args.suite or ("keel-multiclass" if args.part == "multiclass" else "keel-binary")
    catalog = list_datasets(suite)
    names = catalog.loc[catalog["n_samples"] <= args.max_n, "name"].tolist()
    if args.datasets:
        names = [n for n in names if n in set(args.datasets)]
    DATA.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"decision-{args.part}{args.tag}"
    rows_path = DATA / f"{stem.name}.rows.jsonl"
    start = time.perf_counter()
    rows = []
    if args.from_rows or args.resume:
        with open(rows_path) as stream:
            rows = [json.loads(line) for line in stream]
        done_names = {row["dataset"] for row in rows}
        names = [] if args.from_rows else [n for n in names if n not in done_names]
    jobs = (
        delayed(run_dataset)(args.part, suite, name, args.learners, args.folds, args.repeats)
        for name in names
    )
    # Rows are appended as each dataset finishes, so a run stopped early keeps what it measured.
    appending = args.from_rows or args.resume
    with open(rows_path, "a" if appending else "w") as stream:
        for done, dataset_rows in enumerate(
            Parallel(n_jobs=args.n_jobs, return_as="generator_unordered")(jobs), start=1
        ):
            rows += dataset_rows
            stream.writelines(json.dumps(row, default=float) + "\n" for row in dataset_rows)
            stream.flush()
            print(f"[{done}/{len(names)}] {dataset_rows[0]['dataset']}", flush=True)
    summary = summarise(args.part, rows)
    summary["wall_seconds"] = round(time.perf_counter() - start, 1)
    command = "python benchmarks/decision.py " + " ".join(
        argv if argv is not None else __import__("sys").argv[1:]
    )
    summary["command"] = command
    stem.with_suffix(".json").write_text(json.dumps({"summary": summary}, indent=1, default=float))
    stem.with_suffix(".md").write_text(markdown(args.part, command, summary))
    print(markdown(args.part, command, summary))


if __name__ == "__main__":
    main()
