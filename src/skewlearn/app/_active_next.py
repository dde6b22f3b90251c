"""The next rows for a person to label: :func:`next_batch` from a pool file and a labels file.

The labelling flow keeps no state of its own: the labels file is the whole state, it is only
ever read, and the same files and seed give the same batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from skewlearn.app._active_simulate import make_learner
from skewlearn.datasets import DataError

# Until two classes are labelled no classifier can be fitted; the batch is then chosen for
# diversity in feature space, which needs no model.
FALLBACK_STRATEGY = "coreset"


@dataclass(frozen=True)
class LabelBatch:
    """The rows a person should label next, and where the labelling stands.

    Attributes
    ----------
    rows : pandas.DataFrame
        The chosen pool rows, id column first, in the order the strategy ranked them.
    id_column : str
    counts : pandas.Series
        Labels per class so far, most frequent first (empty before any label).
    new_classes : list
        Classes with a single label: accepted as classes, shown so a typo is noticed.
    strategy : str
        The strategy that chose the batch (the fallback when fewer than two classes).
    notes : list of str
        What the flow decided on its own (a fallback, a batch cut to the pool, duplicates
        counted once, imputed values, dropped columns).
    n_pool, n_labelled : int
    """

    rows: pd.DataFrame
    id_column: str
    counts: pd.Series
    new_classes: list[Any]
    strategy: str
    notes: list[str] = field(default_factory=list)
    n_pool: int = 0
    n_labelled: int = 0


def _listed(values: Sequence[Any], limit: int = 5) -> str:
    shown = ", ".join(map(repr, list(values)[:limit]))
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def detect_id_column(pool: pd.DataFrame) -> str:
    """The pool's id column (:func:`skewlearn.datasets._schema.find_id_column`), or an error
    that says how to name it.

    Examples
    --------
    >>> detect_id_column(pd.DataFrame({"ref_id": [7, 3, 9], "x": [1.0, 2.0, 2.0]}))
    'ref_id'
    """
    from skewlearn.datasets._schema import find_id_column

    try:
        return find_id_column(pool)
    except DataError as error:
        raise DataError(f"the pool has {error}; name its id column with --id COL") from None


def _pool_ids(pool: pd.DataFrame, id_column: str) -> pd.Series:
    if id_column not in pool.columns:
        raise ValueError(
            f"id column {id_column!r} is not in the pool; "
            f"its columns are {_listed(pool.columns, 10)}"
        )
    ids = pool[id_column]
    if ids.isna().any():
        raise ValueError(
            f"id column {id_column!r} is empty on {int(ids.isna().sum())} pool rows; "
            "every row needs an id"
        )
    ids = ids.astype(str).str.strip()
    repeated = ids[ids.duplicated()].unique()
    if len(repeated):
        raise ValueError(
            f"id column {id_column!r} repeats ids in the pool ({_listed(repeated)}); "
            "ids must be unique: choose another column with --id"
        )
    return ids


def read_labels(path: str | Path, id_column: str) -> tuple[pd.Series, int]:
    """The labels file as a series indexed by id (as text), and how many repeated rows it had.

    The file has an id column (named like the pool's id column, or ``id``) and a ``label``
    column; a file of exactly two columns may name them otherwise (id first). An id listed
    twice with the same label counts once; with different labels it is an error. The file is
    only read, never written.
    """
    from skewlearn.datasets import check_labels, read_table

    table = read_table(path)
    lower = {str(c).lower(): c for c in table.columns}
    id_name = lower.get(id_column.lower(), lower.get("id"))
    label_name = lower.get("label")
    if (id_name is None or label_name is None) and table.shape[1] == 2:
        id_name, label_name = table.columns
    if id_name is None or label_name is None or id_name == label_name:
        raise ValueError(
            f"{path} needs an id column ({id_column!r} or 'id') and a 'label' column; "
            f"it has {_listed(table.columns, 10)}"
        )
    ids = table[id_name].astype(str).str.strip()
    labels = table[label_name]
    empty = ids[labels.isna().to_numpy() | table[id_name].isna().to_numpy()]
    if len(empty):
        raise ValueError(
            f"{path} has rows without an id or a label (ids {_listed(empty.tolist())}); "
            "fill or remove them"
        )
    labels = pd.Series(labels.to_numpy(), index=ids.to_numpy(), name="label")
    check_labels(labels.astype(str))
    conflicts = labels.groupby(level=0).nunique()
    conflicts = conflicts[conflicts > 1]
    if len(conflicts):
        first = conflicts.index[0]
        raise ValueError(
            f"{path} gives conflicting labels to {len(conflicts)} id(s) "
            f"({_listed(conflicts.index)}); "
            f"id {first!r} is labelled {_listed(sorted(map(str, labels[first].unique())))}: "
            "keep one label per id"
        )
    repeated = labels.index.duplicated()
    return labels[~repeated], int(repeated.sum())


def next_batch(
    pool: str | Path,
    labels: str | Path | None = None,
    *,
    batch: int = 20,
    id_column: str | None = None,
    strategy: str = "tailor",
    learner: str = "lr",
    seed: int = 0,
) -> LabelBatch:
    """Choose the next ``batch`` pool rows to label, from the pool and the labels so far.

    The labels file is the whole state: nothing else is read or kept, and the same files and
    seed give the same batch (the order of rows in the labels file does not matter).
    Well-defined cases rather than errors:

    - no labels file, or fewer than two classes labelled: no classifier can be fitted, so the
      batch is chosen by ``coreset`` (diversity in feature space) until two classes are;
    - a label seen once is a new class (listed in ``new_classes``);
    - a batch larger than the unlabelled rows is cut to them;
    - missing values are imputed (median, or a ``missing`` category), and every category is
      known because the encoding is fitted on the whole pool (it sees no label).

    Errors: ids not in the pool, an id with conflicting labels, labels that differ only in
    case or spaces, a pool without a unique id column, a fully labelled pool, ``batch < 1``.

    Because nothing but the labels is kept, a stateful strategy starts afresh each batch:
    ``tailor`` draws from its prior over candidates every time (its posterior needs the order
    in which batches were labelled, which a labels file does not record).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> rng = np.random.default_rng(0)
    >>> pd.DataFrame({"id": range(60), "x": rng.normal(size=60)}).to_csv(folder / "pool.csv",
    ...                                                                  index=False)
    >>> pd.DataFrame({"id": [0, 1, 2], "label": ["a", "b", "a"]}).to_csv(folder / "labels.csv",
    ...                                                                   index=False)
    >>> chosen = next_batch(folder / "pool.csv", folder / "labels.csv", batch=5, strategy="margin")
    >>> len(chosen.rows), chosen.counts.to_dict()
    (5, {'a': 2, 'b': 1})
    """
    from skewlearn.active import ActiveLearner, make_strategy
    from skewlearn.datasets import read_table
    from skewlearn.datasets._schema import column_kind
    from skewlearn.select._preprocess import make_preprocessor
    from skewlearn.select._schema import TableSchema

    if batch < 1:
        raise ValueError(f"--batch must be at least 1, got {batch}")
    make_strategy(strategy)  # an unknown name fails before any file is read
    make_learner(learner)
    table = read_table(pool)
    id_column = id_column or detect_id_column(table)
    ids = _pool_ids(table, id_column)
    notes: list[str] = []
    given, repeated = (
        (pd.Series([], dtype=object), 0) if labels is None else read_labels(labels, id_column)
    )
    if repeated:
        notes.append(
            f"{repeated} repeated row(s) of {Path(labels).name} (same id, same label) counted once"
        )
    unknown = given.index[~given.index.isin(ids)]
    if len(unknown):
        raise ValueError(
            f"{len(unknown)} id(s) of {labels} are not in the pool's {id_column!r} column "
            f"({_listed(unknown.tolist())}); check the files and --id"
        )
    labelled = ids.isin(given.index).to_numpy()
    unlabelled = np.flatnonzero(~labelled)
    if len(unlabelled) == 0:
        raise ValueError(f"every row of the pool ({len(ids)}) is labelled; there is nothing to ask")
    if batch > len(unlabelled):
        notes.append(f"batch cut from {batch} to the {len(unlabelled)} unlabelled rows left")
        batch = len(unlabelled)

    features = table.drop(columns=[id_column])
    kinds = {c: column_kind(features[c]) for c in features.columns}
    dropped = [c for c, kind in kinds.items() if kind in ("empty", "constant", "id-like")]
    if dropped:
        notes.append(
            f"columns not used as features (empty, constant or id-like): {_listed(dropped)}"
        )
    features = features.drop(columns=dropped)
    if features.shape[1] == 0:
        raise ValueError("the pool has no feature column besides its id: nothing to learn from")
    missing = int(features.isna().sum().sum())
    if missing:
        notes.append(f"{missing} missing value(s) in the pool imputed (median, or 'missing')")
    features = TableSchema.from_frame(features).conform(features)
    X = make_preprocessor(scale=True).fit_transform(features).astype(float)

    # Labelled rows in pool order, so the labels file's row order changes nothing.
    positions = np.flatnonzero(labelled)
    y = given.reindex(ids.iloc[positions]).to_numpy()
    counts = pd.Series(y, dtype=object).value_counts() if len(y) else pd.Series([], dtype=int)
    counts = counts.rename_axis("class").rename("labels")
    classes = np.array(sorted(counts.index, key=str), dtype=object)
    if len(classes) < 2:
        seen = "no class" if not len(classes) else f"one class ({classes[0]!r})"
        notes.append(
            f"{seen} labelled so far: this batch is chosen by {FALLBACK_STRATEGY} (diversity) "
            f"instead of {strategy} until two classes are labelled"
        )
        chosen = make_strategy(FALLBACK_STRATEGY, random_state=seed).select(
            None,
            X[unlabelled],
            batch,
            X_labelled=X[positions],
            y_labelled=y,
            classes=classes,
            random_state=seed,
        )
        used = FALLBACK_STRATEGY
    else:
        active = ActiveLearner(
            make_learner(learner, seed),
            strategy=make_strategy(strategy, random_state=seed),
            batch_size=batch,
            random_state=seed,
        )
        chosen = active.teach(X[positions], y).query(X[unlabelled])
        used = strategy
    rows = table.iloc[unlabelled[np.asarray(chosen, dtype=int)]]
    rows = rows[[id_column, *[c for c in table.columns if c != id_column]]]
    return LabelBatch(
        rows=rows.reset_index(drop=True),
        id_column=id_column,
        counts=counts,
        new_classes=[c for c, n in counts.items() if n == 1],
        strategy=used,
        notes=notes,
        n_pool=len(ids),
        n_labelled=int(labelled.sum()),
    )


def write_batch(batch: LabelBatch, out: str | Path, *, protect: Sequence[str | Path] = ()) -> Path:
    """Write the batch's rows to ``out`` (CSV, whole or not at all), refusing to overwrite
    any ``protect`` file (the pool and the labels: a label is never lost)."""
    from skewlearn.app._atomic import write_csv_atomic

    out = Path(out)
    for path in protect:
        if path is not None and Path(path).exists() and out.exists() and out.samefile(path):
            raise ValueError(
                f"--out {out} is an input file; choose another name such as to_label.csv"
            )
    if out.suffix.lower() != ".csv":
        raise ValueError(f"--out must be a .csv file, got {out.name!r}")
    if not out.parent.is_dir():
        raise ValueError(f"cannot write {out}: folder {out.parent} does not exist")
    return write_csv_atomic(batch.rows, out)
