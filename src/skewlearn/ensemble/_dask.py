"""Imbalance ensembles fitted on Dask collections: the majority stays in partitions.

Only small things travel: per-partition label counts and hardness statistics go to the
client, each member's drawn sample is gathered, and the models go out once per round as a
single graph key (a ``Delayed``) that every partition task shares. The labels, the running
ensemble probabilities of Self-paced Ensemble and BalanceCascade, and BalanceCascade's
"still in play" mask stay on the workers as persisted per-partition state.

A worker lost in the middle of a fit loses its share of that state; Dask recomputes it from
the graph (every task is a pure function of its inputs and seeds), so the fit completes
with the same members, or fails with Dask's error once a task has killed too many workers.

Randomness never depends on the engine: round ``i`` (or member ``i``) has the seed the
in-memory fit draws for it; the client splits each draw's size over the partitions with a
generator seeded from it, and partition ``j`` draws its rows with a generator seeded from
``(seed, j)``. The members are therefore the same for any number of workers.

dask is imported here only; skewlearn itself imports without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.utils import check_array
from sklearn.utils.multiclass import check_classification_targets

from skewlearn.ensemble._base import _draw_seeds, _is_dask_collection
from skewlearn.ensemble._self_paced import self_paced_alpha, self_paced_bin_quota
from skewlearn.metrics._dask import _parts_1d


@dataclass(frozen=True)
class DaskFitLimits:
    """What a Dask fit may bring to the client.

    max_member_bytes : int
        Largest training set of one member (the classes kept whole, gathered once, plus the
        rows drawn from the under-sampled classes), as float64 features. 2 GiB by default:
        a member of a 100:1 problem with 20 features reaches it at about 6.7M minority rows.
    """

    max_member_bytes: int = 2 << 30


# ---------------------------------------------------------------------------------------
# Input: X and y split into aligned partitions, scanned once.


def _partitions(X, y) -> list[tuple]:
    """``(X_part, y_part)`` Delayed pairs, one per row partition; refuses unaligned inputs."""
    import dask.array as da
    import dask.dataframe as dd

    if not _is_dask_collection(y):
        raise TypeError(
            f"X is a Dask collection but y is {type(y).__name__}; pass y as a Dask Series or "
            "a 1-D Dask array partitioned like X (e.g. ddf[target] with "
            "X = ddf.drop(columns=target))."
        )
    if isinstance(X, da.Array):
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D; got a Dask array with {X.ndim} dimensions.")
        x_parts = list(X.rechunk({1: -1}).to_delayed().ravel())
    elif isinstance(X, dd.DataFrame):
        # Dask's optimiser may fuse small Parquet partitions differently for different
        # column selections (X with 20 columns, y with one), so X's and y's partitions would
        # hold different rows; unoptimised graphs keep the partitions of their frame.
        x_parts = list(X.to_delayed(optimize_graph=False))
    else:
        raise TypeError(f"X must be a Dask DataFrame or Dask array; got {type(X).__name__}.")
    y_parts = _parts_1d(y, "y")
    if len(x_parts) != len(y_parts):
        raise ValueError(
            f"X has {len(x_parts)} partitions and y has {len(y_parts)}; they must be split "
            "alike (take both from one Dask DataFrame, or rechunk y to X's row chunks)."
        )
    return list(zip(x_parts, y_parts))


def _as_features(X_part) -> NDArray:
    # The same conversion validate_data applies in memory: numeric, finite, 2-D.
    return check_array(X_part, accept_sparse=False)


def _scan(X_part, y_part) -> dict:
    """What the client needs to know about one partition: sizes, labels, missing targets."""
    X_part = _as_features(X_part)
    y_arr = np.asarray(y_part)
    n_missing = int(pd.isna(y_arr).sum())
    labels, counts = np.unique(y_arr[~pd.isna(y_arr)], return_counts=True)
    return {
        "n_x": X_part.shape[0],
        "n_y": y_arr.shape[0],
        "n_features": X_part.shape[1],
        "n_missing": n_missing,
        "labels": labels,
        "counts": counts,
    }


def _check_scans(scans: list[dict]) -> tuple[NDArray, NDArray[np.intp], int]:
    """Classes, per-partition class counts (n_partitions x n_classes) and n_features."""
    for j, s in enumerate(scans):
        if s["n_x"] != s["n_y"]:
            raise ValueError(
                f"partition {j} of X has {s['n_x']} rows and that of y has {s['n_y']}; X and "
                "y must have the same row partitions."
            )
    n_missing = sum(s["n_missing"] for s in scans)
    if n_missing:
        raise ValueError(
            f"y has {n_missing} missing values (NaN/None); drop those rows or fill them first."
        )
    n_features = {s["n_features"] for s in scans if s["n_x"]}
    if not n_features:
        raise ValueError("X has no rows in any partition; an ensemble needs training data.")
    if len(n_features) > 1:
        raise ValueError(f"X's partitions have different numbers of columns: {sorted(n_features)}.")
    classes = np.unique(np.concatenate([s["labels"] for s in scans]))
    check_classification_targets(classes)
    if len(classes) < 2:
        raise ValueError(
            f"y contains 1 class ({classes[0]!r}); an ensemble classifier needs at least two "
            "classes."
        )
    counts = np.zeros((len(scans), len(classes)), dtype=np.intp)
    for j, s in enumerate(scans):
        counts[j, np.searchsorted(classes, s["labels"])] = s["counts"]
    return classes, counts, n_features.pop()


def _prepare(ensemble, X, y, sample_weight, limits: DaskFitLimits):
    """Validate and scan the input once; set the fitted attributes known before any member.

    Returns the partitions, the per-partition class counts, the under-sampling targets and
    the classes kept whole.
    """
    import dask

    if sample_weight is not None:
        raise TypeError(
            "sample_weight is not supported with Dask input yet; fit without it, or compute "
            "X, y and sample_weight into memory first."
        )
    parts = _partitions(X, y)
    scans = dask.compute(*[dask.delayed(_scan)(xp, yp) for xp, yp in parts])
    classes, part_counts, n_features = _check_scans(scans)
    ensemble.classes_ = classes
    ensemble.n_classes_ = len(classes)
    ensemble.n_features_in_ = n_features
    columns = getattr(X, "columns", None)
    if columns is not None and all(isinstance(c, str) for c in columns):
        ensemble.feature_names_in_ = np.asarray(columns, dtype=object)
    elif hasattr(ensemble, "feature_names_in_"):
        del ensemble.feature_names_in_
    counts = part_counts.sum(axis=0)
    # imbalanced-learn resolves sampling_strategy from a label array; its size is that of y,
    # codes only (one int per row), never features.
    targets = ensemble._sampling_targets(np.repeat(np.arange(len(classes)), counts))
    targets = {c: n for c, n in targets.items() if n < counts[c]}
    whole = [c for c in range(len(classes)) if c not in targets]
    member_rows = counts[whole].sum() + sum(targets.values())
    member_bytes = int(member_rows) * n_features * 8
    if member_bytes > limits.max_member_bytes:
        raise MemoryError(
            f"each member would be fitted on {member_rows} rows ({counts[whole].sum()} of the "
            f"classes kept whole: {classes[whole].tolist()}), {member_bytes:,} bytes as "
            f"float64, above the cap of {limits.max_member_bytes:,} bytes; pass a "
            "sampling_strategy that under-samples more, or fit on a sample of the minority."
        )
    return parts, part_counts, targets, whole


def _codes(y_part, classes: NDArray) -> NDArray[np.unsignedinteger]:
    # The smallest integer type: the codes stay on the workers for the whole fit.
    codes = np.searchsorted(classes, np.asarray(y_part))
    return codes.astype(np.min_scalar_type(len(classes) - 1))


def _rows_of(X_part, y_part, classes, wanted: list[int]) -> tuple[NDArray, NDArray]:
    codes = _codes(y_part, classes)
    keep = np.isin(codes, wanted)
    return _as_features(X_part)[keep], codes[keep]


def _gather_whole(parts, classes, whole: list[int]) -> tuple[NDArray, NDArray]:
    """The classes kept whole, brought to the client once."""
    import dask

    pieces = dask.compute(*[dask.delayed(_rows_of)(xp, yp, classes, whole) for xp, yp in parts])
    return np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces])


def _split(total: int, populations: NDArray[np.intp], replacement: bool, rng) -> NDArray:
    """How many of ``total`` draws fall in each partition.

    A draw with replacement picks a uniformly random row, so its partition follows the
    populations (multinomial); without replacement the split is multivariate
    hypergeometric. Either way the per-partition draws that follow give exactly the
    in-memory draw's distribution.
    """
    if total == 0 or populations.sum() == 0:
        return np.zeros(len(populations), dtype=np.intp)
    if replacement:
        return rng.multinomial(total, populations / populations.sum())
    return rng.multivariate_hypergeometric(populations, total)


def _draw(X_part, codes, plan: dict, seed: int, j: int, replacement, bins=None):
    """Partition ``j``'s rows for one member: ``plan`` maps class -> per-bin counts.

    ``bins`` (class -> per-row bin of that class's rows) is given for hardness draws;
    a class without bins is drawn at random (one bin). ``replacement`` is one flag, or
    one per class.
    """
    rng = np.random.default_rng([seed, j])
    picked = []
    for c, n_per_bin in plan.items():
        rows = np.flatnonzero(codes == c)
        # A class whose hardness is flat this round has no bins: one random draw. Rows in
        # bin -1 (out of BalanceCascade's pool) are never drawn.
        row_bins = bins.get(c) if bins else None
        if row_bins is None:
            row_bins = np.zeros(len(rows), dtype=np.intp)
        replace = replacement[c] if isinstance(replacement, dict) else replacement
        for b in np.flatnonzero(n_per_bin):
            picked.append(rng.choice(rows[row_bins == b], size=n_per_bin[b], replace=replace))
    idx = np.concatenate(picked) if picked else np.zeros(0, dtype=np.intp)
    return _as_features(X_part)[idx], codes[idx]


def _draw_members(X_part, y_part, j, classes, plans, seeds, replacement) -> list[tuple]:
    """Partition ``j``'s rows for every member at once: one read of the partition."""
    codes = _codes(y_part, classes)
    return [_draw(X_part, codes, plan, seed, j, replacement) for plan, seed in zip(plans, seeds)]


def _fit_member(ensemble, seed: int, whole: tuple, drawn: list[tuple]):
    X_fit = np.concatenate([whole[0], *[d[0] for d in drawn]])
    y_fit = np.concatenate([whole[1], *[d[1] for d in drawn]]).astype(np.intp)
    return ensemble._make_member(seed).fit(X_fit, y_fit)


# ---------------------------------------------------------------------------------------
# Under-bagging: every member is the classes kept whole plus a random draw of the others.


def fit_under_bagging(ensemble, X, y, sample_weight=None, limits=DaskFitLimits()):
    """Fit ``UnderBaggingClassifier`` on Dask ``X, y``; all members are drawn in one pass."""
    import dask
    from joblib import Parallel, delayed

    parts, part_counts, targets, whole = _prepare(ensemble, X, y, sample_weight, limits)
    kept = _gather_whole(parts, ensemble.classes_, whole)
    seeds = _draw_seeds(ensemble.random_state, ensemble.n_estimators)
    # plans[m][j]: class -> [count] for member m in partition j.
    plans = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        split = {
            c: _split(n, part_counts[:, c], ensemble.replacement, rng) for c, n in targets.items()
        }
        plans.append([{c: split[c][j : j + 1] for c in targets} for j in range(len(parts))])

    per_part = dask.compute(
        *[
            dask.delayed(_draw_members)(
                xp,
                yp,
                j,
                ensemble.classes_,
                [plan[j] for plan in plans],
                seeds,
                ensemble.replacement,
            )
            for j, (xp, yp) in enumerate(parts)
        ]
    )
    ensemble.estimators_ = Parallel(n_jobs=ensemble.n_jobs, prefer="threads")(
        delayed(_fit_member)(ensemble, seed, kept, [p[m] for p in per_part])
        for m, seed in enumerate(seeds)
    )
    return ensemble


# ---------------------------------------------------------------------------------------
# Self-paced Ensemble: the running probabilities stay on the workers.


def _start_state(y_part, classes) -> dict:
    codes = _codes(y_part, classes)
    return {"codes": codes, "proba_sum": np.zeros((len(codes), len(classes)))}


def _add_member(state, X_part, member, scorer) -> dict:
    """Add the newest member's probabilities to the running sum (a new state)."""
    proba_sum = state["proba_sum"] + scorer._member_proba(member, _as_features(X_part))
    return {**state, "proba_sum": proba_sum}


def _class_hardness(state, scorer, n_members: int, c: int) -> NDArray[np.float64]:
    # Recomputed when needed rather than kept: the state is all the workers hold per row.
    # The running ensemble is the mean of n_members members, as in memory.
    rows = state["codes"] == c
    return scorer._hardness(state["codes"][rows], state["proba_sum"][rows] / n_members)


def _extent(state, scorer, n_members: int, targets) -> dict:
    out = {}
    for c in targets:
        h = _class_hardness(state, scorer, n_members, c)
        out[c] = (h.min(), h.max()) if len(h) else (np.inf, -np.inf)
    return out


def _bin_of(hardness, low: float, span: float, k: int) -> NDArray[np.intp]:
    # The in-memory SPE's formula (SelfPacedEnsembleClassifier._draw_class).
    return np.minimum(((hardness - low) * (k / span)).astype(np.intp), k - 1)


def _bin_stats(state, scorer, n_members: int, edges: dict, k: int) -> dict:
    out = {}
    for c, (low, span) in edges.items():
        hardness = _class_hardness(state, scorer, n_members, c)
        bins = _bin_of(hardness, low, span, k)
        out[c] = (np.bincount(bins, minlength=k), np.bincount(bins, weights=hardness, minlength=k))
    return out


def _draw_by_hardness(X_part, state, scorer, n_members, plan, seed, j, replacement, edges, k):
    bins = {c: _bin_of(_class_hardness(state, scorer, n_members, c), *edges[c], k) for c in edges}
    return _draw(X_part, state["codes"], plan, seed, j, replacement, bins)


def _spe_plans(ensemble, states, scorer, n_members, part_counts, targets, alpha, rng):
    """Per-partition, per-bin draw counts of one round, and the bin edges used.

    ``states`` is None in round 0 (a random draw); else the ensemble so far has
    ``n_members`` members.
    """
    import dask

    k = ensemble.k_bins
    n_parts = len(part_counts)
    plans = [{} for _ in range(n_parts)]
    edges = {}
    random_classes = list(targets)
    if states is not None:
        extents = dask.compute(
            *[dask.delayed(_extent)(s, scorer, n_members, targets) for s in states]
        )
        for c in targets:
            low = min(e[c][0] for e in extents)
            span = max(e[c][1] for e in extents) - low
            if span > 0:
                edges[c] = (low, span)
        random_classes = [c for c in targets if c not in edges]
        if edges:
            stats = dask.compute(
                *[dask.delayed(_bin_stats)(s, scorer, n_members, edges, k) for s in states]
            )
    for c in targets:
        if c in random_classes:
            # Round 0, or every sample equally hard: a plain random draw, as in memory.
            split = _split(targets[c], part_counts[:, c], ensemble.replacement, rng)
            for j in range(n_parts):
                plans[j][c] = split[j : j + 1]
            continue
        populations = np.array([s[c][0] for s in stats])  # n_parts x k
        sums = np.array([s[c][1] for s in stats]).sum(axis=0)
        total = populations.sum(axis=0)
        mean = sums / np.maximum(total, 1)
        quota = self_paced_bin_quota(
            mean, total, alpha, targets[c], replacement=ensemble.replacement
        )
        per_bin = np.stack(
            [_split(quota[b], populations[:, b], ensemble.replacement, rng) for b in range(k)],
            axis=1,
        )
        for j in range(n_parts):
            plans[j][c] = per_bin[j]
    return plans, edges


def fit_self_paced(ensemble, X, y, sample_weight=None, limits=DaskFitLimits()):
    """Fit ``SelfPacedEnsembleClassifier`` on Dask ``X, y`` (see the module docstring)."""
    import dask

    parts, part_counts, targets, whole = _prepare(ensemble, X, y, sample_weight, limits)
    classes = ensemble.classes_
    kept = _gather_whole(parts, classes, whole)
    # An unfitted copy carries the hardness function and member-probability rule to workers.
    scorer = clone(ensemble)
    scorer.n_classes_ = ensemble.n_classes_
    scorer = dask.delayed(scorer, pure=True)
    seeds = _draw_seeds(ensemble.random_state, ensemble.n_estimators)
    # The labels are read once: every later task takes them from the state.
    states = dask.persist(*[dask.delayed(_start_state)(yp, classes) for _, yp in parts])
    ensemble.estimators_ = []
    for i, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        alpha = self_paced_alpha(i, ensemble.n_estimators)
        plans, edges = _spe_plans(
            ensemble, states if i else None, scorer, i, part_counts, targets, alpha, rng
        )
        tasks = [
            dask.delayed(_draw_by_hardness)(
                xp,
                states[j],
                scorer,
                i,
                plans[j],
                seed,
                j,
                ensemble.replacement,
                edges,
                ensemble.k_bins,
            )  # fmt: skip
            for j, (xp, _) in enumerate(parts)
        ]
        member = _fit_member(ensemble, seed, kept, dask.compute(*tasks))
        ensemble.estimators_.append(member)
        if i + 1 == ensemble.n_estimators:
            break
        # One Delayed per round: the member is sent once and shared by every partition task.
        member_key = dask.delayed(member, pure=True)
        states = dask.persist(
            *[
                dask.delayed(_add_member)(s, xp, member_key, scorer)
                for s, (xp, _) in zip(states, parts)
            ]
        )
    return ensemble


# ---------------------------------------------------------------------------------------
# BalanceCascade: the pool ("still in play" mask) and the running probabilities stay on
# the workers; the client learns only pool sizes and, to shrink a pool, the value that
# separates the rows kept, found from per-partition histograms (below).

# Bins per histogram pass of the distributed selection: each pass narrows the range of
# candidate values 4096-fold, so a float64 needs at most 6 passes.
_SELECT_BINS = 4096


def _cascade_start(y_part, classes) -> dict:
    codes = _codes(y_part, classes)
    return {
        "codes": codes,
        "proba_sum": np.zeros((len(codes), len(classes))),
        "in_play": np.ones(len(codes), dtype=bool),
    }


def _pool_counts(state, n_classes: int) -> NDArray[np.intp]:
    return np.bincount(state["codes"][state["in_play"]], minlength=n_classes)


def _draw_from_pool(X_part, state, plan, seed, j, replacement):
    codes = state["codes"]
    # Bin 0: in the pool; bin -1: dropped by an earlier round, never drawn.
    bins = {c: np.where(state["in_play"][codes == c], 0, -1) for c in plan}
    return _draw(X_part, state["codes"], plan, seed, j, replacement, bins)


def _pool_keys(state, c: int) -> NDArray[np.int64]:
    """Class ``c``'s in-pool rows' summed probability of ``c``, as order-preserving ints.

    A non-negative float64's bits, read as an int64, sort like the float (``+ 0.0`` turns
    -0.0 into 0.0); integer ranges can be split exactly, which float ranges cannot.
    """
    rows = state["in_play"] & (state["codes"] == c)
    return (state["proba_sum"][rows, c] + 0.0).view(np.int64)


def _key_histogram(state, c: int, edges: NDArray[np.int64]) -> tuple:
    """Counts of class ``c``'s pool keys per ``[edges[b], edges[b+1])``, and their range."""
    keys = _pool_keys(state, c)
    keys = keys[(keys >= edges[0]) & (keys < edges[-1])]
    if not len(keys):
        return np.zeros(len(edges) - 1, dtype=np.intp), None, None
    bins = np.searchsorted(edges, keys, side="right") - 1
    return np.bincount(bins, minlength=len(edges) - 1), int(keys.min()), int(keys.max())


def _int_edges(low: int, high: int, n_bins: int) -> NDArray[np.int64]:
    width = high - low
    n_bins = min(n_bins, width)
    # Python ints: i * width overflows int64 for wide ranges.
    return np.array([low + i * width // n_bins for i in range(n_bins + 1)], dtype=np.int64)


def _keep_lowest(states, c: int, keep: int, rng) -> tuple[int, NDArray[np.intp]]:
    """The cut and per-partition tie counts that keep exactly ``keep`` lowest-key rows.

    Rows with a key below the cut are all kept; of the rows whose key equals the cut,
    ``take[j]`` are kept in partition ``j`` (split at random, as the in-memory
    ``argpartition`` breaks ties arbitrarily). Exact: each pass histograms the remaining
    key range and zooms into the bin that holds the ``keep``-th key, until that range holds
    a single value.
    """
    import dask

    low, high = 0, int(np.iinfo(np.int64).max)
    rank = keep
    while True:
        edges = _int_edges(low, high, _SELECT_BINS)
        stats = dask.compute(*[dask.delayed(_key_histogram)(s, c, edges) for s in states])
        counts = np.array([s[0] for s in stats])  # n_partitions x n_bins
        lows = [s[1] for s in stats if s[1] is not None]
        highs = [s[2] for s in stats if s[2] is not None]
        if min(lows) == max(highs):
            # One value left in range: it is the cut, and every row in range ties on it.
            ties = counts.sum(axis=1)
            return min(lows), rng.multivariate_hypergeometric(ties, rank)
        cumulative = counts.sum(axis=0).cumsum()
        b = int(np.searchsorted(cumulative, rank))
        rank -= int(cumulative[b - 1]) if b else 0
        low, high = int(edges[b]), int(edges[b + 1])


def _shrink_pool(state, c: int, cut: int, take: int, seed: int, j: int) -> dict:
    keys = _pool_keys(state, c)
    kept = keys < cut
    ties = np.flatnonzero(keys == cut)
    kept[np.random.default_rng([seed, j, c]).choice(ties, size=take, replace=False)] = True
    in_play = state["in_play"].copy()
    in_play[np.flatnonzero(in_play & (state["codes"] == c))[~kept]] = False
    return {**state, "in_play": in_play}


def fit_balance_cascade(ensemble, X, y, sample_weight=None, limits=DaskFitLimits()):
    """Fit ``BalanceCascadeClassifier`` on Dask ``X, y`` (see the module docstring)."""
    import dask

    from skewlearn.ensemble._cascade import cascade_pool_sizes

    parts, part_counts, targets, whole = _prepare(ensemble, X, y, sample_weight, limits)
    classes = ensemble.classes_
    kept = _gather_whole(parts, classes, whole)
    scorer = clone(ensemble)
    scorer.n_classes_ = ensemble.n_classes_
    scorer = dask.delayed(scorer, pure=True)
    counts = part_counts.sum(axis=0)
    schedules = {
        c: cascade_pool_sizes(counts[c], n, ensemble.n_estimators) for c, n in targets.items()
    }
    seeds = _draw_seeds(ensemble.random_state, ensemble.n_estimators)
    states = dask.persist(*[dask.delayed(_cascade_start)(yp, classes) for _, yp in parts])
    pools = part_counts
    ensemble.estimators_ = []
    for i, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        plans = [{} for _ in parts]
        replacement = {}
        for c, n in targets.items():
            # A pool down to the sample size is taken whole, as in memory.
            whole_pool = n >= pools[:, c].sum()
            replacement[c] = ensemble.replacement and not whole_pool
            split = pools[:, c] if whole_pool else _split(n, pools[:, c], replacement[c], rng)
            for j in range(len(parts)):
                plans[j][c] = split[j : j + 1]
        drawn = dask.compute(
            *[
                dask.delayed(_draw_from_pool)(xp, states[j], plans[j], seed, j, replacement)
                for j, (xp, _) in enumerate(parts)
            ]
        )
        member = _fit_member(ensemble, seed, kept, drawn)
        ensemble.estimators_.append(member)
        if i + 1 == ensemble.n_estimators:
            break
        member_key = dask.delayed(member, pure=True)
        states = dask.persist(
            *[
                dask.delayed(_add_member)(s, xp, member_key, scorer)
                for s, (xp, _) in zip(states, parts)
            ]
        )
        for c in targets:
            keep = int(schedules[c][i + 1])
            if keep >= pools[:, c].sum():
                continue
            # Keep the `keep` hardest: lowest ensemble probability of their own class.
            cut, take = _keep_lowest(states, c, keep, rng)
            states = dask.persist(
                *[
                    dask.delayed(_shrink_pool)(s, c, cut, int(take[j]), seed, j)
                    for j, s in enumerate(states)
                ]
            )
        pools = np.array(
            dask.compute(*[dask.delayed(_pool_counts)(s, len(classes)) for s in states])
        )
    return ensemble


# ---------------------------------------------------------------------------------------
# Prediction: lazy, one task per partition.


def _block_proba(block, model) -> NDArray[np.float64]:
    return model.predict_proba(block)


def _block_labels(proba, classes) -> NDArray:
    return classes[np.argmax(proba, axis=1)]


def predict_proba(model, X):
    """``model.predict_proba`` per partition of a Dask ``X``: a lazy Dask array."""
    import dask
    import dask.array as da

    k = model.n_classes_
    model_key = dask.delayed(model, pure=True)
    if isinstance(X, da.Array):
        X = X.rechunk({1: -1})
        # meta given: dask must not call the model on an empty block to guess the output.
        return X.map_blocks(
            _block_proba, model_key, chunks=(X.chunks[0], (k,)), meta=np.empty((0, k))
        )
    return X.map_partitions(_block_proba, model_key, meta=np.empty((0, k)))


def predict(model, X):
    """``model.predict`` per partition of a Dask ``X``: a lazy 1-D Dask array of labels."""
    proba = predict_proba(model, X)
    return proba.map_blocks(_block_labels, model.classes_, drop_axis=1, dtype=model.classes_.dtype)
