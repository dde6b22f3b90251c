"""The application: the flows a user runs end to end, and what they leave behind.

``compare`` races the strategies on a dataset and writes report, model and leaderboard into an
output folder as a whole; ``predict`` scores new rows with a saved model; ``diagnose`` says
why a dataset is hard; ``active`` replays labelled suites as oracles and picks the next rows
for a person to label; model files are written and read back refusing any type skewlearn does
not trust; every result records the package versions that produced it. The command line is a thin shell over these functions.
"""

from skewlearn._versions import package_versions
from skewlearn.app._active_next import next_batch
from skewlearn.app._active_simulate import run_active_suite, write_simulation_report
from skewlearn.app._compare import (
    DEMO_DATASET,
    CompareOutputs,
    check_output_folder,
    run_compare,
)
from skewlearn.app._diagnose import diagnosis_record, run_diagnose
from skewlearn.app._persist import TrainedModel, load_model, save_model
from skewlearn.app._predict import predict_file

__all__ = [
    "DEMO_DATASET",
    "CompareOutputs",
    "TrainedModel",
    "check_output_folder",
    "diagnosis_record",
    "load_model",
    "next_batch",
    "package_versions",
    "predict_file",
    "run_active_suite",
    "run_compare",
    "run_diagnose",
    "save_model",
    "write_simulation_report",
]
