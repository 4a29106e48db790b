"""HOW LONG: deadline rules, clocks, timeliness (docs/deadlines.md)."""

from tthc_engine.sla.clock import Clock
from tthc_engine.sla.policy import DEFAULT_CUTOFF, StartPolicy
from tthc_engine.sla.rules import DueResult, compute_due, due_after, extension_applies
from tthc_engine.sla.timeliness import Progress, Timeliness, classify, progress

__all__ = [
    "DEFAULT_CUTOFF",
    "Clock",
    "DueResult",
    "Progress",
    "StartPolicy",
    "Timeliness",
    "classify",
    "compute_due",
    "due_after",
    "extension_applies",
    "progress",
]
