"""HOW LONG: deadline rules, clocks, timeliness (docs/deadlines.md)."""

from tthc_engine.sla.clock import Clock
from tthc_engine.sla.policy import DEFAULT_CUTOFF, StartPolicy
from tthc_engine.sla.rules import (
    DueResult,
    before_due,
    compute_due,
    due_after,
    extension_applies,
    warning_moment,
)
from tthc_engine.sla.timeliness import OUTCOME_RULES, OutcomeRule, Progress, Timeliness, classify, progress

__all__ = [
    "DEFAULT_CUTOFF",
    "OUTCOME_RULES",
    "Clock",
    "DueResult",
    "OutcomeRule",
    "Progress",
    "StartPolicy",
    "Timeliness",
    "before_due",
    "classify",
    "compute_due",
    "due_after",
    "extension_applies",
    "progress",
    "warning_moment",
]
