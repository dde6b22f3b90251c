"""imbalanced-learn's own tests of the classes we implement, run against ours.

The test files are those installed with imbalanced-learn (nothing of theirs is copied
here); ``_imblearn_rebind.py`` points their class under test at ours in a separate pytest
run.  Every test passes, or is in :data:`KNOWN_FAILURES` with a reason about
imbalanced-learn's internals, never about behaviour.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import imblearn
import pytest

IMBLEARN = Path(imblearn.__file__).parent
FILES = [
    "under_sampling/_prototype_selection/tests/test_allknn.py",
    "under_sampling/_prototype_selection/tests/test_condensed_nearest_neighbour.py",
    "under_sampling/_prototype_selection/tests/test_edited_nearest_neighbours.py",
    "under_sampling/_prototype_selection/tests/test_nearmiss.py",
    "under_sampling/_prototype_selection/tests/test_neighbourhood_cleaning_rule.py",
    "under_sampling/_prototype_selection/tests/test_one_sided_selection.py",
    "under_sampling/_prototype_selection/tests/test_repeated_edited_nearest_neighbours.py",
    "under_sampling/_prototype_selection/tests/test_tomek_links.py",
    "over_sampling/_smote/tests/test_smote.py",
    "over_sampling/_smote/tests/test_borderline_smote.py",
    "over_sampling/tests/test_adasyn.py",
    "over_sampling/tests/test_common.py",
    "combine/tests/test_smote_enn.py",
    "combine/tests/test_smote_tomek.py",
    # imbalanced-learn's own classes, as skewlearn.resample exports them (taking weights)
    "under_sampling/_prototype_generation/tests/test_cluster_centroids.py",
    "under_sampling/_prototype_selection/tests/test_instance_hardness_threshold.py",
    "under_sampling/_prototype_selection/tests/test_random_under_sampler.py",
    "over_sampling/tests/test_random_over_sampler.py",
    "over_sampling/_smote/tests/test_kmeans_smote.py",
    "over_sampling/_smote/tests/test_smote_nc.py",
    "over_sampling/_smote/tests/test_smoten.py",
    "over_sampling/_smote/tests/test_svm_smote.py",
]
# test node id (relative to imbalanced-learn's package) -> why it cannot pass against ours.
KNOWN_FAILURES: dict[str, str] = {
    "combine/tests/test_smote_enn.py::test_parallelisation": (
        "calls the private SMOTEENN._validate_estimator, which our class has no need of"
    ),
    "combine/tests/test_smote_tomek.py::test_parallelisation": (
        "calls the private SMOTETomek._validate_estimator, which our class has no need of"
    ),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("imblearn_suite")
    (tmp / "pytest.ini").write_text("[pytest]\n")
    result_file = tmp / "outcomes.json"
    env = {
        **os.environ,
        "SKEWLEARN_IMBLEARN_OUTCOMES": str(result_file),
        "PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]
        ),
    }
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["-p", "_imblearn_rebind", "-c", str(tmp / "pytest.ini")]
    command += ["--rootdir", str(IMBLEARN), *(str(IMBLEARN / f) for f in FILES)]
    run = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True)
    if not result_file.exists():
        raise AssertionError(f"imbalanced-learn's tests did not run:\n{run.stdout}\n{run.stderr}")
    return json.loads(result_file.read_text())


def _per_file(outcomes: dict[str, str], file: str) -> dict[str, str]:
    return {node: outcome for node, outcome in outcomes.items() if node.startswith(file + "::")}


@pytest.mark.parametrize("file", FILES, ids=[Path(f).stem for f in FILES])
def test_imblearn_file_passes_against_ours(report, file):
    assert report["rebound"].get(file), f"no class of ours was put under test in {file}"
    ran = _per_file(report["outcomes"], file)
    assert ran, f"no test of {file} ran"
    failed = {node for node, outcome in ran.items() if outcome == "failed"}
    known = {node for node in KNOWN_FAILURES if node.startswith(file + "::")}
    counts = Counter(ran.values())
    assert failed == known, (
        f"{file} {dict(counts)}: unexpected failures {sorted(failed - known)}, "
        f"known failures that pass {sorted(known - failed)}"
    )
