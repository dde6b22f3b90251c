"""Imbalanced regression on the embedded suite: samplers and weights against a plain learner.

For each skewed dataset, 5-fold cross-validation (shuffled, seed 0) of histogram gradient
boosting and random forest, each plain (baseline), behind SMOTER or SMOGN
(``ResampledRegressor``) and with DenseWeight, LDS or MDI weights (``WeightedRegressor``).
Relevance is the box-plot relevance of the dataset's whole target (the domain's definition of
rare; only the samplers and weights see training folds). Scores per fold: SERA, RMSE on rare
test points (phi >= 0.5) and overall RMSE; a method wins (loses) against the baseline when its
mean over folds is more than 1% lower (higher), else ties.

With ``--peer-python`` it also checks that ``dense_weight`` equals the ``denseweight``
package's weights on every dataset's target (the peer runs in its own virtual environment).

    python benchmarks/regression.py [--datasets a,b] [--peer-python PATH]

Writes benchmarks/results/regression.{json,md}; the per-fold scores go to
results/data/regression-folds.csv (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder
from threadpoolctl import threadpool_limits

from skewlearn.datasets import load_dataset
from skewlearn.regression import (
    SMOGN,
    SMOTER,
    Relevance,
    ResampledRegressor,
    WeightedRegressor,
    dense_weight,
    rare_rmse,
    sera,
)

DATASETS = [
    "forestfires", "compactiv", "residential_building", "wsn-ale", "treasury", "laser",
    "baseball", "cpu_performance", "medical_cost", "servo", "yacht_hydrodynamics",
]  # fmt: skip
METHODS = ["baseline", "SMOTER", "SMOGN", "DenseWeight", "LDS", "MDI"]
METRICS = ["sera", "rare_rmse", "rmse"]
RESULTS = Path(__file__).parent / "results"
TIE = 0.01


def learner(name: str, X: pd.DataFrame):
    """The learner, encoding nominal columns where it needs numbers."""
    if name == "HGB":
        return HistGradientBoostingRegressor(categorical_features="from_dtype", random_state=0)
    forest = RandomForestRegressor(n_estimators=100, random_state=0, n_jobs=1)
    nominal = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)]
    if not nominal:
        return forest
    encode = make_column_transformer(
        (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), nominal),
        remainder="passthrough",
        verbose_feature_names_out=False,
    )
    return make_pipeline(encode, forest)


def method(name: str, regressor):
    """The recipe: the learner alone, behind a sampler, or with a weighting."""
    recipes = {
        "baseline": lambda: regressor,
        "SMOTER": lambda: ResampledRegressor(regressor, SMOTER(random_state=0)),
        "SMOGN": lambda: ResampledRegressor(regressor, SMOGN(random_state=0)),
        "DenseWeight": lambda: WeightedRegressor(regressor, "denseweight", {"alpha": 1.0}),
        "LDS": lambda: WeightedRegressor(regressor, "lds"),
        "MDI": lambda: WeightedRegressor(regressor, "mdi"),
    }
    return recipes[name]()


def evaluate(dataset: str) -> list[dict]:
    data = load_dataset(dataset)
    X, y = data.X, data.y.to_numpy(dtype=float)
    relevance = Relevance().fit(y)
    rows = []
    folds = list(KFold(5, shuffle=True, random_state=0).split(X))
    for model_name in ("HGB", "RF"):
        for name in METHODS:
            for fold, (train, test) in enumerate(folds):
                start = time.perf_counter()
                model = method(name, learner(model_name, X))
                model.fit(X.iloc[train], y[train])
                pred = model.predict(X.iloc[test])
                rows.append(
                    {
                        "dataset": dataset,
                        "model": model_name,
                        "method": name,
                        "fold": fold,
                        "sera": sera(y[test], pred, relevance=relevance),
                        "rare_rmse": rare_rmse(y[test], pred, relevance=relevance),
                        "rmse": float(np.sqrt(np.mean((pred - y[test]) ** 2))),
                        "fit_s": time.perf_counter() - start,
                    }
                )
    return rows


def win_tie_loss(scores: pd.DataFrame) -> pd.DataFrame:
    """Per method and metric: wins/ties/losses against the baseline over (dataset, model)."""
    means = scores.groupby(["dataset", "model", "method"])[METRICS].mean()
    base = means.xs("baseline", level="method")
    rows = []
    for name in METHODS[1:]:
        ratio = means.xs(name, level="method") / base - 1
        row = {"method": name}
        for metric in METRICS:
            r = ratio[metric].dropna()
            row[metric] = f"{(r < -TIE).sum()}/{(r.abs() <= TIE).sum()}/{(r > TIE).sum()}"
            row[f"{metric}_median_change"] = f"{100 * r.median():+.1f}%"
        rows.append(row)
    return pd.DataFrame(rows)


def peer_agreement(peer_python: str, datasets: list[str]) -> dict[str, float]:
    """Largest |ours - denseweight's| DenseWeight weight (alpha=1) on each dataset's target."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dataset in datasets:
            y = load_dataset(dataset).y.to_numpy(dtype=float)
            path = Path(tmp) / f"{dataset}.npy"
            np.save(path, y)
            code = (
                "import sys, numpy as np; from denseweight import DenseWeight; "
                "y = np.load(sys.argv[1]); np.save(sys.argv[1], DenseWeight(alpha=1.0).fit(y))"
            )
            subprocess.run([peer_python, "-c", code, str(path)], check=True)
            out[dataset] = float(np.max(np.abs(np.load(path) - dense_weight(y, 1.0))))
    return out


