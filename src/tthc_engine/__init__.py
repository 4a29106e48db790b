"""tthc-engine: Vietnamese administrative procedures as declared state machines with legal deadlines.

The public API is `__all__`; users import from the package root only. Each section below is owned
by one subpackage (see docs/architecture.md).
"""

from tthc_engine._version import __version__

# --- calendar ---
from tthc_engine.calendar import DayInfo, OfficeHours, Provenance, WorkCalendar, load_overlay

# --- definition ---
from tthc_engine.definition import (
    Action,
    Catalog,
    Deadline,
    Duration,
    Guard,
    Procedure,
    State,
    ValidationReport,
    load_procedure,
    parse_procedure,
    validate_paths,
)

# --- errors ---
from tthc_engine.errors import (
    AuditIntegrityError,
    CalendarError,
    ClockError,
    ConcurrencyError,
    ConfigurationError,
    GuardFailed,
    MissingData,
    NaiveDatetimeError,
    PermissionDenied,
    Problem,
    ProcedureError,
    StoreError,
    TimeOrderError,
    TransitionError,
    TthcError,
    UnknownDossier,
    UnknownProcedure,
)

# --- sla ---
from tthc_engine.sla import Clock, DueResult, StartPolicy, classify, compute_due, due_after, progress

# --- runtime ---

# --- audit ---

# --- stores ---

# --- reporting ---

__all__ = [
    "Action",
    "AuditIntegrityError",
    "CalendarError",
    "Catalog",
    "Clock",
    "ClockError",
    "ConcurrencyError",
    "ConfigurationError",
    "DayInfo",
    "Deadline",
    "DueResult",
    "Duration",
    "Guard",
    "GuardFailed",
    "MissingData",
    "NaiveDatetimeError",
    "OfficeHours",
    "PermissionDenied",
    "Problem",
    "Procedure",
    "ProcedureError",
    "Provenance",
    "StartPolicy",
    "State",
    "StoreError",
    "TimeOrderError",
    "TransitionError",
    "TthcError",
    "UnknownDossier",
    "UnknownProcedure",
    "ValidationReport",
    "WorkCalendar",
    "__version__",
    "classify",
    "compute_due",
    "due_after",
    "load_overlay",
    "load_procedure",
    "parse_procedure",
    "progress",
    "validate_paths",
]
