"""Reproduction (a): a CLIMB-style run of the imbalance methods skewlearn implements.

CLIMB (Liu et al., 2025, arXiv:2505.17451) compares 29 class-imbalance algorithms on 73
datasets with a decision-tree base learner, 5-fold stratified cross-validation and AUPRC,
macro-F1 and balanced accuracy. This script runs the subset of those algorithms that
skewlearn (and the imbalanced-learn samplers it re-exports) implements, each on a decision
tree, over keel-binary through the ``skewlearn.bench`` harness, then writes the report.

Differences from CLIMB, on purpose: default hyperparameters (CLIMB tunes each method with
100 trials), ensembles of ``--n-estimators`` trees, and F1 of the minority class instead of
macro-F1 (the metric registry's binary F1).

Usage::

    python benchmarks/climb.py --max-n 1500 --cv 5 --repeats 1 --n-jobs 2
    python benchmarks/climb.py --max-n 1500 --only-report   # re-draw the report from the store

Writes the digest to benchmarks/results/climb-n<max-n>-cv<cv>x<repeats>.json; the store
(``.sqlite``) and the HTML report go to results/data/ (git-ignored). The store is resumable:
interrupting and re-running continues where it stopped.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from imblearn.ensemble import BalancedRandomForestClassifier, EasyEnsembleClassifier
from imblearn.pipeline import Pipeline
from sklearn.tree import DecisionTreeClassifier

from skewlearn import ensemble, resample
from skewlearn.bench import Recipe, run_bench, write_bench_report
from skewlearn.evaluation import SQLiteStore, TaskInfo
from skewlearn.select._preprocess import make_preprocessor

RESULTS = Path(__file__).parent / "results"
DATA = RESULTS / "data"  # git-ignored: the store and the (large) HTML report
METRICS = ("average_precision", "f1", "balanced_accuracy", "mcc", "gmean")


def _svm_smote_k(task: TaskInfo) -> int:
    # imbalanced-learn's SVMSMOTE has no "auto": its k follows the same rule by hand (5, or
    # fewer for a class too small for 5), from the smallest class inside a training fold.
    return max(1, min(5, task.smallest_train_class - 1))


class _Sampled:
    """Preprocessing, one sampler, a decision tree: the recipe of CLIMB's resampling methods.

    A class rather than a closure so that worker processes can unpickle it.
    """

    def __init__(self, make_sampler):
        self.make_sampler = make_sampler

    def __call__(self, task: TaskInfo):
        return Pipeline(
            [
                ("preprocess", make_preprocessor(scale=True)),
                ("sampler", self.make_sampler(task)),
                ("tree", DecisionTreeClassifier()),
            ]
        )


class _Ensemble:
    """Preprocessing and an imbalance ensemble of decision trees."""

    def __init__(self, make_ensemble):
        self.make_ensemble = make_ensemble

    def __call__(self, task: TaskInfo):
        return Pipeline(
            [("preprocess", make_preprocessor(scale=True)), ("model", self.make_ensemble(task))]
        )


def recipes(n_estimators: int) -> list[Recipe]:
    """The CLIMB algorithms available here, named as CLIMB names them, baseline first.

    InstanceHardnessThreshold is left out: imbalanced-learn 0.14's version indexes its
    probabilities with the labels themselves and fails on string labels such as KEEL's.
    """
    tree = DecisionTreeClassifier()
    n = n_estimators
    samplers = {
        # under-sampling
        "RUS": lambda t: resample.RandomUnderSampler(),
        "TomekLinks": lambda t: resample.TomekLinks(),
        "NearMiss": lambda t: resample.NearMiss(),
        "CNN": lambda t: resample.CondensedNearestNeighbour(),
        "ENN": lambda t: resample.EditedNearestNeighbours(),
        "RENN": lambda t: resample.RepeatedEditedNearestNeighbours(),
        "AllKNN": lambda t: resample.AllKNN(),
        "OSS": lambda t: resample.OneSidedSelection(),
        "NCR": lambda t: resample.NeighbourhoodCleaningRule(),
        "CC": lambda t: resample.ClusterCentroids(),
        # over-sampling
        "ROS": lambda t: resample.RandomOverSampler(),
        # k_neighbors="auto" (their default): 5, or fewer for a class too small for 5
        "SMOTE": lambda t: resample.SMOTE(),
        "BorderlineSMOTE": lambda t: resample.BorderlineSMOTE(),
        "ADASYN": lambda t: resample.ADASYN(),
        "SVMSMOTE": lambda t: resample.SVMSMOTE(k_neighbors=_svm_smote_k(t)),
        # over- then under-sampling
        "SMOTEENN": lambda t: resample.SMOTEENN(smote=resample.SMOTE()),
        "SMOTETomek": lambda t: resample.SMOTETomek(smote=resample.SMOTE()),
    }
    ensembles = {
        # cost-sensitive boosting
        "AdaCost": lambda t: ensemble.AdaCostClassifier(tree, n_estimators=n),
        "AdaUBoost": lambda t: ensemble.AdaUBoostClassifier(tree, n_estimators=n),
        "AsymBoost": lambda t: ensemble.AsymBoostClassifier(tree, n_estimators=n),
        # under-sampling ensembles
        "SPE": lambda t: ensemble.SelfPacedEnsembleClassifier(tree, n_estimators=n),
        "BalanceCascade": lambda t: ensemble.BalanceCascadeClassifier(tree, n_estimators=n),
        "UnderBagging": lambda t: ensemble.UnderBaggingClassifier(tree, n_estimators=n),
        "EasyEnsemble": lambda t: EasyEnsembleClassifier(n_estimators=max(1, n // 5)),
        "BalancedRandomForest": lambda t: BalancedRandomForestClassifier(
            n_estimators=n, sampling_strategy="all", replacement=True, bootstrap=False
        ),
        "RUSBoost": lambda t: ensemble.RUSBoostClassifier(tree, n_estimators=n),
        # over-sampling ensembles
        "OverBagging": lambda t: ensemble.OverBaggingClassifier(tree, n_estimators=n),
        "SMOTEBagging": lambda t: ensemble.SMOTEBaggingClassifier(tree, n_estimators=n),
        "OverBoost": lambda t: ensemble.OverBoostClassifier(tree, n_estimators=n),
        "SMOTEBoost": lambda t: ensemble.SMOTEBoostClassifier(tree, n_estimators=n),
    }
    found = [
        Recipe("DT", Pipeline([("preprocess", make_preprocessor(scale=True)), ("tree", tree)])),
        Recipe(
            "DT+balanced",
            Pipeline(
                [
                    ("preprocess", make_preprocessor(scale=True)),
                    ("tree", DecisionTreeClassifier(class_weight="balanced")),
                ]
            ),
        ),
    ]
    found += [Recipe(name, _Sampled(make)) for name, make in samplers.items()]
    found += [Recipe(name, _Ensemble(make)) for name, make in ensembles.items()]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", default="keel-binary")
    parser.add_argument("--max-n", type=int, default=1500)
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-estimators", type=int, default=10)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--only", help="comma-separated recipe names (default: all)")
    parser.add_argument("--only-report", action="store_true")
    args = parser.parse_args()

    DATA.mkdir(parents=True, exist_ok=True)
    stem = f"climb-n{args.max_n}-cv{args.cv}x{args.repeats}"
    chosen = recipes(args.n_estimators)
    if args.only:
        keep = set(args.only.split(","))
        chosen = [r for r in chosen if r.name in keep]
    with SQLiteStore(DATA / f"{stem}.sqlite") as store:
        if not args.only_report:
            start = time.perf_counter()
            done = {"n": 0}

            def on_result(result) -> None:
                done["n"] += 1
                if done["n"] % 200 == 0:
                    elapsed = time.perf_counter() - start
                    print(f"{done['n']} tasks in {elapsed:.0f} s", flush=True)

            run = run_bench(
                store,
                args.suite,
                chosen,
                cv=args.cv,
                repeats=args.repeats,
                seed=args.seed,
                metrics=METRICS,
                n_jobs=args.n_jobs,
                max_n=args.max_n,
                on_result=on_result,
            )
            print(run)
        path, summary = write_bench_report(store, DATA / f"{stem}.html", baseline="DT")
        timing = summary.timing
        digest = {
            "suite": args.suite,
            "max_n": args.max_n,
            "cv": args.cv,
            "repeats": args.repeats,
            "n_estimators": args.n_estimators,
            "n_datasets": summary.n_datasets,
            "status_counts": summary.status_counts,
            "cpu_seconds_in_tasks": float(timing["total_time"].sum()),
            "metrics": {
                s.metric: {
                    "n_complete_datasets": s.n_datasets,
                    "friedman_p": None if s.friedman is None else s.friedman[1],
                    "critical_difference": s.critical_difference,
                    "average_ranks": s.ranks.round(3).to_dict(),
                    "mean": s.means.round(4).to_dict(),
                    "win_tie_loss_vs_DT": s.win_tie_loss.to_dict("index"),
                }
                for s in summary.sections
            },
        }
        (RESULTS / f"{stem}.json").write_text(json.dumps(digest, indent=1, default=float))
        print(f"report: {path}")


if __name__ == "__main__":
    main()
