"""Saving and loading the chosen model as a skops file, refusing types we do not trust."""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from skewlearn.app._trusted_types import TRUSTED_TYPES
from skewlearn.select._schema import TableSchema


class TrainedModel:
    """The refitted winner with what is needed to use it safely on new data.

    Parameters
    ----------
    estimator : fitted estimator
    schema : TableSchema
        The training columns; new data is checked against them.
    ignored : list of str
        Columns of the training file the model does not use (the target, id-like and constant
        columns); a scored file may still hold them.
    strategy, metric, decision_rule : str
        What was chosen, for which metric, and how scores become labels.
    versions : dict
        Package versions at training time.
    categories : dict of str to list of str, optional
        The values each categorical column held in training (see :func:`training_categories`),
        so that values never seen can be named when scoring; None records none.
    """

    def __init__(
        self,
        estimator,
        schema: TableSchema,
        ignored: list[str],
        strategy: str,
        metric: str,
        decision_rule: str,
        versions: dict[str, str],
        *,
        categories: dict[str, list[str]] | None = None,
    ):
        self.estimator = estimator
        self.ignored = [str(column) for column in ignored]
        self.columns = list(schema.columns)
        self.kinds = [schema.kinds[c] for c in self.columns]
        self.strategy = strategy
        self.metric = metric
        self.decision_rule = decision_rule
        self.versions = dict(versions)
        # Plain dicts, lists and strings: types the loader trusts already.
        self.categories = {
            str(column): [str(value) for value in values]
            for column, values in (categories or {}).items()
        }

    @property
    def schema(self) -> TableSchema:
        return TableSchema(dict(zip(self.columns, self.kinds)))

    @property
    def classes(self) -> np.ndarray:
        return np.asarray(self.estimator.classes_)

    def predict_frame(self, X: pd.DataFrame) -> pd.DataFrame:
        """One row per input row: the predicted class and a probability per class.

        Columns the model ignores (the target, id-like columns) may be present; they are left out.
        """
        X = self.schema.conform(X.drop(columns=self.ignored, errors="ignore"))
        out = pd.DataFrame({"prediction": self.estimator.predict(X)}, index=X.index)
        if hasattr(self.estimator, "predict_proba"):
            proba = self.estimator.predict_proba(X)
            for column, label in enumerate(self.classes):
                out[f"proba_{label}"] = proba[:, column]
        return out


def training_categories(X: pd.DataFrame) -> dict[str, list[str]]:
    """The values each categorical column of ``X`` holds, as sorted text.

    Examples
    --------
    >>> X = pd.DataFrame({"plan": pd.Categorical(["pro", "basic", None]), "age": [30, 41, 52]})
    >>> training_categories(X)
    {'plan': ['basic', 'pro']}
    """
    return {
        str(column): sorted({str(value) for value in X[column].dropna()})
        for column in X.columns
        if isinstance(X[column].dtype, pd.CategoricalDtype)
    }


def save_model(model: TrainedModel, path: str | Path) -> Path:
    """Write ``model`` to ``path`` atomically (a partial file never replaces a good one)."""
    import skops.io as sio

    path = Path(path)
    partial = path.with_suffix(path.suffix + ".partial")
    # Forests are large and compress well (about 5x).
    sio.dump(model, partial, compression=zipfile.ZIP_DEFLATED)
    partial.replace(path)
    return path


def load_model(path: str | Path) -> TrainedModel:
    """Load a model file written by skewlearn, refusing any object type outside our allowlist.

    Every type, function and loader the file names is checked against exact lists before skops
    builds a single object.

    Examples
    --------
    >>> load_model("no-such-file.skops")
    Traceback (most recent call last):
    ...
    FileNotFoundError: model file 'no-such-file.skops' does not exist
    """
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file '{path}' does not exist")
    # One read serves the check and the load, so the file cannot be swapped in between.
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            schema = json.loads(archive.read("schema.json"))
            members = set(archive.namelist())
    except _UNREADABLE as error:
        raise ValueError(
            f"'{path}' is not a readable skewlearn model file ({_one_line(error)}); it may be "
            "truncated or corrupt: run `skewlearn compare` again to write a new one"
        ) from error
    try:
        found = _referenced_types(schema, members)
    except _Refused as refused:
        untrusted = str(refused)
    else:
        untrusted = ", ".join(sorted(name for name in found if not _trusted(name)))
    if untrusted:
        raise ValueError(
            f"'{path}' contains object types skewlearn does not trust: {untrusted}. "
            "It was not written by skewlearn or it was altered; refusing to load it"
        )
    try:
        model = sio.loads(data, trusted=sorted(found))
    except Exception as error:  # skops raises many kinds on a damaged file; all mean the same
        raise ValueError(
            f"'{path}' could not be loaded as a skewlearn model: {_one_line(error)}"
        ) from error
    if not isinstance(model, TrainedModel):
        raise ValueError(
            f"'{path}' holds a {type(model).__name__}, not a skewlearn model; "
            "write model files with `skewlearn compare`"
        )
    return model


# What zipfile and json raise on a damaged archive: a missing schema.json, bad data, a compression
# or encryption it cannot read, or JSON nested past the interpreter's stack.
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    RecursionError,
)


class _Refused(Exception):
    """The schema is not one skops writes for our models; the message says what was found."""


# The file's protocol picks the skops node classes that read it, and older ones check less
# (protocol 0 calls whatever numpy.random attribute the file names); the shapes below are those
# skops writes under this protocol.
_PROTOCOL = 2


