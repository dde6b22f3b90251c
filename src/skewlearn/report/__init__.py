"""Self-contained HTML reports: every figure inline, nothing fetched when the report is viewed."""

from skewlearn.report._compare import (
    CompareReport,
    DataSummary,
    render_compare_report,
    write_compare_report,
)

__all__ = ["CompareReport", "DataSummary", "render_compare_report", "write_compare_report"]
