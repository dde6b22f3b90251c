import zipfile
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from skewlearn.select import (
    AutoBalancedClassifier,
    TableSchema,
    TrainedModel,
    load_model,
    save_model,
)


@pytest.fixture(scope="module")
def trained():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            "amount": rng.gamma(2.0, 50.0, size=300),
            "hour": rng.integers(0, 24, size=300),
            "country": pd.Categorical(rng.choice(["fr", "de", "es"], size=300)),
        }
    )
    y = np.where(X["amount"] + rng.normal(0, 40, size=300) > 200, "fraud", "ok")
    schema = TableSchema.from_frame(X)
    auto = AutoBalancedClassifier(["logreg+balanced"], n_repeats=1).fit(schema.conform(X), y)
    model = TrainedModel(
        auto.best_estimator_, schema, ["label", "id"], "logreg+balanced", "f1", "argmax", {}
    )
    return model, X


def test_round_trip_gives_identical_predictions(trained, tmp_path):
    model, X = trained
    path = save_model(model, tmp_path / "model.skops")
    loaded = load_model(path)
    pd.testing.assert_frame_equal(loaded.predict_frame(X), model.predict_frame(X))
    assert list(loaded.predict_frame(X).columns) == ["prediction", "proba_fraud", "proba_ok"]


def test_ignored_columns_may_be_present_when_scoring(trained):
    model, X = trained
    with_label = X.assign(label="ok", id=np.arange(len(X)))
    pd.testing.assert_frame_equal(model.predict_frame(with_label), model.predict_frame(X))


def test_columns_read_as_text_are_conformed(trained):
    model, X = trained
    as_text = X.astype(str)
    np.testing.assert_allclose(
        model.predict_frame(as_text).iloc[:, 1:], model.predict_frame(X).iloc[:, 1:]
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda X: X.drop(columns="hour"), "missing columns: hour"),
        (lambda X: X.assign(extra=1), "unexpected columns: extra"),
        (lambda X: X.assign(hour="noon"), "column 'hour' was numeric in training"),
    ],
)
def test_mismatched_tables_are_named_in_the_error(trained, change, message):
    model, X = trained
    with pytest.raises(ValueError, match=message):
        model.predict_frame(change(X))


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_model(tmp_path / "nope.skops")


def test_corrupt_file_is_refused(trained, tmp_path):
    model, _ = trained
    path = save_model(model, tmp_path / "model.skops")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match="not a readable skewlearn model file"):
        load_model(path)


def test_tampered_file_with_a_foreign_type_is_refused(trained, tmp_path):
    import skops.io as sio

    model, _ = trained
    model.versions["hook"] = Fraction(1, 3)
    try:
        path = tmp_path / "tampered.skops"
        sio.dump(model, path)
    finally:
        del model.versions["hook"]
    with pytest.raises(ValueError, match="does not trust: fractions.Fraction"):
        load_model(path)


def test_a_skops_file_of_another_object_is_refused(tmp_path):
    import skops.io as sio

    path = tmp_path / "other.skops"
    sio.dump({"weights": np.ones(3)}, path)
    with pytest.raises(ValueError, match="not a skewlearn model"):
        load_model(path)


def test_save_never_leaves_a_partial_file(trained, tmp_path):
    model, _ = trained
    path = save_model(model, tmp_path / "model.skops")
    assert zipfile.is_zipfile(path)
    assert not list(tmp_path.glob("*.partial"))
