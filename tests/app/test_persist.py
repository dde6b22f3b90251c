import json
import re
import shlex
import sys
import zipfile
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from skewlearn.app import TrainedModel, load_model, package_versions, save_model
from skewlearn.app._compare import describe_decision_rule
from skewlearn.app._trusted_types import TRUSTED_TYPES
from skewlearn.evaluation import Objective, TaskInfo
from skewlearn.metrics import get_scorer
from skewlearn.select import AutoBalancedClassifier, Strategy
from skewlearn.select._catalog import DEFAULT_SPECS
from skewlearn.select._components import LEARNERS, REBALANCES
from skewlearn.select._schema import TableSchema


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


def test_the_training_categories_travel_in_the_file(trained, tmp_path):
    model, X = trained
    recorded = TrainedModel(
        model.estimator, model.schema, model.ignored, model.strategy, model.metric,
        model.decision_rule, model.versions, categories={"country": ["de", "es", "fr"]},
    )  # fmt: skip
    loaded = load_model(save_model(recorded, tmp_path / "model.skops"))
    assert loaded.categories == {"country": ["de", "es", "fr"]}


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
        (lambda X: X.drop(columns="hour"), "missing columns: 'hour'"),
        (lambda X: X.assign(extra=1), "unexpected columns: 'extra'"),
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


# Every model `skewlearn compare` can write must load: each strategy of the default catalog, on a
# binary and a multiclass target, under every metric its decision rule depends on.

METRICS = ("f1", "mcc", "balanced_accuracy", "gmean", "average_precision", "cost:FN=5,FP=1")


def _table(n_classes: int, n: int = 200) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(n_classes)
    X = pd.DataFrame(
        {
            "amount": rng.gamma(2.0, 50.0, size=n),
            "hour": rng.integers(0, 24, size=n),
            "country": rng.choice(["fr", "de", "es", None], size=n),
        }
    )
    X.loc[::17, "amount"] = np.nan
    if n_classes == 2:
        # As `compare` passes a text target: an object array of str.
        return X, np.where(rng.random(n) < 0.2, "fraud", "ok").astype(object)
    return X, rng.choice([0, 1, 2], size=n, p=[0.6, 0.3, 0.1])


def _compare_model(
    spec: str, X: pd.DataFrame, y: np.ndarray, metric: str, score_class_weight=None
) -> TrainedModel:
    """The model `skewlearn compare` writes when ``spec`` wins (see app.run_compare)."""
    schema = TableSchema.from_frame(X)
    X = schema.conform(X)
    task = TaskInfo.from_data(X, y, n_splits=5, score_class_weight=score_class_weight)
    objective = Objective(metric, np.unique(y), y)
    strategy = Strategy.parse(spec)
    estimator = strategy.build(task, metric=objective.decision_metric, random_state=0)
    # The types a fitted ensemble holds do not depend on how many trees it has; three keep this fast.
    size = "max_iter" if strategy.learner == "hgb" else "n_estimators"
    estimator.set_params(**{p: 3 for p in estimator.get_params() if p.endswith(size)})
    estimator.fit(X, y)
    return TrainedModel(
        estimator,
        schema,
        ["label"],
        spec,
        metric,
        describe_decision_rule(estimator),
        package_versions(),
    )


@pytest.fixture
def one_thread():
    # OpenMP threads on 200 rows wait more than they work: hgb runs 5x slower on 2 busy cores.
    with threadpool_limits(1):
        yield


# Beyond the default catalog, every part a user can name with --strategies: each learner alone,
# each re-balancing step and each decision rule on logistic regression.
EVERY_PART = sorted(
    set(DEFAULT_SPECS)
    | set(LEARNERS)
    | {f"logreg+{name}" for name in REBALANCES if name != "none"}
    | {"logreg+ros+prior"}
)


@pytest.mark.parametrize("spec", EVERY_PART)
def test_every_model_compare_writes_loads(spec, tmp_path, one_thread):
    strategy = Strategy.parse(spec)
    # Only a decision rule reads the metric; other strategies build the same model for any.
    metrics = METRICS if strategy.decision != "default" else ("f1",)
    for n_classes in (2, 3):
        X, y = _table(n_classes)
        reason = strategy.unavailable(TaskInfo.from_data(X, y, n_splits=5))
        if reason:
            pytest.skip(reason)
        for metric in metrics:
            if n_classes > 2 and not get_scorer(metric).metric.multiclass:
                continue
            model = _compare_model(spec, X, y, metric)
            path = save_model(model, tmp_path / f"{n_classes}-{metric}.skops")
            loaded = load_model(path)
            pd.testing.assert_frame_equal(loaded.predict_frame(X), model.predict_frame(X))


