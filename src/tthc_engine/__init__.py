"""tthc-engine: Vietnamese administrative procedures as declared state machines with legal deadlines.

The public API is `__all__`; users import from the package root only. Each section below is owned
by one subpackage (see docs/architecture.md).
"""

from tthc_engine._version import __version__

# --- audit ---
from tthc_engine.audit import AuditEntry, canonical_json, verify_chain

# --- calendar ---
from tthc_engine.calendar import DayInfo, OfficeHours, Provenance, WorkCalendar, load_overlay

# --- definition ---
from tthc_engine.definition import (
    PUBLIC_STATUSES,
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
    DataError,
    GuardFailed,
    MissingData,
    NaiveDatetimeError,
    PermissionDenied,
    Problem,
    ProcedureError,
    RecordFieldError,
    StoreError,
    TimeOrderError,
    TransitionError,
    TthcError,
    UnknownDossier,
    UnknownProcedure,
)
from tthc_engine.records import Feedback

# --- reporting ---
from tthc_engine.reporting.forms import (
    CodeMatch,
    find_form_code,
    render_form,
    tracking_book,
    verification_code,
)
from tthc_engine.reporting.report import Counts, Processing, Report, ReportRow

# --- runtime ---
from tthc_engine.runtime import (
    Actor,
    Dossier,
    Engine,
    EnginePolicy,
    Event,
    InputLimits,
    NationalNumbering,
    Numbering,
    RelayReport,
    Step,
    SweepReport,
    WorkItem,
    Worklist,
)

# --- sla ---
from tthc_engine.sla import Clock, DueResult, StartPolicy, classify, compute_due, due_after, progress

# --- stores ---
from tthc_engine.stores import Cursor, Filter, Incident, MemoryStore, Page, SQLiteStore, Store, WorkScope
from tthc_engine.stores.outbox import OutboxEvent
from tthc_engine.stores.tally import Period

__all__ = [
    "PUBLIC_STATUSES",
    "Action",
    "Actor",
    "AuditEntry",
    "AuditIntegrityError",
    "CalendarError",
    "Catalog",
    "Clock",
    "ClockError",
    "CodeMatch",
    "ConcurrencyError",
    "ConfigurationError",
    "Counts",
    "Cursor",
    "DataError",
    "DayInfo",
    "Deadline",
    "Dossier",
    "DueResult",
    "Duration",
    "Engine",
    "EnginePolicy",
    "Event",
    "Feedback",
    "Filter",
    "Guard",
    "GuardFailed",
    "Incident",
    "InputLimits",
    "MemoryStore",
    "MissingData",
    "NaiveDatetimeError",
    "NationalNumbering",
    "Numbering",
    "OfficeHours",
    "OutboxEvent",
    "Page",
    "Period",
    "PermissionDenied",
    "Problem",
    "Procedure",
    "ProcedureError",
    "Processing",
    "Provenance",
    "RecordFieldError",
    "RelayReport",
    "Report",
    "ReportRow",
    "SQLiteStore",
    "StartPolicy",
    "State",
    "Step",
    "Store",
    "StoreError",
    "SweepReport",
    "TimeOrderError",
    "TransitionError",
    "TthcError",
    "UnknownDossier",
    "UnknownProcedure",
    "ValidationReport",
    "WorkCalendar",
    "WorkItem",
    "WorkScope",
    "Worklist",
    "__version__",
    "canonical_json",
    "classify",
    "compute_due",
    "due_after",
    "find_form_code",
    "load_overlay",
    "load_procedure",
    "parse_procedure",
    "progress",
    "render_form",
    "tracking_book",
    "validate_paths",
    "verification_code",
    "verify_chain",
]


def __getattr__(name: str) -> object:
    """`te.PostgresStore`, imported on first use: the package works without the postgres extra."""
    if name == "PostgresStore":
        from tthc_engine.stores.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