def markdown(scores: pd.DataFrame, wtl: pd.DataFrame, peer: dict | None, seconds: float) -> str:
    means = scores.groupby(["dataset", "model", "method"])[METRICS].mean().reset_index()
    lines = [
        "# Imbalanced regression: samplers and weights vs a plain learner",
        "",
        f"`python benchmarks/regression.py` ({seconds / 60:.1f} min). 5-fold CV (shuffled, "
        "seed 0); relevance: box plot of each dataset's whole target; rare: phi >= 0.5. "
        f"Win/tie/loss: mean over folds more than {TIE:.0%} lower / within / higher than the "
        "baseline's, over datasets x {HGB, RF}.",
        "",
        "Datasets: " + ", ".join(sorted(scores["dataset"].unique())) + ".",
        "",
        "## Win / tie / loss against the baseline (lower error is a win)",
        "",
        wtl.to_markdown(index=False),
        "",
        "## Mean over folds",
        "",
        means.to_markdown(index=False, floatfmt=".4g"),
    ]
    if peer is not None:
        lines += [
            "",
            "## Peer agreement: dense_weight vs the denseweight package (alpha=1)",
            "",
            pd.Series(peer, name="max abs difference").to_frame().to_markdown(floatfmt=".2e"),
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--peer-python", default=None, help="python of a venv with denseweight")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    datasets = args.datasets.split(",")
    start = time.perf_counter()
    rows = []
    # One thread per fit: the benchmark shares its cores, and OpenMP oversubscription on a busy
    # machine makes histogram gradient boosting many times slower.
    with threadpool_limits(1):
        for dataset in datasets:
            rows += evaluate(dataset)
        print(f"{dataset}: done ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    scores = pd.DataFrame(rows)
    wtl = win_tie_loss(scores)
    peer = peer_agreement(args.peer_python, datasets) if args.peer_python else None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(exist_ok=True)
    scores.to_csv(out / "data" / "regression-folds.csv", index=False)
    (out / "regression.json").write_text(
        json.dumps({"win_tie_loss": wtl.to_dict("records"), "peer_max_abs_diff": peer}, indent=2)
    )
    (out / "regression.md").write_text(markdown(scores, wtl, peer, time.perf_counter() - start))
    print(wtl.to_string(index=False))


if __name__ == "__main__":
    main()