# Labels reach the model as numpy scalars of the target's dtype: as_class_labels leaves bool,
# int64 (whole numbers of any dtype) or text.
@pytest.mark.parametrize(
    "labels",
    [
        np.array(["no", "yes"], dtype=object),
        np.array(["no", "yes"]),
        np.array([False, True]),
        np.array([0, 1]),
    ],
    ids=["text", "numpy-text", "bool", "int64"],
)
def test_models_load_whatever_the_label_type(labels, tmp_path, one_thread):
    X, y = _table(2)
    y = labels[(y == "fraud").astype(int)]
    model = _compare_model("logreg+rus", X, y, "f1")
    loaded = load_model(save_model(model, tmp_path / "model.skops"))
    pd.testing.assert_frame_equal(loaded.predict_frame(X), model.predict_frame(X))


@pytest.mark.parametrize("decision", ["threshold", "prior"])
@pytest.mark.parametrize(
    "labels",
    [np.array(["no", "yes"], dtype=object), np.array([False, True]), np.array([0, 1])],
    ids=["text", "bool", "int64"],
)
def test_rules_fitted_on_corrected_scores_load(labels, decision, tmp_path, one_thread):
    # On a table larger than memory, compare tunes a rule on a class-stratified sample whose
    # scores count each class's rows {class: factor} times; those factors (keyed by the
    # labels, as Python scalars) travel in the model file.
    X, y = _table(2)
    y = labels[(y == "fraud").astype(int)]
    factors = dict(zip(labels.tolist(), [40.0, 1.0]))
    model = _compare_model(f"logreg+rus+{decision}", X, y, "f1", score_class_weight=factors)
    loaded = load_model(save_model(model, tmp_path / "model.skops"))
    pd.testing.assert_frame_equal(loaded.predict_frame(X), model.predict_frame(X))


def test_trusted_types_are_exact_names():
    part = r"(?!__)[A-Za-z_][A-Za-z0-9_]*"
    odd = [name for name in TRUSTED_TYPES if not re.fullmatch(rf"{part}(\.{part})+", name)]
    assert not odd


# Crafted files: each is refused in one line before any object is built, so its payload never runs.


def _refusal(path, what: str) -> str:
    return (
        f"'{path}' contains object types skewlearn does not trust: {what}. "
        "It was not written by skewlearn or it was altered; refusing to load it"
    )


def _json_node(value) -> dict:
    return {
        "__class__": "str",
        "__module__": "builtins",
        "__loader__": "JsonNode",
        "content": json.dumps(value),
        "is_json": True,
    }


def _list_node(*items: dict, loader: str = "ListNode") -> dict:
    name = {"ListNode": "list", "TupleNode": "tuple"}[loader]
    return {
        "__class__": name,
        "__module__": "builtins",
        "__loader__": loader,
        "content": list(items),
    }


def _type_node(name: str) -> dict:
    module, _, cls = name.rpartition(".")
    return {"__class__": cls, "__module__": module, "__loader__": "TypeNode"}


def _call_node(function: str, *args: dict) -> dict:
    """A node skops builds by calling ``function(*args)``, as it rebuilds a loss object."""
    module, _, name = function.rpartition(".")
    return {
        "__class__": name,
        "__module__": module,
        "__loader__": "LossNode",
        "__reduce__": {"args": _list_node(*args, loader="TupleNode")},
        "content": {
            "__class__": "dict",
            "__module__": "builtins",
            "__loader__": "DictNode",
            "content": {},
            "key_types": _list_node(),
        },
    }


def _getattr_chain(command: str) -> dict:
    # A dict built with os.system as the type of its key: skops calls os.system(command).
    system = _call_node(
        "builtins.getattr",
        _call_node("builtins.getattr", _type_node("os.path"), _json_node("os")),
        _json_node("system"),
    )
    return {
        "__class__": "dict",
        "__module__": "builtins",
        "__loader__": "DictNode",
        "content": {command: _json_node(None)},
        "key_types": _list_node(system),
    }


