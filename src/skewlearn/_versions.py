"""The versions record: the packages that decide a result, as seen by the running process.

Written into every compare report and model file and into every benchmark result, so a number
can be traced to the code that produced it. It sits beside ``__version__`` rather than in a
layer because both the application layer and ``bench`` (below it) record it.
"""

from __future__ import annotations

import platform


def package_versions() -> dict[str, str]:
    """Versions of the packages that decide a result, as seen by the process that calls it.

    Examples
    --------
    >>> sorted(package_versions())
    ['imbalanced-learn', 'numpy', 'pandas', 'python', 'scikit-learn', 'skewlearn']
    """
    import imblearn
    import numpy as np
    import pandas as pd
    import sklearn

    from skewlearn import __version__

    return {
        "skewlearn": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "imbalanced-learn": imblearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }
