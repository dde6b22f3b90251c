"""Self-contained HTML reports: every figure inline, nothing fetched when the report is viewed."""

from skewlearn.report._compare import (
    CompareReport,
    DataSummary,
    render_compare_report,
    write_compare_report,
)
from skewlearn.report._diagnosis import (
    MEASURE_MEANINGS,
    render_diagnosis_html,
    write_diagnosis_html,
)

__all__ = [
    "MEASURE_MEANINGS",
    "CompareReport",
    "DataSummary",
    "render_compare_report",
    "render_diagnosis_html",
    "write_compare_report",
    "write_diagnosis_html",
]
