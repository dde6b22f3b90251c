"""Write the API reference pages: one per public module, listing every name of its ``__all__``.

A public module is a module of skewlearn with no private part in its dotted name that declares
``__all__``; a layer added later appears in the reference with no change here.
"""

import importlib
import pkgutil
from pathlib import Path

import skewlearn


def public_modules() -> list[str]:
    """Dotted names of skewlearn's public modules that declare ``__all__``, sorted."""
    names = []
    for info in pkgutil.walk_packages(skewlearn.__path__, prefix="skewlearn."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        if getattr(module, "__all__", None):
            names.append(info.name)
    return sorted(names)


def _summary(module) -> str:
    doc = (module.__doc__ or "").strip()
    return doc.split("\n\n")[0].replace("\n", " ") if doc else ""


def _page(name: str) -> str:
    module = importlib.import_module(name)
    lines = [
        name,
        "=" * len(name),
        "",
        f".. automodule:: {name}",
        "   :no-members:",
        "   :no-index:",
        "",
        f".. currentmodule:: {name}",
        "",
        ".. autosummary::",
        "   :toctree: generated/",
        "   :nosignatures:",
        "",
    ]
    lines += [f"   {public}" for public in module.__all__]
    return "\n".join(lines) + "\n"


def _index(names: list[str]) -> str:
    lines = [
        "API reference",
        "=============",
        "",
        "Every public name of every public module (its ``__all__``), generated from the numpydoc",
        "docstrings. The command line is described in :doc:`../guide/cli`.",
        "",
        ".. toctree::",
        "   :maxdepth: 1",
        "",
    ]
    lines += [f"   {name}" for name in names]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    # Rewriting an unchanged page would make Sphinx rebuild it.
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_api_pages(folder: Path) -> list[str]:
    """Write ``index.rst`` and one page per public module into ``folder``; return the modules."""
    folder.mkdir(parents=True, exist_ok=True)
    names = public_modules()
    for name in names:
        _write(folder / f"{name}.rst", _page(name))
    for stale in folder.glob("skewlearn.*.rst"):
        if stale.stem not in names:
            stale.unlink()
    # A name dropped from an __all__ leaves its generated page behind, outside every toctree.
    public = {f"{name}.{item}" for name in names for item in importlib.import_module(name).__all__}
    for stale in (folder / "generated").glob("skewlearn.*.rst"):
        if stale.stem not in public:
            stale.unlink()
    _write(folder / "index.rst", _index(names))
    return names