def _payloads(marker) -> dict[str, tuple[dict, str]]:
    """Nodes that create ``marker`` when built, and the names the refusal must list."""
    code = f"open({str(marker)!r}, 'w').close()"
    touch = f"touch {shlex.quote(str(marker))}"
    return {
        "exec": (_call_node("builtins.exec", _json_node(code)), "builtins.exec"),
        "eval": (_call_node("builtins.eval", _json_node(code)), "builtins.eval"),
        "posix.system": (_call_node("posix.system", _json_node(touch)), "posix.system"),
        "os.system": (_call_node("os.system", _json_node(touch)), "os.system"),
        "getattr": (_getattr_chain(touch), "builtins.getattr, os.path"),
        "Popen": (
            _call_node("subprocess.Popen", _json_node([sys.executable, "-c", code])),
            "subprocess.Popen",
        ),
        "object-os.system": (
            {"__class__": "system", "__module__": "os", "__loader__": "ObjectNode"},
            "os.system",
        ),
        "import": (_call_node("builtins.__import__", _json_node("os")), "'builtins.__import__'"),
    }


def _rewrite(path, edit) -> None:
    """Apply ``edit`` to the schema of the skops file at ``path``, keeping its other members."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema = json.loads(members["schema.json"])
    edit(schema)
    members["schema.json"] = json.dumps(schema).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _attributes(schema: dict) -> dict:
    """The TrainedModel's attributes in a schema: name -> node."""
    return schema["content"]["content"]


def _refused(path) -> str:
    with pytest.raises(ValueError) as refusal:
        load_model(path)
    message = str(refusal.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("payload", list(_payloads("marker")))
def test_crafted_payloads_are_refused_before_they_run(trained, tmp_path, payload):
    marker = tmp_path / "pwned"
    node, names = _payloads(marker)[payload]
    path = save_model(trained[0], tmp_path / "model.skops")
    _rewrite(path, lambda schema: _attributes(schema).update(metric=node))
    assert _refused(path) == _refusal(path, names)
    assert not marker.exists()


@pytest.mark.parametrize("payload", ["exec", "eval", "posix.system", "getattr"])
def test_crafted_payloads_run_when_skops_is_told_to_trust_them(trained, tmp_path, payload):
    # The refusal test above means something only if the payloads are live.
    import skops.io as sio

    marker = tmp_path / "pwned"
    path = save_model(trained[0], tmp_path / "model.skops")
    _rewrite(path, lambda schema: _attributes(schema).update(metric=_payloads(marker)[payload][0]))
    sio.load(path, trusted=sio.get_untrusted_types(file=path))
    assert marker.exists()


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("builtins", "__import__"),
        ("numpy.__builtins__", "exec"),
        ("os", "path.__class__"),
        ("os.path", "__class__"),
        ("sklearn", "tree._tree.Tree"),
        ("numpy", "ndarray\nimport os"),
        ("", "exec"),
    ],
)
def test_odd_type_names_are_refused(trained, tmp_path, module, name):
    path = save_model(trained[0], tmp_path / "model.skops")
    node = {"__class__": name, "__module__": module, "__loader__": "TypeNode"}
    _rewrite(path, lambda schema: _attributes(schema).update(metric=node))
    assert _refused(path) == _refusal(path, repr(f"{module}.{name}"))


@pytest.mark.parametrize(
    "loader", ["EvilNode", "ConstructorFromReduceNode", "MethodNode", "CachedNode", "FunctionNode"]
)
def test_loaders_our_models_do_not_use_are_refused(trained, tmp_path, loader):
    path = save_model(trained[0], tmp_path / "model.skops")
    _rewrite(path, lambda schema: _attributes(schema)["metric"].update(__loader__=loader))
    assert _refused(path) == _refusal(path, f"builtins.str in an unknown loader {loader!r}")


def _first(schema: dict, loader: str, **fields) -> dict:
    """A node of ``schema`` read by ``loader`` and holding ``fields``."""
    pending = [schema]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if value.get("__loader__") == loader and fields.items() <= value.items():
                return value
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    raise LookupError(loader)


