"""Self-paced Ensemble on Dask collections larger than one process should hold, issue 20.

A chunked generator (make_classification-like: 20 float32 features, 6 informative, 4
redundant, 10 noise, majority:minority 100:1, 1% label noise) writes partitioned Parquet one
chunk at a time, so the table is never in memory whole. A ``LocalCluster`` of 2 workers x 1
thread with ``memory_limit`` 4 GB each fits ``SelfPacedEnsembleClassifier(n_estimators=10)``
on ``read_parquet_lazy``'s collections. Recorded per size: fit wall and client CPU time, test
AP on 200,000 held-out rows (from the same generator), the client's peak RSS during the fit
(sampled every 0.1 s), and worker restarts (worker pids before and after, and the nannies'
logs). Sizes up to ``--memory-max-rows`` are also fitted in memory with the same settings
(the agreement check: AP within 0.005, time <= 1.5x); sizes up to ``--persist-max-rows``
are fitted a second time on Dask with the partitions persisted in the workers' memory.
``--max-depth`` bounds the member tree (default: unbounded, scikit-learn's default tree), so
that a run can tell the cost of the Dask passes from the learner's own growth with rows.

    python benchmarks/massive.py --rows 2000000 10000000 50000000

writes ``benchmarks/results/massive.json`` and ``.md``; the Parquet goes to
``benchmarks/results/data/massive-<rows>/`` and is deleted after the run (``--keep-data``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import threading
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"
N_FEATURES = 20
N_INFORMATIVE, N_REDUNDANT = 6, 4
MINORITY_SHARE = 1 / 101
FLIP = 0.01
TEST_ROWS = 200_000


class Generator:
    """make_classification's recipe with its constants drawn once, so chunks are alike.

    Each class has 2 Gaussian clusters centred on vertices of a hypercube (side 2) in the
    informative space, each with its own random covariance; redundant features are random
    combinations of the informative ones; the rest is noise. Chunk ``i`` draws its rows
    with a generator seeded from ``(seed, i)``.
    """

    def __init__(self, seed: int):
        rng = np.random.default_rng([seed, 2**31])
        vertices = rng.choice([-1.0, 1.0], size=(4, N_INFORMATIVE))
        self.centroids = vertices  # clusters 0, 1: majority; 2, 3: minority
        self.scales = rng.uniform(-1, 1, size=(4, N_INFORMATIVE, N_INFORMATIVE))
        self.redundant = rng.uniform(-1, 1, size=(N_INFORMATIVE, N_REDUNDANT))
        self.seed = seed

    def chunk(self, index: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng([self.seed, index])
        y = (rng.random(n) < MINORITY_SHARE).astype(np.int8)
        cluster = 2 * y + rng.integers(0, 2, size=n)
        z = rng.standard_normal((n, N_INFORMATIVE))
        informative = np.einsum("ni,nij->nj", z, self.scales[cluster]) + self.centroids[cluster]
        X = np.empty((n, N_FEATURES), dtype=np.float32)
        X[:, :N_INFORMATIVE] = informative
        X[:, N_INFORMATIVE : N_INFORMATIVE + N_REDUNDANT] = informative @ self.redundant
        X[:, N_INFORMATIVE + N_REDUNDANT :] = rng.standard_normal(
            (n, N_FEATURES - N_INFORMATIVE - N_REDUNDANT)
        )
        flip = rng.random(n) < FLIP
        y[flip] = rng.integers(0, 2, size=int(flip.sum()))
        return X, y


def write_parquet(gen: Generator, rows: int, chunk_rows: int, folder: Path) -> int:
    """``rows`` rows as one Parquet file per chunk; returns the bytes written."""
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    columns = [f"f{i}" for i in range(N_FEATURES)]
    for i, start in enumerate(range(0, rows, chunk_rows)):
        X, y = gen.chunk(i, min(chunk_rows, rows - start))
        frame = pd.DataFrame(X, columns=columns).assign(target=y)
        frame.to_parquet(folder / f"part-{i:05d}.parquet", index=False)
    return sum(p.stat().st_size for p in folder.glob("*.parquet"))


class PeakRSS:
    """The largest resident set size of this process while the block runs."""

    def __init__(self):
        import psutil

        self._process = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()

    def _sample(self):
        while not self._stop.wait(0.1):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __enter__(self):
        self.peak = self._process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _watch_worker_rss(dask_worker) -> None:
    """Start a thread on a worker that keeps the peak RSS of its process (every 0.1 s)."""
    import psutil

    process = psutil.Process()
    stop = threading.Event()
    dask_worker.peak_rss_watch = {"peak": process.memory_info().rss, "stop": stop}

    def sample():
        while not stop.wait(0.1):
            watch = dask_worker.peak_rss_watch
            watch["peak"] = max(watch["peak"], process.memory_info().rss)

    threading.Thread(target=sample, daemon=True).start()


def _worker_peak_rss(dask_worker) -> int:
    watch = dask_worker.peak_rss_watch
    watch["stop"].set()
    return watch["peak"]


def _time_member_scoring(dask_worker) -> None:
    """Count the seconds a worker spends scoring members (``_member_proba``) from now on."""
    from skewlearn.ensemble._base import _BaseImbalanceEnsemble as Ensemble

    original = getattr(dask_worker, "untimed_member_proba", Ensemble._member_proba)
    dask_worker.untimed_member_proba = original
    dask_worker.member_scoring_s = 0.0

    def timed(self, member, X):
        start = time.perf_counter()
        try:
            return original(self, member, X)
        finally:
            dask_worker.member_scoring_s += time.perf_counter() - start

    Ensemble._member_proba = timed


def _member_scoring_seconds(dask_worker) -> float:
    from skewlearn.ensemble._base import _BaseImbalanceEnsemble as Ensemble

    Ensemble._member_proba = dask_worker.untimed_member_proba
    return dask_worker.member_scoring_s


def _restarts(client, pids_before: dict) -> dict:
    pids_after = client.run(os.getpid)
    logs = client.get_worker_logs(nanny=True)
    memory_lines = [
        line
        for lines in logs.values()
        for _, line in lines
        if "restart" in line.lower() or "memory" in line.lower()
    ]
    return {
        "workers_before": len(pids_before),
        "workers_after": len(pids_after),
        "pids_changed": sorted(set(pids_before.values()) ^ set(pids_after.values())) != [],
        "nanny_restart_or_memory_lines": memory_lines,
    }


class MemberFitTimer:
    """Wall seconds the client spends fitting members (the learner on its drawn sample).

    The rest of a Dask fit is the passes over the partitions; the split shows which part
    grows with rows how. It wraps the private ``_fit_member`` for the run's duration.
    """

    def __enter__(self):
        from skewlearn.ensemble import _dask

        self._module, self._original, self.seconds = _dask, _dask._fit_member, 0.0

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return self._original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        _dask._fit_member = timed
        return self

    def __exit__(self, *exc):
        self._module._fit_member = self._original


def _spe(args):
    from sklearn.tree import DecisionTreeClassifier

    from skewlearn.ensemble import SelfPacedEnsembleClassifier

    tree = None if args.max_depth is None else DecisionTreeClassifier(max_depth=args.max_depth)
    return SelfPacedEnsembleClassifier(tree, n_estimators=10, random_state=args.seed)


def _tree_words(max_depth: int | None) -> str:
    return "default tree" if max_depth is None else f"tree with max_depth={max_depth}"


def run_size(args, client, gen: Generator, rows: int, test) -> dict:
    from sklearn.metrics import average_precision_score

    from skewlearn.datasets import read_parquet_lazy

    folder = RESULTS / "data" / f"massive-{rows}"
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    size = write_parquet(gen, rows, args.chunk_rows, folder)
    write_s = time.perf_counter() - start
    X, y = read_parquet_lazy(folder, target="target")
    pids = client.run(os.getpid)
    spe = _spe(args)
    cpu = time.process_time()
    client.run(_watch_worker_rss)
    client.run(_time_member_scoring)
    with PeakRSS() as rss, MemberFitTimer() as members:
        start = time.perf_counter()
        spe.fit(X, y)
        fit_s = time.perf_counter() - start
    cpu = time.process_time() - cpu
    worker_peaks = client.run(_worker_peak_rss)
    scoring_s = sum(client.run(_member_scoring_seconds).values())
    X_test, y_test = test
    out = {
        "rows": rows,
        "partitions": X.npartitions,
        "parquet_bytes": size,
        "write_s": round(write_s, 2),
        "dask_fit_s": round(fit_s, 2),
        "dask_client_cpu_s": round(cpu, 2),
        "dask_member_fits_s": round(members.seconds, 2),
        "dask_passes_s": round(fit_s - members.seconds, 2),
        "worker_scoring_s": round(scoring_s, 2),
        "dask_test_ap": round(average_precision_score(y_test, spe.predict_proba(X_test)[:, 1]), 5),
        "client_peak_rss_mib": round(rss.peak / 2**20, 1),
        "worker_peak_rss_mib": round(max(worker_peaks.values()) / 2**20, 1),
        **_restarts(client, pids),
    }
    if rows <= args.persist_max_rows:
        # The same fit with the partitions held in the workers' memory (X.persist()), which
        # saves re-reading the Parquet in every round when the table fits the cluster.
        X_held, y_held = client.persist([X, y])
        spe_held = _spe(args)
        start = time.perf_counter()
        spe_held.fit(X_held, y_held)
        out["dask_persisted_fit_s"] = round(time.perf_counter() - start, 2)
        proba = spe_held.predict_proba(X_test)[:, 1]
        out["dask_persisted_test_ap"] = round(average_precision_score(y_test, proba), 5)
        del X_held, y_held
    if rows <= args.memory_max_rows:
        import pandas as pd

        frame = pd.read_parquet(folder)
        X_mem = frame.drop(columns="target").to_numpy()
        y_mem = frame["target"].to_numpy()
        del frame
        spe_mem = _spe(args)
        start = time.perf_counter()
        spe_mem.fit(X_mem, y_mem)
        out["memory_fit_s"] = round(time.perf_counter() - start, 2)
        # Fitted on an array, so scored on one (no feature-name warning).
        proba = spe_mem.predict_proba(X_test.to_numpy())[:, 1]
        out["memory_test_ap"] = round(average_precision_score(y_test, proba), 5)
        out["ap_gap"] = round(out["dask_test_ap"] - out["memory_test_ap"], 5)
        out["time_ratio"] = round(out["dask_fit_s"] / out["memory_fit_s"], 2)
        del X_mem, y_mem
    if not args.keep_data:
        shutil.rmtree(folder)
    print(json.dumps(out), flush=True)
    return out


def _shared(record: dict) -> str:
    # A 1-minute load above the cluster's two workers means other jobs shared the cores.
    if max(record["load_start"][0], record["load_end"][0]) <= 2.5:
        return ""
    return " (a shared machine: other jobs ran beside this one, so times are upper bounds)"


def _markdown(record: dict) -> str:
    lines = [
        "# Self-paced Ensemble on Dask collections (issue 20)",
        "",
        f"Command: `{record['command']}`",
        "",
        f"Machine: {record['machine']}; load average at start {record['load_start']}, at end "
        f"{record['load_end']}{_shared(record)}. Cluster: LocalCluster, 2 workers x 1 thread, "
        f"memory_limit 4 GB each. SPE n_estimators=10, {_tree_words(record.get('max_depth'))}, "
        f"seed {record['seed']}. "
        f"Test: {TEST_ROWS:,} held-out rows from the same generator. A Dask fit's time is the "
        "member fits (the tree on its drawn sample, on the client) plus the passes over the "
        "partitions (drawing, scoring the newest member, hardness statistics); worker scoring "
        "is the part of the passes the workers spent in the members' predict_proba, summed "
        "over both workers (so about twice its share of the passes' wall time).",
        "",
        "| rows | partitions | Parquet MiB | Dask fit s | member fits s | passes s | worker "
        "scoring s | client CPU s "
        "| test AP | client peak RSS MiB | worker peak RSS MiB | worker restarts | in-memory "
        "fit s | in-memory AP | AP gap | time ratio | persisted fit s | persisted AP |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in record["sizes"]:
        restarts = "yes" if r["pids_changed"] or r["nanny_restart_or_memory_lines"] else "none"
        cells = [
            f"{r['rows']:,}",
            r["partitions"],
            f"{r['parquet_bytes'] / 2**20:.0f}",
            r["dask_fit_s"],
            r.get("dask_member_fits_s", "-"),
            r.get("dask_passes_s", "-"),
            r.get("worker_scoring_s", "-"),
            r["dask_client_cpu_s"],
            r["dask_test_ap"],
            r["client_peak_rss_mib"],
            r.get("worker_peak_rss_mib", "-"),
            restarts,
            *(
                r.get(key, "-")
                for key in (
                    "memory_fit_s",
                    "memory_test_ap",
                    "ap_gap",
                    "time_ratio",
                    "dask_persisted_fit_s",
                    "dask_persisted_test_ap",
                )
            ),
        ]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    sizes = record["sizes"]
    if len(sizes) >= 2:
        lines += ["", "| rows | x rows | x fit time | x member fits | x passes | x worker "
                  "scoring | x client peak RSS | x largest worker peak RSS |",
                  "|---|---|---|---|---|---|---|---|"]  # fmt: skip
        keys = ("dask_fit_s", "dask_member_fits_s", "dask_passes_s", "worker_scoring_s",
                "client_peak_rss_mib", "worker_peak_rss_mib")  # fmt: skip
        for before, after in zip(sizes, sizes[1:]):
            ratios = [
                f"{after[key] / before[key]:.2f}" if key in after and key in before else "-"
                for key in keys
            ]
            lines.append(
                f"| {before['rows']:,} -> {after['rows']:,} | "
                f"{after['rows'] / before['rows']:.1f} | " + " | ".join(ratios) + " |"
            )
    lines += ["", record.get("note", ""), ""]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2_000_000, 10_000_000, 50_000_000])
    parser.add_argument("--chunk-rows", type=int, default=500_000)
    parser.add_argument("--memory-max-rows", type=int, default=2_000_000)
    parser.add_argument("--persist-max-rows", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-depth", type=int, default=None)
    parser.add_argument("--keep-data", action="store_true")
    parser.add_argument("--note", default="")
    parser.add_argument("--out", default="massive")
    args = parser.parse_args(argv)

    import distributed
    import pandas as pd
    import sklearn

    import skewlearn

    gen = Generator(args.seed)
    # Held-out rows: chunk indices no training table uses.
    X_test, y_test = gen.chunk(10**6, TEST_ROWS)
    test = (pd.DataFrame(X_test, columns=[f"f{i}" for i in range(N_FEATURES)]), y_test)
    load_start = os.getloadavg()
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        memory_limit="4GB",
        processes=True,
        dashboard_address=None,
    )
    record = {
        "command": "python benchmarks/massive.py " + " ".join(argv or sys.argv[1:]),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "load_start": [round(x, 1) for x in load_start],
        "seed": args.seed,
        "max_depth": args.max_depth,
        "versions": {
            "skewlearn": skewlearn.__version__,
            "scikit-learn": sklearn.__version__,
            "dask": distributed.__version__,
        },
        "note": args.note,
        "sizes": [],
    }
    try:
        with distributed.Client(cluster) as client:
            for rows in sorted(args.rows):
                record["sizes"].append(run_size(args, client, gen, rows, test))
                # Written after every size, so a run stopped at a larger one keeps the others.
                record["load_end"] = [round(x, 1) for x in os.getloadavg()]
                (RESULTS / f"{args.out}.json").write_text(json.dumps(record, indent=2) + "\n")
                (RESULTS / f"{args.out}.md").write_text(_markdown(record))
    finally:
        cluster.close()


if __name__ == "__main__":
    main()
