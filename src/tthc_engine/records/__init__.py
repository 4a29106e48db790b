"""WHAT IS KEPT: the dossier record that the runtime computes, the stores persist and reports read."""

from tthc_engine.records.dossier import Dossier, RecordUpdate, Step
from tthc_engine.records.feedback import FEEDBACK_FACTS, Feedback
from tthc_engine.records.status import CELLS, MEASURES, MINUTES_PER_DAY, Cell, Measure, ReportStatus

__all__ = [
    "CELLS",
    "FEEDBACK_FACTS",
    "MEASURES",
    "MINUTES_PER_DAY",
    "Cell",
    "Dossier",
    "Feedback",
    "Measure",
    "RecordUpdate",
    "ReportStatus",
    "Step",
]
