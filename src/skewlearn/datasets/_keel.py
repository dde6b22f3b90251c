"""Reader for KEEL ``.dat`` files and the ARFF files they extend.

A header of ``@attribute NAME TYPE`` lines (TYPE is ``real``, ``integer`` or ``numeric``,
optionally followed by a ``[min, max]`` range, or a ``{a, b, c}`` list of nominal values),
optional ``@inputs``/``@outputs`` lines, then ``@data`` and comma-separated rows in which
``?`` or ``<null>`` marks a missing value. Lines starting with ``%`` are comments.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from ._errors import DataError

_ATTRIBUTE = re.compile(r"@attribute\s+('[^']*'|\"[^\"]*\"|\S+)\s*(.*)", re.IGNORECASE)
_DATA = re.compile(r"^\s*@data\s*$", re.IGNORECASE | re.MULTILINE)
_COMMENT = re.compile(r"^%.*(\n|$)", re.MULTILINE)
_NUMERIC_TYPES = {"real", "integer", "numeric", ""}
_MISSING = ["?", "<null>", ""]


def _parse_attribute(spec: str) -> list[str] | str:
    """Return the nominal values of an attribute, or its numeric type name."""
    if spec.startswith("{"):
        return [value.strip().strip("'\"") for value in spec.strip("{} ").split(",")]
    # Some KEEL headers give only the range ("@attribute Nuc [0.16, 1.0]"): a real.
    kind = spec.split("[")[0].strip().lower()
    if kind not in _NUMERIC_TYPES:
        raise DataError(
            f"attribute type {spec!r} is not supported; expected real, integer, "
            "numeric or a {nominal, list}"
        )
    return kind


def read_keel(text: str) -> pd.DataFrame:
    """Parse the text of a KEEL or ARFF file into a DataFrame.

    Nominal attributes become ``category`` columns whose categories keep the order of
    the header; ``real`` and ``numeric`` attributes are floats, ``integer`` attributes are
    ``int64`` unless a value is missing (then floats).
    """
    parts = _DATA.split(text, maxsplit=1)
    if len(parts) != 2:
        raise DataError("no '@data' line found; is this a KEEL or ARFF file?")
    header, body = parts
    attributes: dict[str, list[str] | str] = {}
    for line in header.splitlines():
        match = _ATTRIBUTE.match(line.strip())
        if match:
            attributes[match[1].strip("'\"")] = _parse_attribute(match[2].strip())
    if not attributes:
        raise DataError("no '@attribute' lines found before '@data'")

    nominal = {name: values for name, values in attributes.items() if isinstance(values, list)}
    frame = pd.read_csv(
        io.StringIO(_COMMENT.sub("", body)),
        header=None,
        names=list(attributes),
        dtype={name: ("str" if name in nominal else "float64") for name in attributes},
        na_values=_MISSING,
        keep_default_na=False,
        skipinitialspace=True,
        skip_blank_lines=True,
    )
    for name, values in nominal.items():
        frame[name] = _as_category(frame[name], values)
    for name, kind in attributes.items():
        if kind == "integer" and not frame[name].isna().any():
            frame[name] = frame[name].astype("int64")
    return frame


def _as_category(column: pd.Series, declared: list[str]) -> pd.Series:
    values = column.astype("category")
    if (values.cat.categories != values.cat.categories.str.strip()).any():
        values = column.str.strip().astype("category")
    # Some headers list a value twice (fars); values they forgot are kept, after the others.
    categories = list(dict.fromkeys(declared))
    categories += sorted(set(values.cat.categories) - set(categories))
    return values.cat.set_categories(categories)
