"""Active learning on imbalanced suites: TAILOR against its candidates and baselines (issue 22).

The protocol (the defaults): the 26 keel-multiclass sets and the keel-binary sets with
imbalance ratio >= 9 and n >= 500; each seed holds out a stratified 30% for scoring (leaving at
least 2 rows of every class in the pool), labels a stratified 1% of the pool (at least 2 per
class), then queries batches of 1% of the pool until 30% is labelled; 5 seeds; logistic
regression and HGB; smallest sets first. Every simulation is committed to a resumable store
(``results/data/active<tag>.sqlite``): a killed run picks up where it stopped, and every
figure is over the sets on which a learner finished all its simulations (the others named).

Reported per learner and strategy: area under the macro-F1 and balanced-accuracy learning
curves (mean, average rank, Friedman, Nemenyi CD, Wilcoxon-Holm of tailor against each other
strategy), labels of each dataset's rarest class when 10% of the pool is labelled (against
random), seconds per query; one TAILOR query on a 100,000-row pool with HGB; and self-training
with 10% of the pool labelled: ``ClassBalancedSelfTraining`` vs scikit-learn's
``SelfTrainingClassifier`` vs the labelled rows alone (logistic regression, threshold 0.9).

    python benchmarks/active.py --n-jobs 2            # the whole protocol (many hours)
    python benchmarks/active.py --report-only         # the report of what the store holds
    python benchmarks/active.py --subset 10 --max-n 3000 --learners lr --seeds 2 \\
        --budget 0.2 --tag -reduced                   # what this machine ran

writes ``benchmarks/results/active<tag>.{md,json}`` and the HTML report to ``results/data/``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
RARE_SHARE = 0.1
SELF_TRAINING_SHARE = 0.1


def protocol_datasets(
    max_n: int | None,
    subset: int | None,
    seed: int,
    suites: tuple[str, ...] = ("keel-multiclass", "keel-binary"),
) -> list[str]:
    """keel-multiclass, and keel-binary with IR >= 9 and n >= 500 (a seeded subset of each),
    smallest first."""
    import numpy as np

    from skewlearn.datasets import list_datasets

    catalog = list_datasets()
    multiclass = catalog[catalog["suite"] == "keel-multiclass"]
    binary = catalog[
        (catalog["suite"] == "keel-binary")
        & (catalog["imbalance_ratio"] >= 9)
        & (catalog["n_samples"] >= 500)
    ]
    rng = np.random.default_rng(seed)
    names = []
    for suite, rows in (("keel-multiclass", multiclass), ("keel-binary", binary)):
        if suite not in suites:
            continue
        if max_n is not None:
            rows = rows[rows["n_samples"] <= max_n]
        chosen = sorted(rows["name"])
        size = dict(zip(rows["name"], rows["n_samples"]))
        if subset is not None and subset < len(chosen):
            chosen = sorted(rng.choice(chosen, size=subset, replace=False).tolist())
        # SATIMAGE is in both suites: its suite keeps the name unambiguous.
        names += [(size[n], f"{suite}/{n}" if n == "SATIMAGE" else n) for n in chosen]
    # Smallest first: a run stopped early leaves the most datasets finished.
    return [name for _, name in sorted(names)]


def _tailor_against_each(table, alpha: float = 0.05):
    """Wilcoxon signed-rank of tailor against each other strategy, Holm-adjusted."""
    import numpy as np
    import pandas as pd
    from scipy import stats

    from skewlearn.evaluation import holm

    tailor = next(c for c in table.columns if c.startswith("tailor/"))
    rows = []
    for other in table.columns.drop(tailor):
        difference = (table[tailor] - table[other]).to_numpy()
        p = (
            1.0
            if np.allclose(difference, 0)
            else float(stats.wilcoxon(difference, zero_method="zsplit").pvalue)
        )
        rows.append(
            {
                "other": other,
                "tailor_wins": int((difference > 0).sum()),
                "other_wins": int((difference < 0).sum()),
                "mean_difference": float(difference.mean()),
                "p": p,
            }
        )
    frame = pd.DataFrame(rows)
    frame["p_holm"] = holm(frame["p"])
    frame["significant"] = frame["p_holm"] < alpha
    return frame


def finished_datasets(records, strategies: list[str], seeds: int) -> tuple[list[str], list[str]]:
    """The datasets on which each of ``strategies`` has run (or been skipped) for every seed,
    and those on which one of them failed: a run stopped part-way leaves its last datasets
    partial, and neither kind enters a figure (the failures are listed)."""
    planned = records[records["strategy"].isin(strategies) & (records["fold"] < seeds)]
    failed = sorted(planned.loc[planned["status"] == "failed", "dataset"].unique())
    counts = planned[planned["status"].isin(["ok", "skipped"])].groupby("dataset").size()
    return sorted(counts.index[counts == len(strategies) * seeds]), failed


def summarise_suite(store, datasets: list[str], strategies: list[str], seeds: int) -> dict:
    """Per learner of ``strategies`` (names such as ``"tailor/lr"``), over the ``datasets`` it
    finished: areas, ranks, tests, rare-class labels at 10% and query times."""
    import pandas as pd

    from skewlearn.app._active_simulate import curve_table, query_times, rare_labels_at
    from skewlearn.bench import (
        average_ranks,
        complete_blocks,
        friedman_test,
        nemenyi_critical_difference,
        score_table,
    )

    records = store.records()
    records = records[
        records["dataset"].isin(datasets)
        & records["strategy"].isin(strategies)
        & (records["fold"] < seeds)
    ]
    records["learner"] = records["strategy"].str.rsplit("/", n=1).str[-1]
    curves = curve_table(store)
    curves = curves[curves["strategy"].isin(strategies) & (curves["seed"] < seeds)]
    times = query_times(store)
    times = times[times["strategy"].isin(strategies) & (times["seed"] < seeds)]
    out: dict = {
        "status": records["status"].value_counts().to_dict(),
        "failures": records.loc[records["status"] == "failed", ["dataset", "strategy", "error"]]
        .drop_duplicates(["dataset", "error"])
        .to_dict("records"),
    }
    for learner, rows in records.groupby("learner"):
        mine = [name for name in strategies if name.endswith("/" + learner)]
        finished, failed = finished_datasets(rows, mine, seeds)
        rows = rows[rows["dataset"].isin(finished)]
        section: dict = {"finished": finished, "failed": failed}
        for metric in store.config()["metrics"]:
            # A strategy that never ran (badge is skipped with HGB) is left out, not the sets.
            table = complete_blocks(score_table(rows, f"aulc_{metric}").dropna(axis=1, how="all"))
            ranks = average_ranks(table)
            k, n = table.shape[1], table.shape[0]
            section[metric] = {
                "n_datasets": n,
                "mean": table.mean().reindex(ranks.index).round(4).to_dict(),
                "rank": ranks.round(3).to_dict(),
                "friedman_p": friedman_test(table)[1] if k >= 3 and n >= 2 else None,
                "nemenyi_cd": nemenyi_critical_difference(k, n) if n else None,
                "tailor_vs": _tailor_against_each(table).round(5).to_dict("records")
                if n >= 2
                else [],
            }
        mine = curves[
            curves["strategy"].str.endswith("/" + learner) & curves["dataset"].isin(finished)
        ]
        rare = rare_labels_at(mine, RARE_SHARE)
        # Per dataset: the ratio of seed-mean rare labels, tailor / random.
        reached = mine[mine["share"] >= RARE_SHARE - 1e-9].sort_values("round")
        first = reached.groupby(["dataset", "strategy", "seed"]).head(1)
        per_set = first.pivot_table(index="dataset", columns="strategy", values="rare_labels")
        pair = [f"tailor/{learner}", f"random/{learner}"]
        # Nothing to compare when the budget stops short of 10% or tailor or random did not run.
        ratio = (
            per_set[pair[0]] / per_set[pair[1]]
            if set(pair) <= set(per_set.columns)
            else pd.Series(dtype=float)
        )
        section["rare_at_10pct"] = {
            "mean_labels": rare["rare_labels"].round(3).to_dict(),
            "vs_random": rare["vs_random"].round(3).to_dict(),
            "tailor_over_random_per_dataset_median": float(ratio.median()),
            "datasets_tailor_at_least_1.5x_random": int((ratio >= 1.5).sum()),
            "datasets": int(ratio.notna().sum()),
        }
        mine_times = times[
            times["strategy"].str.endswith("/" + learner) & times["dataset"].isin(finished)
        ]
        section["query_seconds"] = {
            "median": mine_times.groupby("strategy")["seconds"].median().round(5).to_dict(),
            "p95": mine_times.groupby("strategy")["seconds"].quantile(0.95).round(5).to_dict(),
        }
        trace = pd.Series(
            [
                name
                for result in store.results()
                if result.status == "ok"
                and result.strategy == f"tailor/{learner}"
                and result.dataset in finished
                and result.fold < seeds
                for name in _trace(result.metrics)
            ],
            dtype=object,
        )
        section["tailor_choices"] = trace.value_counts().to_dict()
        out[learner] = section
    return out


def _trace(metrics: dict) -> list[str]:
    from skewlearn.app._active_simulate import curve_from_metrics

    return curve_from_metrics(metrics).strategy_trace


def time_big_query(n: int = 100_000, seed: int = 0, repeats: int = 3) -> dict:
    """One query (batch 1% of the pool) of each of a few strategies with HGB fitted on 1% of
    a 100k-row pool, on one thread (the machine is shared; more threads only contend): median
    CPU seconds (``time.process_time``) and wall seconds of ``repeats`` queries, each by a fresh
    copy of the same fitted learner."""
    import copy

    import numpy as np
    from sklearn.datasets import make_classification
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    from skewlearn.active import ActiveLearner

    X, y = make_classification(
        n_samples=n, n_features=20, n_informative=8, n_classes=3, weights=[0.9, 0.08],
        random_state=seed,
    )  # fmt: skip
    rng = np.random.default_rng(seed)
    labelled = np.concatenate(
        [
            rng.choice(
                np.flatnonzero(y == c), size=max(2, int(0.01 * (y == c).sum())), replace=False
            )
            for c in np.unique(y)
        ]  # fmt: skip
    )
    pool = np.setdiff1d(np.arange(n), labelled)
    X_pool = X[pool]
    out = {"n_pool": len(pool), "n_labelled": len(labelled), "batch": n // 100}
    for name in ("tailor", "margin", "coreset", "class_balanced", "random"):
        learner = ActiveLearner(
            HistGradientBoostingClassifier(random_state=seed), name, batch_size=n // 100,
            random_state=seed,
        ).teach(X[labelled], y[labelled])  # fmt: skip
        cpu, wall = [], []
        with threadpool_limits(limits=1):
            for _ in range(repeats):
                fresh = copy.deepcopy(learner)
                start_cpu, start = time.process_time(), time.perf_counter()
                fresh.query(X_pool)
                cpu.append(time.process_time() - start_cpu)
                wall.append(time.perf_counter() - start)
        out[name] = {
            "cpu_seconds": round(float(np.median(cpu)), 3),
            "seconds": round(float(np.median(wall)), 3),
        }
    return out


def self_training(datasets: list[str], seeds: int, plan) -> dict:
    """Macro-F1 with 10% of the pool labelled: class-balanced self-training, scikit-learn's,
    and the labelled rows alone; paired over datasets (seed means)."""
    import numpy as np
    import pandas as pd
    from scipy import stats
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.semi_supervised import SelfTrainingClassifier
    from threadpoolctl import threadpool_limits

    from skewlearn.active import ClassBalancedSelfTraining
    from skewlearn.app._active_simulate import simulation_seed, split_dataset

    base = LogisticRegression(max_iter=1000)
    models = {
        "class_balanced_self_training": ClassBalancedSelfTraining(base, threshold=0.9),
        "sklearn_self_training": SelfTrainingClassifier(base, threshold=0.9),
        "supervised_only": base,
    }
    rows, failures = [], []
    for name in datasets:
        for index in range(seeds):
            seed = simulation_seed(plan.seed, name, index)
            try:
                data = split_dataset(name, plan, seed)
            except ValueError as error:
                failures.append({"dataset": name, "error": str(error)})
                break
            rng = np.random.default_rng(seed)
            classes = np.unique(data.y_pool)
            labelled = np.concatenate(
                [
                    rng.choice(
                        np.flatnonzero(data.y_pool == c),
                        size=max(2, int(round(SELF_TRAINING_SHARE * (data.y_pool == c).sum()))),
                        replace=False,
                    )
                    for c in classes
                ]  # fmt: skip
            )
            # Integer codes, so that -1 can mark the unlabelled rows whatever the labels are.
            codes = np.searchsorted(classes, data.y_pool)
            partial = np.full(len(codes), -1)
            partial[labelled] = codes[labelled]
            truth = np.searchsorted(classes, data.y_test)
            for model_name, model in models.items():
                with threadpool_limits(limits=1):
                    if model_name == "supervised_only":
                        fitted = clone(model).fit(data.X_pool[labelled], codes[labelled])
                    else:
                        fitted = clone(model).fit(data.X_pool, partial)
                    score = f1_score(
                        truth, fitted.predict(data.X_test), average="macro",
                        labels=np.arange(len(classes)), zero_division=0,
                    )  # fmt: skip
                rows.append({"dataset": name, "seed": index, "model": model_name, "f1": score})
    frame = pd.DataFrame(rows).pivot_table(index="dataset", columns="model", values="f1")
    frame = frame.dropna()
    ours = frame["class_balanced_self_training"]
    out = {
        "n_datasets": len(frame),
        "mean_macro_f1": frame.mean().round(4).to_dict(),
        "failures": failures,
    }
    for other in ("sklearn_self_training", "supervised_only"):
        difference = (ours - frame[other]).to_numpy()
        out[f"vs_{other}"] = {
            "mean_difference": round(float(difference.mean()), 4),
            "wins": int((difference > 0).sum()),
            "ties": int((difference == 0).sum()),
            "losses": int((difference < 0).sum()),
            "wilcoxon_p": float(stats.wilcoxon(difference, zero_method="zsplit").pvalue)
            if np.any(difference != 0)
            else 1.0,
        }
    return out


def _num(value, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def _claims(summary: dict) -> list[str]:
    """The issue's claims, each checked against this run's numbers."""
    lines = ["", "## The issue's claims against this run", ""]
    for learner in summary["learners"]:
        section = summary["suite"].get(learner)
        if section is None:
            continue
        tailor = f"tailor/{learner}"
        for metric in summary["config"]["metrics"]:
            ranks = section[metric]["rank"]
            if tailor not in ranks:
                continue
            single = {
                name: rank
                for name, rank in ranks.items()
                if name != tailor and not name.startswith("random_choice/")
            }
            better = [name for name, rank in single.items() if rank < ranks[tailor]]
            significant = [r["other"] for r in section[metric]["tailor_vs"] if r["significant"]]
            lines.append(
                f"- {learner}, area under {metric}: tailor's mean rank {ranks[tailor]:.2f} is "
                + (
                    "better than every single strategy's and random's"
                    if not better
                    else f"NOT better than {', '.join(better)}"
                )
                + "".join(
                    f" (random_choice, the meta baseline: {rank:.2f})"
                    for name, rank in ranks.items()
                    if name.startswith("random_choice/")
                )
                + "; Wilcoxon-Holm differences at 0.05: "
                + (", ".join(significant) if significant else "none")
                + "."
            )
        rare = section["rare_at_10pct"]
        ratio = rare["vs_random"].get(tailor)
        if ratio is not None:
            lines.append(
                f"- {learner}, rarest-class labels at 10%: tailor / random = {ratio:.2f} over all "
                f"simulations ({'holds' if ratio >= 1.5 else 'does NOT hold'}: target >= 1.5); "
                f"per dataset the median is "
                f"{rare['tailor_over_random_per_dataset_median']:.2f}, >= 1.5 on "
                f"{rare['datasets_tailor_at_least_1.5x_random']} of {rare['datasets']}."
            )
    big = summary.get("big_query")
    if big and "tailor" in big:
        cpu, seconds = big["tailor"]["cpu_seconds"], big["tailor"]["seconds"]
        lines.append(
            f"- one tailor query on {big['n_pool']:,} rows with HGB: {cpu:.2f} s of CPU, "
            f"{seconds:.2f} s wall (medians of 3; {'holds' if cpu <= 2 else 'does NOT hold'}: "
            f"target <= 2 s; the machine's load average was {summary['load_start']}-"
            f"{summary['load_end']} on 2 cores)."
        )
    st = summary.get("self_training")
    if st:
        for other in ("sklearn_self_training", "supervised_only"):
            row = st[f"vs_{other}"]
            lines.append(
                f"- class-balanced self-training vs {other}: {row['mean_difference']:+.4f} "
                f"macro-F1, W/T/L {row['wins']}/{row['ties']}/{row['losses']}, Wilcoxon p "
                f"{row['wilcoxon_p']:.3g}."
            )
    return lines


def _markdown(summary: dict, command: str) -> str:
    config, run = summary["config"], summary["run"]
    lines = [
        "# Active learning on imbalanced suites (issue 22)",
        "",
        f"Command: `{command}`",
        "",
        f"{summary['n_datasets']} datasets, smallest first ({', '.join(summary['datasets'])}); "
        f"seeds {summary['seeds']}; learners {', '.join(summary['learners'])}; initial "
        f"{config['initial']:.0%} of the pool, batches of {config['batch_size']:.0%}, up to "
        f"{config['budget']:.0%}; hold-out {config['test_size']:.0%}. Wall time of this "
        f"invocation {summary['wall_seconds']:.0f} s on a 2-core machine (load average at the "
        f"start {summary['load_start']}, at the end {summary['load_end']}).",
        "",
        f"Simulations in the store: {run['already_done'] + run['ran']} of {run['planned']} "
        "planned ("
        + ", ".join(f"{count} {status}" for status, count in summary["suite"]["status"].items())
        + ")"
        + ("; this invocation ran none (--report-only)." if summary["report_only"] else "."),
        "",
    ]
    for learner in summary["learners"]:
        section = summary["suite"].get(learner, {})
        finished, failed = section.get("finished", []), section.get("failed", [])
        missing = [name for name in summary["datasets"] if name not in finished + failed]
        lines.append(
            f"- {learner}: every simulation figure below is over the {len(finished)} datasets on "
            "which all its strategies ran all seeds"
            + (f"; a simulation failed on {', '.join(failed)} (listed below)" if failed else "")
            + (f"; not run to the end: {', '.join(missing)}" if missing else "")
            + "."
        )
    lines += _claims(summary)
    for failure in summary["suite"]["failures"]:
        lines.append(f"- failed: {failure['dataset']} ({failure['strategy']}): {failure['error']}")
    for learner in summary["learners"]:
        section = summary["suite"].get(learner)
        if section is None:
            continue
        lines += ["", f"## Learner {learner}"]
        for metric in config["metrics"]:
            part = section[metric]
            lines += [
                "",
                f"### Area under the {metric} learning curve ({part['n_datasets']} datasets)",
                "",
                f"Friedman p = {_num(part['friedman_p'], '.3g')}; "
                f"Nemenyi CD = {_num(part['nemenyi_cd'], '.2f')}.",
                "",
                "| strategy | mean rank | mean area |",
                "|---|---:|---:|",
            ]
            lines += [
                f"| {name} | {rank:.2f} | {part['mean'][name]:.4f} |"
                for name, rank in part["rank"].items()
            ]
            lines += [
                "",
                "tailor against each (Wilcoxon signed-rank over datasets, Holm-adjusted):",
                "",
                "| other | tailor better | other better | mean difference | p | Holm p |",
                "|---|---:|---:|---:|---:|---:|",
            ]
            lines += [
                f"| {row['other']} | {row['tailor_wins']} | {row['other_wins']} | "
                f"{row['mean_difference']:+.4f} | {row['p']:.3g} | {row['p_holm']:.3g} |"
                for row in part["tailor_vs"]
            ]
        rare = section["rare_at_10pct"]
        lines += [
            "",
            "### Labels of the rarest class at 10% of the pool",
            "",
            "| strategy | mean labels | / random |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| {name} | {value:.2f} | {rare['vs_random'][name]:.2f} |"
            for name, value in rare["mean_labels"].items()
        ]
        lines += [
            "",
            "tailor / random per dataset: median "
            f"{rare['tailor_over_random_per_dataset_median']:.2f}; "
            f"at least 1.5x on {rare['datasets_tailor_at_least_1.5x_random']} of "
            f"{rare['datasets']} datasets.",
            "",
            "### Seconds per query (median, 95th percentile)",
            "",
            "| strategy | median | p95 |",
            "|---|---:|---:|",
        ]
        times = section["query_seconds"]
        lines += [
            f"| {name} | {value:.4f} | {times['p95'][name]:.4f} |"
            for name, value in times["median"].items()
        ]
        lines += [
            "",
            f"TAILOR's choices (candidate of most rows per query): {section['tailor_choices']}",
        ]
    big = summary.get("big_query")
    if big:
        lines += [
            "",
            f"## One query on a {big['n_pool']:,}-row pool (HGB fitted on {big['n_labelled']} "
            f"rows, batch {big['batch']}), one thread, medians of 3",
            "",
            "| strategy | CPU seconds | wall seconds |",
            "|---|---:|---:|",
        ]
        lines += [
            f"| {name} | {value['cpu_seconds']:.3f} | {value['seconds']:.3f} |"
            for name, value in big.items()
            if isinstance(value, dict)
        ]
    st = summary.get("self_training")
    if st:
        lines += [
            "",
            f"## Self-training with 10% of the pool labelled ({st['n_datasets']} datasets, "
            "logistic regression, threshold 0.9, macro-F1 on the hold-out, seed means)",
            "",
            "| model | mean macro-F1 |",
            "|---|---:|",
        ]
        lines += [f"| {name} | {value:.4f} |" for name, value in st["mean_macro_f1"].items()]
        for other in ("sklearn_self_training", "supervised_only"):
            row = st[f"vs_{other}"]
            lines.append(
                f"\nclass-balanced vs {other}: {row['mean_difference']:+.4f} "
                f"(W/T/L {row['wins']}/{row['ties']}/{row['losses']}, Wilcoxon p "
                f"{row['wilcoxon_p']:.3g})"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subset", type=int, help="a seeded subset of this many sets per suite")
    parser.add_argument("--max-n", type=int, help="skip larger datasets")
    parser.add_argument("--suites", default="keel-multiclass,keel-binary")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--learners", default="lr,hgb")
    parser.add_argument("--strategies", help="comma-separated (default: every strategy)")
    parser.add_argument("--initial", type=float, default=0.01)
    parser.add_argument("--batch", type=float, default=0.01)
    parser.add_argument("--budget", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--engine", default="local", choices=["local", "dask"])
    parser.add_argument("--skip-big-query", action="store_true")
    parser.add_argument("--skip-self-training", action="store_true")
    parser.add_argument("--tag", default="", help="suffix of the result file names")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="run no simulation: report what the store holds (the query timing and the "
        "self-training comparison still run unless skipped)",
    )
    args = parser.parse_args(argv)

    from skewlearn.app._active_simulate import (
        DEFAULT_STRATEGIES,
        SimulationPlan,
        plan_simulations,
        resolve_candidates,
        run_active_suite,
        write_simulation_report,
    )
    from skewlearn.evaluation import SQLiteStore

    start = time.perf_counter()
    load_start = round(os.getloadavg()[0], 1)
    names = protocol_datasets(args.max_n, args.subset, args.seed, tuple(args.suites.split(",")))
    plan = SimulationPlan(
        initial=args.initial, batch_size=args.batch, budget=args.budget, seed=args.seed
    )
    learners = [name.strip() for name in args.learners.split(",") if name.strip()]
    data = args.out / "data"
    data.mkdir(parents=True, exist_ok=True)
    stem = f"active{args.tag}"
    strategies = args.strategies or DEFAULT_STRATEGIES
    candidates = resolve_candidates(strategies, learners)
    with SQLiteStore(data / f"{stem}.sqlite") as store:
        if args.report_only:
            if not store.config():
                parser.error(f"{store.path} holds no simulations: run without --report-only")
            store.check_config(plan.config())  # a report of other settings is refused
            tasks = plan_simulations(names, candidates, args.seeds, plan)
            stored = store.finished(include_failed=True)
            done = sum(task.key in stored for task in tasks)
            run = argparse.Namespace(planned=len(tasks), already_done=done, ran=0)
        else:
            run = run_active_suite(
                store,
                names,
                strategies,
                learners=learners,
                seeds=args.seeds,
                plan=plan,
                engine=args.engine,
                n_jobs=args.n_jobs,
                on_start=lambda todo, done: print(f"{todo} simulations to run, {done} stored"),
                on_result=lambda r: print(
                    f"{r.dataset} {r.strategy} seed {r.fold}: {r.status} "
                    f"{r.metrics.get('aulc_macro_f1', r.error)}",
                    flush=True,
                ),
            )
        write_simulation_report(store, data / f"{stem}.html")
        suite = summarise_suite(store, names, [c.name for c in candidates], args.seeds)
    summary = {
        "config": plan.config(),
        "datasets": names,
        "n_datasets": len(names),
        "seeds": args.seeds,
        "learners": learners,
        "run": {"planned": run.planned, "already_done": run.already_done, "ran": run.ran},
        "report_only": args.report_only,
        "suite": suite,
    }
    if not args.skip_big_query:
        summary["big_query"] = time_big_query()
    if not args.skip_self_training:
        summary["self_training"] = self_training(names, args.seeds, plan)
    summary["wall_seconds"] = round(time.perf_counter() - start, 1)
    summary["load_start"] = load_start
    summary["load_end"] = round(os.getloadavg()[0], 1)
    command = "python benchmarks/active.py " + " ".join(argv or sys.argv[1:])
    (args.out / f"{stem}.json").write_text(
        json.dumps({"command": command, "summary": summary}, indent=1, default=str) + "\n"
    )
    text = _markdown(summary, command)
    (args.out / f"{stem}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
