"""Scoring a file: extra columns warned about, an id passed through, unseen categories named."""

import warnings

import numpy as np
import pandas as pd
import pytest

from skewlearn.app import TrainedModel, predict_file, save_model
from skewlearn.app._persist import training_categories
from skewlearn.datasets import DataWarning
from skewlearn.select import AutoBalancedClassifier
from skewlearn.select._schema import TableSchema


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    """A model trained on 'answer' in {'yes', 'no'}, with 'customer' dropped as id-like."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            "amount": rng.gamma(2.0, 50.0, size=200),
            "answer": pd.Categorical(rng.choice(["yes", "no"], size=200)),
        }
    )
    y = np.where(X["amount"] + rng.normal(0, 40, size=200) > 150, "churn", "stay")
    schema = TableSchema.from_frame(X)
    auto = AutoBalancedClassifier(["logreg+balanced"], n_repeats=1).fit(schema.conform(X), y)
    model = TrainedModel(
        auto.best_estimator_, schema, ["label", "customer"], "logreg+balanced", "f1", "argmax", {},
        categories=training_categories(schema.conform(X)),
    )  # fmt: skip
    return save_model(model, tmp_path_factory.mktemp("model") / "model.skops")


def write(tmp_path, **columns) -> str:
    path = tmp_path / "new.csv"
    pd.DataFrame(columns).to_csv(path, index=False)
    return path


def test_extra_columns_are_named_in_a_warning_and_left_out(model_file, tmp_path):
    path = write(tmp_path, amount=[10.0, 300.0, 50.0], answer=["yes", "no", "no"],
                 notes=["a", "a", "b"], score=[1, 1, 2])  # fmt: skip
    with pytest.warns(DataWarning, match="not trained on are ignored: notes, score"):
        _, predictions = predict_file(model_file, path)
    assert list(predictions.columns) == ["prediction", "proba_churn", "proba_stay"]
    assert len(predictions) == 3


def test_the_id_like_column_is_passed_through(model_file, tmp_path):
    path = write(tmp_path, customer=["c1", "c2", "c3"], amount=[10.0, 300.0, 50.0],
                 answer=["yes", "no", "no"])  # fmt: skip
    _, predictions = predict_file(model_file, path)
    assert list(predictions.columns) == ["customer", "prediction", "proba_churn", "proba_stay"]
    assert predictions["customer"].tolist() == ["c1", "c2", "c3"]


def test_id_column_by_name_is_passed_through_without_warning(model_file, tmp_path, recwarn):
    path = write(tmp_path, row=[7, 7, 9], amount=[10.0, 300.0, 50.0], answer=["yes", "no", "no"])
    _, predictions = predict_file(model_file, path, id_column="row")
    assert predictions["row"].tolist() == [7, 7, 9]
    assert not [w for w in recwarn if issubclass(w.category, DataWarning)]


def test_id_column_is_matched_ignoring_case_like_the_target(model_file, tmp_path):
    path = write(tmp_path, Customer=["c1", "c2"], amount=[10.0, 300.0], answer=["yes", "no"])
    _, predictions = predict_file(model_file, path, id_column="CUSTOMER")
    assert predictions["Customer"].tolist() == ["c1", "c2"]


def test_unknown_id_column_suggests_names(model_file, tmp_path):
    path = write(tmp_path, customer=["c1", "c2", "c3"], amount=[1.0, 2.0, 3.0], answer=["yes"] * 3)
    with pytest.raises(
        ValueError, match="id column 'custmer' is not in the table; did you mean 'customer'"
    ):
        predict_file(model_file, path, id_column="custmer")


def test_unseen_categories_are_named_with_their_column(model_file, tmp_path):
    path = write(tmp_path, amount=[10.0, 300.0, 50.0, 80.0], answer=["yes", "maybe", "YES", "no"])
    with pytest.warns(DataWarning) as caught:
        _, predictions = predict_file(model_file, path)
    messages = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    assert len(messages) == 1
    assert (
        "column 'answer' holds values never seen in training: 'YES', 'maybe' (2 rows)"
        in (messages[0])
    )
    assert "Training saw: 'no', 'yes'" in messages[0]
    assert len(predictions) == 4


def test_unseen_categories_rest_on_the_categories_saved_in_the_file(model_file, tmp_path):
    from skewlearn.app import load_model

    # The same fitted model (its encoder saw 'yes' and 'no'), saved as trained on 'no' alone:
    # the warning follows the file's record, not the estimator's internals.
    model = load_model(model_file)
    narrowed = TrainedModel(
        model.estimator, model.schema, model.ignored, model.strategy, model.metric,
        model.decision_rule, model.versions, categories={"answer": ["no"]},
    )  # fmt: skip
    path = write(tmp_path, amount=[10.0, 300.0], answer=["yes", "no"])
    with pytest.warns(DataWarning, match="never seen in training: 'yes' \\(1 rows\\)"):
        predict_file(save_model(narrowed, tmp_path / "narrowed.skops"), path)
    # A file that records no categories warns about none.
    silent = TrainedModel(
        model.estimator, model.schema, model.ignored, model.strategy, model.metric,
        model.decision_rule, model.versions,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        predict_file(save_model(silent, tmp_path / "silent.skops"), path)
