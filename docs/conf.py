"""Sphinx configuration of the skewlearn documentation (built offline by `make docs`)."""

import os
import re
import sys
from pathlib import Path

from docutils import nodes

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_tools"))

from api_pages import write_api_pages  # noqa: E402

import skewlearn  # noqa: E402

project = "skewlearn"
author = "the skewlearn authors"
copyright = "the skewlearn authors, BSD-3-Clause"
release = skewlearn.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

# The API reference lists every name of every public module's __all__, written before the build.
# Naming the pages (rather than True) makes autosummary write stubs for a module's page that is
# new since the last build, too.
autosummary_generate = [f"api/{name}.rst" for name in write_api_pages(HERE / "api")]
autosummary_imported_members = True
autodoc_default_options = {"members": False, "inherited-members": False}
autodoc_typehints = "none"
# numpydoc renders the members of a class itself; a table per class would repeat every
# scikit-learn method on every estimator.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

templates_path = ["_templates"]
exclude_patterns = ["_build", "_tools", "examples/README.rst"]
# Names in backquotes that Sphinx cannot resolve stay plain text: docstrings quote names of
# scikit-learn, imbalanced-learn and torch, which an offline build cannot link to.
default_role = "literal"
nitpicky = False


def _plain_imblearn_refs(app, what, name, obj, options, lines):
    """Write imbalanced-learn's references to its own user guide as plain text.

    skewlearn.resample exports some of imbalanced-learn's samplers with their own docstrings
    (only the examples are ours); those point at labels of imbalanced-learn's site, which an
    offline build cannot link to.
    """
    if not getattr(obj, "__module__", "").startswith(_IMBLEARN_DOCS):
        return
    for i, line in enumerate(lines):
        lines[i] = _REF.sub(lambda m: f"*{m.group(1) or m.group(2)}*", line)


_IMBLEARN_DOCS = ("imblearn", "skewlearn.resample._imblearn_samplers")
_REF = re.compile(r":ref:`(?:([^`<]+?)\s*<[^`>]+>|([^`]+))`")


def _literal_names_in_types(app, what, name, obj, options, lines):
    """Quote fitted-attribute names in numpydoc type text ("ndarray of shape (n_features_in_,)").

    numpydoc hands the type after ``name : `` to reST as is, where a bare word ending in ``_``
    is a hyperlink reference; scikit-learn writes these names in backquotes, as meant here.
    """
    for i, line in enumerate(lines):
        head = _PARAM.match(line)
        if head:
            lines[i] = head.group(1) + _FITTED.sub(r"`\1`", head.group(2))


_PARAM = re.compile(r"^(\s*\*{0,2}\w[\w, *]* : )(.*)$")
_FITTED = re.compile(r"(?<![`\w])([A-Za-z]\w*_)(?![`\w])")


def _visit_inline_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(self.encode(node.astext()) + "</span>")
    raise nodes.SkipNode


def _visit_block_math(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    self.body.append(self.encode(node.astext()) + "</div>\n")
    raise nodes.SkipNode


def setup(app):
    # MathJax would come from a CDN: the few formulas (in re-exported imbalanced-learn
    # docstrings) are shown as their LaTeX source instead.
    app.add_html_math_renderer("source", (_visit_inline_math, None), (_visit_block_math, None))
    app.connect("autodoc-process-docstring", _plain_imblearn_refs)
    app.connect("autodoc-process-docstring", _literal_names_in_types)


html_math_renderer = "source"
html_theme = "pydata_sphinx_theme"
html_title = f"skewlearn {release}"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "icon_links": [],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# Without a default the theme's script logs an error on a first visit (nothing stored yet).
html_context = {"default_mode": "auto"}
html_show_sourcelink = False
html_copy_source = False

# Gallery: executed at build time; SKEWLEARN_DOCS_GALLERY=0 skips execution for a quick build.
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "plot_gallery": os.environ.get("SKEWLEARN_DOCS_GALLERY", "1") != "0",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "min_reported_time": 0,
    "show_memory": False,
    "show_signature": False,
    "reference_url": {},
    "backreferences_dir": None,
    "matplotlib_animations": False,
    "within_subsection_order": "FileNameSortKey",
    # Its summary page loads jQuery and DataTables from CDNs; each example's page ends with its
    # own run time instead.
    "write_computation_times": False,
}
