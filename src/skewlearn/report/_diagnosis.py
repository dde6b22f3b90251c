"""The self-contained HTML page of a diagnosis, in the look of the compare report."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

# One line each, higher = harder for every measure (see skewlearn.diagnose for definitions).
MEASURE_MEANINGS = {
    "F1": "no single feature separates the classes",
    "F1v": "no linear direction separates the classes",
    "F2": "volume of the region where classes overlap",
    "F3": "rows in the overlap even on the best feature",
    "F4": "rows still in the overlap using every feature",
    "N1": "rows on a class border (spanning tree)",
    "N2": "own class not nearer than the other classes",
    "N3": "rows misclassified by their nearest neighbour",
    "N4": "1-NN error on interpolated points",
    "T1": "pure hyperspheres needed, per row",
    "LSC": "small pure neighbourhoods (local sets)",
    "L1": "distance of errors to a linear boundary",
    "L2": "linear SVM error on the training rows",
    "L3": "linear SVM error on interpolated points",
    "T2": "features per row",
    "T3": "principal components (95% variance) per row",
    "T4": "share of features those components need",
    "C1": "class-share entropy deficit (0 = balanced)",
    "C2": "imbalance from the class ratios (0 = balanced)",
    "ONB": "pure balls covering each class, per row",
}
MINORITY_TYPES = ("safe", "borderline", "rare", "outlier")
# Parts of a record rendered when present, with their titles, in this order; any other key
# outside the known ones is rendered after them under its own name.
_OPTIONAL_PARTS = {"label_noise": "Label-noise suspects", "shift": "Shift against new data"}
_KNOWN = {
    "name", "rows", "features", "class_counts", "typology", "complexity",
    "complexity_per_class", "sampled", "disjuncts", "findings", "seconds",
}  # fmt: skip
# Rows of a long list (suspect rows, per-feature tests) shown in the page.
_ROWS_SHOWN = 20


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("skewlearn.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    environment.globals.update(
        meanings=MEASURE_MEANINGS, types=MINORITY_TYPES, rows_shown=_ROWS_SHOWN
    )
    return environment


def _extra_parts(record: dict) -> list[tuple[str, str]]:
    known = [(key, title) for key, title in _OPTIONAL_PARTS.items() if record.get(key)]
    other = [
        (key, key.replace("_", " ").capitalize())
        for key in record
        if key not in _KNOWN and key not in _OPTIONAL_PARTS and record[key]
    ]
    return known + other


def render_diagnosis_html(record: dict) -> str:
    """A diagnosis record as one HTML page that opens with no network.

    ``record`` is what :func:`skewlearn.app.diagnosis_record` returns (plain JSON values):
    findings, class counts, minority types per class, complexity measures with their one-line
    meanings, small disjuncts, and, when present, the label-noise and shift parts.
    """
    template = _environment().get_template("diagnosis.html.j2")
    return template.render(d=record, extra=_extra_parts(record))


def write_diagnosis_html(record: dict, path: str | Path) -> Path:
    """Render ``record`` and write it to ``path`` (written whole, then moved into place).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> record = {"name": "toy", "rows": 10, "features": 2, "class_counts": {"a": 8, "b": 2},
    ...           "typology": {"b": {"safe": 1, "borderline": 1, "rare": 0, "outlier": 0}},
    ...           "complexity": {"N3": 0.2}, "complexity_per_class": {}, "sampled": {},
    ...           "disjuncts": {"b": [2]}, "findings": [], "seconds": {}}
    >>> path = write_diagnosis_html(record, pathlib.Path(tempfile.mkdtemp()) / "d.html")
    >>> "rows misclassified by their nearest neighbour" in path.read_text()
    True
    """
    path = Path(path)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_text(render_diagnosis_html(record), encoding="utf-8")
    partial.replace(path)
    return path