# What each field of a node may hold: a kind maps the field's value to the nodes inside it, or to
# None when the value is not of that kind. A dict is a nested object, a set the allowed literals.
def _node(value, members):
    return [value]


def _nodes(value, members):
    return value if isinstance(value, list) else None


def _node_map(value, members):
    return list(value.values()) if isinstance(value, dict) else None


def _text(value, members):
    return [] if isinstance(value, str) else None


def _flag(value, members):
    return [] if isinstance(value, bool) else None


def _index(value, members):
    return [] if value is None or type(value) is int else None


def _member(value, members):
    return [] if isinstance(value, str) and value in members else None


# The shapes are exactly those skops writes for our models, so skops reads no field unchecked.
_REDUCED = {"__reduce__": {"args": _node}, "content": _node}
_SHAPES: dict[str, tuple[dict, ...]] = {
    "ObjectNode": ({}, {"content": _node}),
    "DictNode": ({"content": _node_map, "key_types": _node},),
    "DefaultDictNode": ({"content": {"main": _node, "default_factory": _node}},),
    "ListNode": ({"content": _nodes},),
    "TupleNode": ({"content": _nodes},),
    "JsonNode": ({"content": _text, "is_json": _flag},),
    "TypeNode": ({},),
    "NdArrayNode": (
        {"type": {"numpy"}, "file": _member},
        {"type": {"json"}, "content": _nodes, "shape": _node},
    ),
    "DTypeNode": ({"content": _node},),
    "SliceNode": ({"content": {"start": _index, "stop": _index, "step": _index}},),
    "RandomGeneratorNode": ({"content": {"bit_generator": _node, "seed_seq": _node}},),
    "LossNode": (_REDUCED,),
    "TreeNode": (_REDUCED,),
}
_NODE_KEYS = frozenset({"__class__", "__module__", "__loader__", "__id__"})
_ROOT_KEYS = frozenset({"protocol", "_skops_version"})
# Single-underscore private modules are where scikit-learn keeps its classes; a dunder part
# (``__import__``, ``__class__``) only ever reaches into the interpreter.
_PART = r"(?!__)[A-Za-z_][A-Za-z0-9_]*"
_MODULE = re.compile(rf"{_PART}(?:\.{_PART})*")
_CLASS = re.compile(_PART)


def _referenced_types(schema, members: set[str]) -> set[str]:
    """Every ``module.name`` skops would import to build ``schema``; raise _Refused on any oddity."""
    if not isinstance(schema, dict):
        raise _Refused("a schema that is not a JSON object")
    protocol = schema.get("protocol")
    if type(protocol) is not int or protocol != _PROTOCOL:
        raise _Refused(f"skops protocol {_shown(protocol)}")
    found: set[str] = set()
    # A list instead of recursion: a crafted schema can nest deeper than Python's stack.
    pending = [{k: v for k, v in schema.items() if k not in _ROOT_KEYS}]
    while pending:
        node = pending.pop()
        name, loader = _type_name(node), node["__loader__"]
        if loader not in _SHAPES:
            raise _Refused(f"{name} in an unknown loader {_shown(loader)}")
        found.add(name)
        if "__id__" in node and type(node["__id__"]) is not int:
            raise _Refused(f"a {loader} with a malformed __id__")
        fields = {k: v for k, v in node.items() if k not in _NODE_KEYS}
        shape = next((s for s in _SHAPES[loader] if s.keys() == fields.keys()), None)
        if shape is None:
            raise _Refused(f"a {loader} with fields {_shown(sorted(fields))}")
        _match(shape, fields, loader, members, pending)
        if loader == "RandomGeneratorNode":
            found.add(_bit_generator(node))
    return found


def _trusted(name: str) -> bool:
    module = name.rpartition(".")[0]
    # skops imports each module by name, and a top-level one not imported yet is searched for on
    # sys.path, where the current directory may come first. scikit-learn < 1.9 registers its loss
    # module as the top-level ``_loss``; later versions leave that name free for anyone to claim.
    return name in TRUSTED_TYPES and ("." in module or module in sys.modules)


def _type_name(node) -> str:
    if not isinstance(node, dict) or not all(
        isinstance(node.get(key), str) for key in ("__module__", "__class__", "__loader__")
    ):
        raise _Refused(f"a malformed node {_shown(node)}")
    module, name = node["__module__"], node["__class__"]
    if not (_MODULE.fullmatch(module) and _CLASS.fullmatch(name)):
        raise _Refused(_shown(f"{module}.{name}"))
    return f"{module}.{name}"


def _match(shape: dict, fields: dict, loader: str, members: set[str], pending: list) -> None:
    for key, kind in shape.items():
        value = fields[key]
        if isinstance(kind, dict):
            inner = value.keys() == kind.keys() if isinstance(value, dict) else False
            if inner:
                _match(kind, value, loader, members, pending)
            children = [] if inner else None
        elif isinstance(kind, set):
            children = [] if isinstance(value, str) and value in kind else None
        else:
            children = kind(value, members)
        if children is None:
            raise _Refused(f"a {loader} whose {key} is {_shown(value)}")
        pending.extend(children)


def _bit_generator(node: dict) -> str:
    # skops calls the numpy.random attribute named inside the generator's state, so that name is
    # a type to trust like any other.
    try:
        name = json.loads(node["content"]["bit_generator"]["content"]["bit_generator"]["content"])
    except (KeyError, TypeError, ValueError):
        name = None
    if not (isinstance(name, str) and _CLASS.fullmatch(name)):
        raise _Refused(f"a RandomGeneratorNode naming bit generator {_shown(name)}")
    return f"numpy.random.{name}"


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