def _metric(schema: dict) -> dict:
    return _attributes(schema)["metric"]


def _array(schema: dict) -> dict:
    """A numeric array's node: its data is a .npy member of the archive."""
    return _first(schema, "NdArrayNode", type="numpy")


@pytest.mark.parametrize(
    ("edit", "what"),
    [
        (lambda s: _metric(s).pop("__class__"), "a malformed node"),
        (lambda s: _metric(s).update(__module__=1), "a malformed node"),
        (lambda s: _metric(s).update(__id__="1"), "a JsonNode with a malformed __id__"),
        (lambda s: _metric(s).update(extra=1), "a JsonNode with fields ['content', 'extra',"),
        (lambda s: _metric(s).update(content=1), "a JsonNode whose content is 1"),
        (lambda s: _first(s, "ListNode").update(content={}), "a ListNode whose content is {}"),
        (lambda s: _array(s).update(file="x.npy"), "a NdArrayNode whose file is 'x.npy'"),
        (lambda s: _array(s).update(type="pickle"), "a NdArrayNode whose type is 'pickle'"),
        (lambda s: s.update(protocol=0), "skops protocol 0"),
        (lambda s: s.update(protocol="2"), "skops protocol '2'"),
        (lambda s: s.pop("protocol"), "skops protocol None"),
        (lambda s: s.update(content=[]), "a malformed node []"),
        (lambda s: s.update(content={}), "a malformed node {}"),
    ],
)
def test_malformed_schemas_are_refused(trained, tmp_path, edit, what):
    path = save_model(trained[0], tmp_path / "model.skops")
    _rewrite(path, edit)
    message = _refused(path)
    assert message.startswith(f"'{path}' contains object types skewlearn does not trust: {what}")
    assert message.endswith(
        "It was not written by skewlearn or it was altered; refusing to load it"
    )


def test_a_bit_generator_other_than_numpys_is_refused(tmp_path):
    X, y = _table(2)
    model = TrainedModel(None, TableSchema.from_frame(X), [], "", "", "", {})
    model.versions["rng"] = np.random.default_rng(0)
    path = save_model(model, tmp_path / "model.skops")
    assert isinstance(load_model(path).versions["rng"], np.random.Generator)

    def rename(schema):
        state = _first(schema, "RandomGeneratorNode")["content"]["bit_generator"]
        state["content"]["bit_generator"]["content"] = json.dumps("seed")

    _rewrite(path, rename)
    assert _refused(path) == _refusal(path, "numpy.random.seed")


def test_a_module_planted_on_the_path_is_never_imported(trained, tmp_path, monkeypatch):
    # scikit-learn < 1.9 owns the top-level name _loss; later versions leave it to sys.path.
    if "_loss" in sys.modules:
        pytest.skip("this scikit-learn registers its loss module as the top-level _loss")
    marker = tmp_path / "pwned"
    (tmp_path / "_loss.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nCyHalfBinomialLoss = 1\n"
    )
    monkeypatch.syspath_prepend(tmp_path)
    path = save_model(trained[0], tmp_path / "model.skops")
    _rewrite(path, lambda s: _attributes(s).update(metric=_call_node("_loss.CyHalfBinomialLoss")))
    assert _refused(path) == _refusal(path, "_loss.CyHalfBinomialLoss")
    assert not marker.exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"not a zip file"),
        lambda path: path.write_bytes(path.read_bytes()[:-100]),
        lambda path: _drop_schema(path),
        lambda path: _replace_schema(path, b"{not json"),
        lambda path: _replace_schema(path, b"[" * 100_000 + b"]" * 100_000),
    ],
    ids=["not-a-zip", "truncated", "no-schema", "schema-not-json", "schema-too-deep"],
)
def test_damaged_files_are_refused_in_one_line(trained, tmp_path, damage):
    path = save_model(trained[0], tmp_path / "model.skops")
    damage(path)
    message = _refused(path)
    assert message.startswith(f"'{path}' is not a readable skewlearn model file (")
    assert message.endswith("run `skewlearn compare` again to write a new one")


def _drop_schema(path) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist() if n != "schema.json"}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _replace_schema(path, schema: bytes) -> None:
    _drop_schema(path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("schema.json", schema)
